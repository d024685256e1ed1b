"""The danger patterns of the NLU pipeline (config.yml, SafetyGate), for the connectors.

A message that skips the dialogue (a sender over the rate limit) is still checked against the
same patterns the pipeline uses, so danger gets 911 whatever else happens. The patterns are read
from config.yml, their one definition.
"""

from __future__ import annotations

import logging
from functools import lru_cache
from pathlib import Path
from typing import Callable

import yaml

logger = logging.getLogger(__name__)

CONFIG = Path(__file__).resolve().parent.parent / "config.yml"
GATE = "components.safety_gate.SafetyGate"


@lru_cache(maxsize=1)
def _checker() -> Callable[[str], bool]:
    from components.safety_gate import SafetyGate

    try:
        pipeline = yaml.safe_load(CONFIG.read_text())["pipeline"]
        settings = next(step for step in pipeline if step.get("name") == GATE)
    except (OSError, KeyError, StopIteration, TypeError, yaml.YAMLError):
        logger.error("No danger patterns found in %s; every message counts as danger.", CONFIG)
        return lambda _: True
    config = {**SafetyGate.get_default_config(), **settings}
    return SafetyGate(config).is_danger


def is_danger(text: str) -> bool:
    return _checker()(text)
