"""Missed questions in the console: the list of `make review`, filed or dismissed one at a time.

The list is tools/review.py's (masked, newest first, with the assistant's closest guess); filing a
question uses tools/import_review.py's plan and writer, so the same rules apply as for a labelled
CSV. Dismissed questions are remembered by a hash of their masked text only.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import List, Set, Tuple

from tools.import_review import apply, plan_import
from tools.masking import Masker, default_masker
from tools.project import load_project
from tools.review import DEFAULT_THRESHOLD, Missed, missed_messages
from tools.text import normalise
from tools.trackers import tracker_db

DISMISSED = "var/console/dismissed.json"


@lru_cache(maxsize=2)
def _masker(root: Path) -> Masker:
    return default_masker(root)


def _digest(text: str) -> str:
    return hashlib.sha256(normalise(text).encode("utf-8")).hexdigest()[:24]


def _dismissed(root: Path) -> Set[str]:
    path = Path(root) / DISMISSED
    if not path.exists():
        return set()
    return set(json.loads(path.read_text(encoding="utf-8")))


def dismiss(root: Path, text: str) -> None:
    path = Path(root) / DISMISSED
    path.parent.mkdir(parents=True, exist_ok=True)
    kept = sorted(_dismissed(root) | {_digest(text)})
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(kept, handle)
    os.replace(temporary, path)


def listing(root: Path, threshold: float = DEFAULT_THRESHOLD) -> Tuple[List[Missed], List[str]]:
    """(missed questions not yet filed or dismissed, newest first; labels to file them under)."""
    project = load_project(root)
    labels = sorted(
        {e.intent for e in project.examples} - {"nlu_fallback", "faq"},
        key=lambda n: (n.startswith("faq/"), n),
    )
    db = tracker_db(root)
    if not db.exists():
        return [], labels
    rows, _ = missed_messages(db, _masker(Path(root)), threshold)
    known = {e.key for e in project.examples}
    hidden = _dismissed(root)
    return [
        r for r in rows if normalise(r.text) not in known and _digest(r.text) not in hidden
    ], labels


@dataclass
class Filed:
    errors: List[str] = field(default_factory=list)
    files: List[str] = field(default_factory=list)
    message: str = ""


def file_under(root: Path, text: str, label: str) -> Filed:
    """Adds `text` as an example of `label` (a topic or intent), as make import-review does."""
    project = load_project(root)
    if project.problems:
        return Filed(errors=["Fix the problems `make check` shows first."])
    plan = plan_import(project, [{"text": text, "label": label}])
    if plan.errors:
        return Filed(errors=[e.split(": ", 1)[-1] for e in plan.errors])
    if not plan.additions:
        reason = plan.skipped[0].split(": ", 1)[-1] if plan.skipped else "Nothing to add."
        return Filed(errors=[reason])
    apply(root, plan)
    files = sorted(plan.additions)
    return Filed(
        files=files,
        message=f"Added as an example of {label} in {', '.join(files)}. It counts after the "
        f"next training (Evaluate, then Publish a new model).",
    )
