"""The published model: the one the running assistant uses, and the one before it.

models/published/state.json names the current and the previous model; their files are copied
next to it (a model is never changed in place, so the server can read it at any time).
"""

from __future__ import annotations

import datetime as dt
import json
import os
import shutil
from pathlib import Path
from typing import Any, Dict

from tools import paths
from tools.models import fingerprint, newest_trained

STATE = "state.json"


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
    for old in [*folder.glob("*.tar.gz"), *folder.glob("answers-*.json")]:
        if old.name not in keep:
            old.unlink()


def current_file(root: Path) -> Path | None:
    entry = read_state(root).get("current")
    if not entry:
        return None
    path = store_dir(root) / entry["file"]
    return path if path.exists() else None


def publish(root: Path, model: Path, how: str) -> Dict[str, Any]:
    """Makes `model` the current model; the current one becomes the previous."""
    state = read_state(root)
    print_name = fingerprint(model)
    if state["current"] and state["current"]["fingerprint"] == print_name:
        raise StoreError(f"{model.name} is already the published model.")
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
    }
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
