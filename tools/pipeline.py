"""The pipeline's pattern steps as config.yml configures them, built without a model."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from tools import paths


def configured(cls: Any, root: Path = paths.ROOT) -> Any:
    """An instance of the pipeline component `cls` with its settings in config.yml."""
    config = yaml.safe_load((Path(root) / paths.CONFIG).read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"].endswith(f".{cls.__name__}"))
    return cls({**cls.get_default_config(), **step})
