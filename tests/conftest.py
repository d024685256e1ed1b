"""Fixtures shared by every test: trackers, dispatchers and the project's data."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def dispatcher() -> CollectingDispatcher:
    return CollectingDispatcher()


@pytest.fixture
def make_tracker():
    """Builds a rasa-sdk Tracker as the action server receives it."""

    def make(
        text: str = "",
        intent: str = "",
        slots: Dict[str, Any] | None = None,
        channel: str = "rest",
        events: List[Dict[str, Any]] | None = None,
    ) -> Tracker:
        user_event = {"event": "user", "text": text, "input_channel": channel}
        return Tracker(
            sender_id="test-user",
            slots=slots or {},
            latest_message={
                "text": text,
                "intent": {"name": intent, "confidence": 1.0},
                "entities": [],
            },
            events=[*(events or []), user_event],
            paused=False,
            followup_action=None,
            active_loop={},
            latest_action_name="action_listen",
        )

    return make


@pytest.fixture(scope="session")
def domain() -> Dict[str, Any]:
    """The domain as the action server sees it: domain.yml plus the FAQ files' responses."""
    merged = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
    for path in sorted((ROOT / "data/faq").glob("*.yml")):
        merged["responses"].update(
            yaml.safe_load(path.read_text(encoding="utf-8")).get("responses", {})
        )
    return merged


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT
