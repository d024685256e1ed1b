"""Candidate NLU pipelines (experiments/*.yml) built from config.yml, for `make compare-pipelines`.

A candidate names only how it differs from config.yml: `without` lists components to leave out.
Everything else, the safety, youth and language gates with their patterns included, comes from
config.yml when the candidate is built, so a candidate never holds a stale copy of them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict

import yaml

from tools import paths


def candidate(path: Path, root: Path = paths.ROOT) -> Dict[str, Any]:
    """The full Rasa configuration of a candidate: its base with the listed components left out."""
    spec = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if "based_on" not in spec:
        return spec
    config = yaml.safe_load((Path(root) / spec["based_on"]).read_text(encoding="utf-8"))
    leave_out = set(spec.get("without") or ())
    missing = leave_out - {component["name"] for component in config["pipeline"]}
    if missing:
        raise ValueError(f"{path}: not in {spec['based_on']}: {sorted(missing)}")
    config["pipeline"] = [c for c in config["pipeline"] if c["name"] not in leave_out]
    return config


def write_candidate(path: Path, folder: Path, root: Path = paths.ROOT) -> Path:
    """Writes the built configuration of `path` into `folder`; the file to train with."""
    folder.mkdir(parents=True, exist_ok=True)
    built = folder / f"{Path(path).stem}.config.yml"
    built.write_text(yaml.safe_dump(candidate(path, root), sort_keys=False), encoding="utf-8")
    return built
