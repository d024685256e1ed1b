"""The held-out examples and the latest model's parses of them, Rasa's own way (once per run)."""

from __future__ import annotations

import asyncio
from typing import Dict, List, Tuple

import pytest

from tools.heldout import latest_model, load_examples, predict


@pytest.fixture(scope="session")
def model() -> str:
    return latest_model()


@pytest.fixture(scope="session")
def heldout() -> List[Tuple[str, str]]:
    return load_examples()


@pytest.fixture(scope="session")
def rasa_parses(model: str, heldout: List[Tuple[str, str]]) -> List[Dict]:
    return asyncio.run(predict(model, [text for text, _ in heldout]))
