"""Trained model files: which is newest, and a fingerprint that identifies one."""

from __future__ import annotations

import hashlib
from pathlib import Path

from tools import paths


def newest_model(folder: Path) -> Path | None:
    """The most recently written model archive in `folder` (not in its subfolders)."""
    found = sorted(Path(folder).glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    return found[-1] if found else None


def newest_trained(root: Path = paths.ROOT) -> Path | None:
    """The most recently trained model in models/ (published copies are not counted)."""
    return newest_model(Path(root) / paths.MODELS)


def fingerprint(path: Path) -> str:
    """A short hash of the file's content: the same model always has the same fingerprint."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()[:16]
