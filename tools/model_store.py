"""The published model and service directory: what the running assistant uses, and the one before.

models/published/state.json names the current and the previous publication: a model and the
snapshot of data/referrals/services.yml and places.yml taken when it was published. Their files
are copied next to it (never changed in place, so a server can read them at any time). The live
snapshot is copied to models/published/referrals/ (tools/paths.py PUBLISHED_SERVICES and
PUBLISHED_PLACES), which the action server and the channels read when the published model serves
(scripts/services.sh): an edit in the working tree reaches people only through `make publish`,
and `make rollback` restores the model and the directory together.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import Any, Dict

from tools import paths
from tools.models import fingerprint, newest_trained

STATE = "state.json"
REFERRALS = {"services": paths.SERVICES, "places": paths.PLACES}
LIVE_REFERRALS = {"services": paths.PUBLISHED_SERVICES, "places": paths.PUBLISHED_PLACES}


class StoreError(Exception):
    """Something staff must do first, in plain words."""


def store_dir(root: Path) -> Path:
    return Path(root) / paths.PUBLISHED


def read_state(root: Path) -> Dict[str, Any]:
    path = store_dir(root) / STATE
    if not path.exists():
        return {"current": None, "previous": None}
    return json.loads(path.read_text(encoding="utf-8"))


def _write_state(root: Path, state: Dict[str, Any]) -> None:
    folder = store_dir(root)
    temporary = folder / f"{STATE}.tmp"
    temporary.write_text(json.dumps(state, indent=1), encoding="utf-8")
    os.replace(temporary, folder / STATE)  # atomic: the server never sees half a file
    entries = [entry for entry in (state["current"], state["previous"]) if entry]
    keep = {entry[key] for entry in entries for key in ("file", "answers") if entry.get(key)}
    keep |= {name for entry in entries for name in (entry.get("referrals") or {}).values()}
    for old in [*folder.glob("*.tar.gz"), *folder.glob("*.yml"), *folder.glob("answers-*.json")]:
        if old.name not in keep:
            old.unlink()
    if state["current"]:
        _make_referrals_live(root, state["current"])


def _copy_atomically(source: Path, target: Path) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f"{target.name}.tmp")
    shutil.copyfile(source, temporary)
    os.replace(temporary, target)


def referral_names(root: Path) -> Dict[str, str]:
    """The store's file names for the working tree's services and places (named by content)."""
    names = {}
    for key, relative in REFERRALS.items():
        source = Path(root) / relative
        if not source.exists():
            raise StoreError(f"{relative} is missing: nothing was published.")
        names[key] = f"{key}-{hashlib.sha256(source.read_bytes()).hexdigest()[:16]}.yml"
    return names


def snapshot_referrals(root: Path) -> Dict[str, str]:
    """Copies the working tree's services and places into the store; their file names."""
    folder = store_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    names = referral_names(root)
    for key, name in names.items():
        if not (folder / name).exists():
            _copy_atomically(Path(root) / REFERRALS[key], folder / name)
    return names


def is_published(root: Path, model: Path) -> bool:
    """`model` and the working tree's directory are what is live now."""
    current = read_state(root).get("current") or {}
    return current.get("fingerprint") == fingerprint(model) and current.get(
        "referrals"
    ) == referral_names(root)


def is_live_model(root: Path, model: Path) -> bool:
    """`model` is the live one (its directory may differ)."""
    return (read_state(root).get("current") or {}).get("fingerprint") == fingerprint(model)


def _make_referrals_live(root: Path, entry: Dict[str, Any]) -> None:
    for key, name in (entry.get("referrals") or {}).items():
        _copy_atomically(store_dir(root) / name, Path(root) / LIVE_REFERRALS[key])


def ensure_referrals_published(root: Path) -> bool:
    """A publication from before the directory was published with the model gets a snapshot of
    the directory it was being served with; True if one was taken."""
    state = read_state(root)
    if not state.get("current") or state["current"].get("referrals"):
        return False
    state["current"] = {**state["current"], "referrals": snapshot_referrals(root)}
    _write_state(root, state)
    return True


def current_file(root: Path) -> Path | None:
    entry = read_state(root).get("current")
    if not entry:
        return None
    path = store_dir(root) / entry["file"]
    return path if path.exists() else None


def publish(root: Path, model: Path, how: str) -> Dict[str, Any]:
    """Makes `model` and the working tree's directory current; the current ones become previous."""
    state = read_state(root)
    print_name = fingerprint(model)
    if is_published(root, model):
        raise StoreError(f"{model.name} and the service directory are already published.")
    referrals = snapshot_referrals(root)
    folder = store_dir(root)
    folder.mkdir(parents=True, exist_ok=True)
    name = f"{print_name}.tar.gz"
    temporary = folder / f"{name}.tmp"
    shutil.copyfile(model, temporary)
    os.replace(temporary, folder / name)
    entry = {
        "file": name,
        "fingerprint": print_name,
        "trained_as": model.name,
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
        "how": how,
        "referrals": referrals,
    }
    current = state["current"] or {}
    if current.get("fingerprint") == print_name and current.get("answers"):
        # The same model with a new directory: answers published without training stay live.
        entry["answers"] = current["answers"]
    new_state = {"current": entry, "previous": state["current"]}
    _write_state(root, new_state)
    return entry


def publish_answers(root: Path, how: str) -> Dict[str, Any]:
    """Makes the answers as written now live with the current model, without training.

    Only answers the live model already has can change this way; new answers need a new model.
    """
    from tools.published_answers import pending, write

    state = read_state(root)
    model = current_file(root)
    if model is None:
        raise StoreError("Nothing is published yet: publish a trained model first.")
    changes = pending(root, model)["replace"]
    name = write(store_dir(root), changes) if changes else None
    if name == state["current"].get("answers"):
        raise StoreError("These answers are already live: nothing to publish.")
    entry = {
        **state["current"],
        "answers": name,
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
        "how": how,
    }
    _write_state(root, {"current": entry, "previous": state["current"]})
    return entry


def rollback(root: Path) -> Dict[str, Any]:
    """Makes the previous model current again (and the current one the previous)."""
    state = read_state(root)
    if not state.get("previous"):
        raise StoreError("There is no previous model to go back to.")
    if not (store_dir(root) / state["previous"]["file"]).exists():
        raise StoreError("The previous model's file is missing; it cannot be restored.")
    entry = {
        **state["previous"],
        "how": "rollback",
        "published_at": dt.datetime.now().isoformat(timespec="seconds"),
    }
    _write_state(root, {"current": entry, "previous": state["current"]})
    return entry


def publish_first_model(root: Path) -> Dict[str, Any] | None:
    """On a fresh install nothing is published yet: publish the newest trained model."""
    if current_file(root) is not None:
        return None
    model = newest_trained(root)
    if model is None:
        raise StoreError("No model has been trained yet: run `make train` first.")
    return publish(root, model, "first run (nothing was published yet)")
