"""The tracker store of endpoints.yml: secure delete, and no in-memory copy when the database fails.

Rasa's FailSafeTrackerStore saves a turn it could not write into an InMemoryTrackerStore that it
never reads back and `make purge` cannot reach; this store keeps the turn nowhere instead.
"""

from __future__ import annotations

import logging
import sqlite3
import uuid
from contextlib import closing
from pathlib import Path

import yaml
from rasa.core.agent import Agent
from rasa.core.tracker_store import FailSafeTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from serving.private_tracker_store import PrivateSQLTrackerStore

ROOT = Path(__file__).resolve().parents[2]


def store_from_endpoints(db: Path) -> TrackerStore:
    """The store Rasa's agent builds from the project's endpoints.yml, on another database file."""
    config = yaml.safe_load((ROOT / "endpoints.yml").read_text())["tracker_store"]
    config["db"] = str(db)
    store = TrackerStore.create(EndpointConfig.from_dict(config), Domain.empty())
    return Agent._create_tracker_store(store, Domain.empty())


def tracker(text: str) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        f"s-{uuid.uuid4().hex}",
        [ActionExecuted("action_listen"), UserUttered(text, {"name": "greet", "confidence": 1})],
    )


async def test_endpoints_name_this_store_and_it_saves(tmp_path):
    store = store_from_endpoints(tmp_path / "trackers.db")
    assert isinstance(store, FailSafeTrackerStore)
    assert isinstance(store._tracker_store, PrivateSQLTrackerStore)
    saved = tracker("hello")
    await store.save(saved)
    assert (await store.retrieve(saved.sender_id)).latest_message.text == "hello"


async def test_a_failed_save_keeps_the_turn_nowhere(tmp_path, caplog):
    db = tmp_path / "trackers.db"
    store = store_from_endpoints(db)
    with closing(sqlite3.connect(db)) as connection:
        connection.execute("DROP TABLE events")  # every write now fails
    marker = f"marker-{uuid.uuid4().hex}"

    with caplog.at_level(logging.INFO):
        await store.save(tracker(marker))  # answers anyway: no exception

    assert store._fallback_tracker_store is None  # Rasa's in-memory copy was never made
    assert "Could not save a conversation turn (OperationalError: no such table" in caplog.text
    assert marker not in caplog.text
