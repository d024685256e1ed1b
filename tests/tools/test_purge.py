"""`make purge`: per-message retention, and erasing for real (no text left in any database file).

Conversations are written with the project's tracker store (endpoints.yml) into a database in WAL
mode, with another connection held open as the running Rasa server holds its pool: Rasa's
latest writes then stay in the `-wal` file.
"""

from __future__ import annotations

import sqlite3
import time
import uuid
from contextlib import closing
from pathlib import Path

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from serving.private_tracker_store import PrivateSQLTrackerStore
from tools.purge import main as purge_main
from tools.trackers import database_files, purge

NOW = time.time()
DAY = 86400


def hits(db: Path, marker: str) -> dict:
    """How often the marker occurs in the raw bytes of each database file."""
    return {p.name: p.read_bytes().count(marker.encode()) for p in database_files(db)}


async def save_conversation(db: Path, sender: str, messages: list) -> None:
    """messages: (text, timestamp); each answered by the bot, as Rasa stores it."""
    store = PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    events = []
    for text, timestamp in messages:
        events += [
            UserUttered(text, intent={"name": "greet", "confidence": 1.0}, timestamp=timestamp),
            ActionExecuted("utter_greet", timestamp=timestamp + 1),
            BotUttered("Hello", timestamp=timestamp + 1),
        ]
    await store.save(DialogueStateTracker.from_events(sender, events))
    store.engine.dispose()


@pytest.fixture
def running_db(tmp_path):
    """A WAL database with a connection held open, as while Rasa runs."""
    db = tmp_path / "trackers.db"
    held = sqlite3.connect(db)
    held.execute("PRAGMA journal_mode=WAL")
    held.execute("SELECT COUNT(*) FROM sqlite_master").fetchall()  # holds the WAL open
    yield db
    held.close()


def stored(db: Path) -> dict:
    with closing(sqlite3.connect(db)) as connection:
        return dict(connection.execute("SELECT sender_id, COUNT(*) FROM events GROUP BY 1"))


async def test_retention_counts_each_message_not_the_latest_one(running_db, tiny, capsys):
    old, recent, regular = (f"marker-{uuid.uuid4().hex}" for _ in range(3))
    await save_conversation(running_db, "gone", [(old + "-a", NOW - 45 * DAY)])
    await save_conversation(running_db, "recent", [(recent, NOW - 5 * DAY)])
    # a person who writes again every few weeks: the old visit is erased, the new one kept
    await save_conversation(
        running_db, "regular", [(old + "-b", NOW - 40 * DAY), (regular, NOW - DAY)]
    )

    assert purge_main(["--root", str(tiny), "--db", str(running_db), "--days", "30"]) == 0

    out = capsys.readouterr().out
    assert "Erased 6 message(s) and answer(s) older than 30 days" in out
    assert "1 conversation(s) are gone, 2 still have newer messages" in out
    assert stored(running_db) == {"recent": 3, "regular": 3}
    assert set(hits(running_db, old).values()) == {0}
    assert sum(hits(running_db, recent).values()) > 0
    assert sum(hits(running_db, regular).values()) > 0
    assert purge(running_db, days=30).events_deleted == 0  # running it again erases nothing


async def test_purged_text_is_in_no_database_file(running_db):
    marker = f"marker-{uuid.uuid4().hex}"
    await save_conversation(running_db, "a", [(marker, NOW - 40 * DAY)])
    await save_conversation(running_db, "b", [("kept", NOW - DAY)])
    assert hits(running_db, marker)["trackers.db-wal"] > 0

    result = purge(running_db, days=30)

    assert result.erased
    assert hits(running_db, marker) == {name: 0 for name in hits(running_db, marker)}
    assert Path(f"{running_db}-wal").stat().st_size == 0  # checkpointed and truncated
    assert stored(running_db) == {"b": 3}


async def test_the_store_deletes_securely(tmp_path):
    db = tmp_path / "trackers.db"
    store = PrivateSQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    with store.engine.connect() as connection:
        assert connection.exec_driver_sql("PRAGMA secure_delete").scalar() == 1
    store.engine.dispose()


def test_purge_without_a_database_does_nothing(tmp_path):
    result = purge(tmp_path / "none.db", days=30)
    assert (result.conversations_deleted, result.conversations_kept) == (0, 0)


def test_purge_refuses_a_retention_under_a_day(tiny, tmp_path, capsys):
    assert purge_main(["--root", str(tiny), "--db", str(tmp_path / "t.db"), "--days", "0"]) == 1
    assert "at least 1" in capsys.readouterr().out
