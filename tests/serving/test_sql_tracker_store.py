"""The tracker store named in endpoints.yml (serving/private_tracker_store.py): each event stored
once, the same rows as Rasa's SQL store writes, the same conversations read back."""

from __future__ import annotations

import sqlite3

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    SessionStarted,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker

from serving.private_tracker_store import STORED, PrivateSQLTrackerStore

COLUMNS = "sender_id, type_name, timestamp, intent_name, action_name, data"

DOMAIN = Domain.from_yaml("version: '3.1'\nintents: [greet]\nresponses:\n  utter_hi:\n  - text: hi")


@pytest.fixture
def store(tmp_path) -> PrivateSQLTrackerStore:
    return PrivateSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "trackers.db"))


def turn(text: str, timestamp: float) -> list:
    return [
        UserUttered(text, {"name": "greet", "confidence": 1.0}, timestamp=timestamp),
        ActionExecuted("utter_hi", timestamp=timestamp + 0.1),
        BotUttered("hi", timestamp=timestamp + 0.2),
        ActionExecuted("action_listen", timestamp=timestamp + 0.3),
    ]


def stored_texts(db: str, sender: str) -> list:
    with sqlite3.connect(db) as connection:
        rows = connection.execute(
            "SELECT type_name, data FROM events WHERE sender_id = ? ORDER BY id", (sender,)
        ).fetchall()
    return [type_name for type_name, _ in rows]


async def new_tracker(store: SQLTrackerStore, sender: str):
    tracker = await store.get_or_create_tracker(sender)
    tracker.update(SessionStarted(timestamp=1.0))
    tracker.update(ActionExecuted("action_listen", timestamp=1.1))
    return tracker


async def test_each_turn_is_stored_once(store):
    tracker = await new_tracker(store, "a")
    for i in range(3):
        for event in turn(f"hello {i}", 10.0 + i):
            tracker.update(event)
        await store.save(tracker)
        tracker = await store.retrieve("a")
        assert getattr(tracker, STORED) == len(tracker.events)
    events = list((await store.retrieve_full_tracker("a")).events)
    assert [e.text for e in events if isinstance(e, UserUttered)] == [
        "hello 0",
        "hello 1",
        "hello 2",
    ]
    assert len(stored_texts(store.engine.url.database, "a")) == len(events)


async def test_saving_twice_without_changes_adds_nothing(store):
    tracker = await new_tracker(store, "b")
    await store.save(tracker)
    await store.save(tracker)
    for event in turn("hello", 10.0):
        tracker.update(event)
    await store.save(tracker)
    await store.save(tracker)
    assert len(stored_texts(store.engine.url.database, "b")) == len(tracker.events)


async def test_new_session_keeps_the_old_one(store):
    tracker = await new_tracker(store, "c")
    for event in turn("first session", 10.0):
        tracker.update(event)
    await store.save(tracker)
    tracker = await store.retrieve("c")
    tracker.update(SessionStarted(timestamp=100.0))
    tracker.update(ActionExecuted("action_listen", timestamp=100.1))
    for event in turn("second session", 110.0):
        tracker.update(event)
    await store.save(tracker)
    latest = await store.retrieve("c")
    assert [e.text for e in latest.events if isinstance(e, UserUttered)] == ["second session"]
    full = await store.retrieve_full_tracker("c")
    assert [e.text for e in full.events if isinstance(e, UserUttered)] == [
        "first session",
        "second session",
    ]


async def test_a_tracker_without_the_count_is_counted_rasas_way(store):
    tracker = await new_tracker(store, "d")
    await store.save(tracker)
    copy = tracker.copy()
    assert not hasattr(copy, STORED)
    for event in turn("hello", 10.0):
        copy.update(event)
    await store.save(copy)
    assert len(stored_texts(store.engine.url.database, "d")) == len(copy.events)


async def test_conversations_do_not_mix(store):
    first = await new_tracker(store, "e")
    second = await new_tracker(store, "f")
    for event in turn("from e", 10.0):
        first.update(event)
    await store.save(first)
    await store.save(second)
    texts = [e.text for e in (await store.retrieve("f")).events if isinstance(e, UserUttered)]
    assert texts == []


def rows(db: str) -> list:
    with sqlite3.connect(db) as connection:
        return connection.execute(f"SELECT {COLUMNS} FROM events ORDER BY id").fetchall()


def two_sessions() -> list:
    return [
        SessionStarted(timestamp=1.0),
        ActionExecuted("action_listen", timestamp=1.1),
        *turn("first session", 10.0),
        SessionStarted(timestamp=100.0),
        ActionExecuted("action_listen", timestamp=100.1),
        *turn("second session", 110.0),
    ]


@pytest.mark.parametrize("wal", ["1", "0"])
async def test_rows_and_reads_are_rasas(tmp_path, monkeypatch, wal):
    """The same conversation saved and read by Rasa's own store and by this one."""
    monkeypatch.setenv("SQLITE_WAL", wal)
    results = {}
    for name, kind in (("rasa", SQLTrackerStore), ("ours", PrivateSQLTrackerStore)):
        db = str(tmp_path / f"{name}.db")
        store = kind(DOMAIN, dialect="sqlite", db=db)
        await store.save(DialogueStateTracker.from_events("g", two_sessions(), DOMAIN.slots))
        latest = await store.retrieve("g")
        full = await store.retrieve_full_tracker("g")
        missing = await store.retrieve("nobody")
        results[name] = (rows(db), list(latest.events), list(full.events), missing)
    assert results["ours"] == results["rasa"]
    assert len(results["ours"][1]) < len(results["ours"][2])  # latest session only


@pytest.mark.parametrize(("wal", "mode"), [("1", "wal"), ("0", "delete")])
def test_the_wal_switch(tmp_path, monkeypatch, wal, mode):
    monkeypatch.setenv("SQLITE_WAL", wal)
    store = PrivateSQLTrackerStore(DOMAIN, dialect="sqlite", db=str(tmp_path / "t.db"))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == mode


async def test_a_turn_is_stored_without_the_answer_texts_and_the_other_topics(store, tmp_path):
    """The response selector's copies of the domain's answers and its scores for every topic are
    not kept; the chosen topic is, so the answer and the scoring tools read the same."""
    chosen = {
        "responses": [{"text": "a long curated answer"}, {"text": "sa traduction"}],
        "confidence": 0.9,
        "intent_response_key": "faq/what_is_sex_work",
        "utter_action": "utter_faq/what_is_sex_work",
    }
    ranking = [{"intent_response_key": "faq/what_is_sex_work", "confidence": 0.9}] * 20
    parse = {
        "intent": {"name": "faq", "confidence": 1.0},
        "entities": [],
        "response_selector": {"faq": {"response": chosen, "ranking": ranking}},
    }
    events = [
        ActionExecuted("action_listen", timestamp=1.0),
        UserUttered("what is sex work", parse["intent"], parse_data=parse, timestamp=2.0),
    ]
    await store.save(DialogueStateTracker.from_events("t", events, DOMAIN.slots))

    with sqlite3.connect(str(tmp_path / "trackers.db")) as connection:
        [(data,)] = connection.execute("SELECT data FROM events WHERE type_name = 'user'")
    assert "a long curated answer" not in data and "sa traduction" not in data
    assert '"ranking"' not in data
    latest = (await store.retrieve("t")).latest_message.parse_data
    kept = latest["response_selector"]["faq"]["response"]
    assert kept == {k: v for k, v in chosen.items() if k != "responses"}
