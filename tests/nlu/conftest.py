"""The held-out examples and the latest model's parses of them, Rasa's own way (once per run)."""

from __future__ import annotations

import asyncio
import os
from typing import Dict, List, Tuple

import pytest

from serving import switches
from tools.heldout import latest_model, load_examples, predict


@pytest.fixture(scope="session")
def model() -> str:
    return latest_model()


@pytest.fixture(scope="session")
def heldout() -> List[Tuple[str, str]]:
    return load_examples()


@pytest.fixture(scope="session")
def rasa_parses(model: str, heldout: List[Tuple[str, str]]) -> List[Dict]:
    """Parses with Rasa's own code: the featurizer of config.yml with its switches off."""
    plain = {
        switch.name: switch.plain
        for switch in switches.SWITCHES
        if switch.where.startswith("components/")
    }
    saved = {name: os.environ.get(name) for name in plain}
    os.environ.update(plain)
    try:
        return asyncio.run(predict(model, [text for text, _ in heldout]))
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
