"""Answers published without retraining: new texts for answers the live model already has.

An answer's text is not used to understand messages, so changing it needs no new model. Publishing
answers writes the answers that differ from the live model's own into a file named by the published
state (models/published/state.json, entry key "answers"); the Rasa server's response generator
(serving/specific_responses.py) reads it and says the new text. Each replacement records which
text it replaces (a hash of the model's own variants), so a model trained later from other content
is never given stale text, and `make rollback` restores model and answers together.
"""

from __future__ import annotations

import hashlib
import json
import os
import tarfile
from pathlib import Path
from typing import Any, Dict, List

import yaml

from tools.project import load_project

Variants = List[Dict[str, Any]]
MODEL_DOMAIN = "components/domain_provider/domain.yml"


def variants_hash(variants: Any) -> str:
    """The same variants give the same hash, whether read by Rasa, PyYAML or ruamel."""
    plain = json.loads(json.dumps(variants, default=str))
    text = json.dumps(plain, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


def model_responses(model: Path) -> Dict[str, Variants]:
    """The responses inside a trained model file (its domain is near the start of the archive)."""
    with tarfile.open(model, "r:gz") as archive:
        for member in archive:
            if member.name.lstrip("/") == MODEL_DOMAIN:
                handle = archive.extractfile(member)
                domain = yaml.safe_load(handle.read().decode("utf-8")) if handle else {}
                return dict((domain or {}).get("responses") or {})
    return {}


def content_responses(root: Path) -> Dict[str, Variants]:
    """Every response as written in domain.yml and data/ (valid files only)."""
    found: Dict[str, Variants] = {}
    for doc in load_project(root).documents.values():
        responses = doc.get("responses") if isinstance(doc, dict) else None
        if isinstance(responses, dict):
            for name, variants in responses.items():
                found[str(name)] = json.loads(json.dumps(variants, default=str))
    return found


def replacements(model: Dict[str, Variants], content: Dict[str, Variants]) -> Dict[str, Any]:
    """Answers whose text differs from the model's own; answers the model lacks need training."""
    return {
        name: {"replaces": variants_hash(model[name]), "variants": variants}
        for name, variants in sorted(content.items())
        if name in model and variants_hash(variants) != variants_hash(model[name])
    }


def pending(root: Path, model: Path) -> Dict[str, Any]:
    """What publishing the answers now would change, and answers that need a new model."""
    own = model_responses(model)
    content = content_responses(root)
    return {
        "replace": replacements(own, content),
        "need_training": sorted(set(content) - set(own)),
    }


def live_changes(folder: Path) -> Dict[str, Any]:
    """The replacements live now (empty when the model's own answers are live)."""
    try:
        state = json.loads((Path(folder) / "state.json").read_text(encoding="utf-8"))
        name = (state.get("current") or {}).get("answers")
        return json.loads((Path(folder) / name).read_text(encoding="utf-8")) if name else {}
    except (OSError, ValueError, AttributeError):
        return {}


def not_live(root: Path, folder: Path, model: Path) -> List[str]:
    """Answers whose saved text differs from the text the assistant says now."""
    wanted = pending(root, model)["replace"]
    live = live_changes(folder)
    return sorted(
        name
        for name in set(wanted) | set(live)
        if variants_hash((wanted.get(name) or {}).get("variants"))
        != variants_hash((live.get(name) or {}).get("variants"))
    )


def write(folder: Path, changes: Dict[str, Any]) -> str:
    """Writes the replacements to a file named by their hash; returns its name."""
    text = json.dumps(changes, indent=1, sort_keys=True, ensure_ascii=False)
    name = f"answers-{hashlib.sha256(text.encode('utf-8')).hexdigest()[:16]}.json"
    temporary = folder / f"{name}.tmp"
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, folder / name)
    return name


class PublishedAnswers:
    """Reads the published replacements; rereads only when the published state changes."""

    def __init__(self, folder: Path) -> None:
        self.folder = Path(folder)
        self._seen: tuple | None = None
        self._changes: Dict[str, Any] = {}

    def _refresh(self) -> None:
        state_file = self.folder / "state.json"
        try:
            stat = state_file.stat()
        except OSError:
            self._seen, self._changes = None, {}
            return
        key = (stat.st_mtime_ns, stat.st_size)
        if key == self._seen:
            return
        self._changes = live_changes(self.folder)  # unreadable: the model's own texts
        self._seen = key

    def variants_for(self, name: str, own: Variants | None) -> Variants | None:
        """The published text for `name`, if it replaces exactly the model's own text."""
        self._refresh()
        change = self._changes.get(name)
        if not change or own is None or change.get("replaces") != variants_hash(own):
            return None
        return change.get("variants")
