"""The conversations Rasa keeps (SQL tracker store, SQLite file set in endpoints.yml).

Rasa writes one row per event in the table `events` (sender_id, type_name, timestamp, data...).
The staff commands only read user messages and delete old events, so plain sqlite3 is enough and
the file can be used while Rasa runs (WAL mode: the database is `trackers.db` plus `-wal` and
`-shm` files).
"""

from __future__ import annotations

import json
import sqlite3
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterator

import yaml

from tools import paths

DEFAULT_DB = "var/trackers.db"
DEFAULT_RETENTION_DAYS = 30


@dataclass(frozen=True)
class UserMessage:
    sender: str
    timestamp: float
    text: str
    parse_data: Dict[str, Any]


@dataclass(frozen=True)
class PurgeResult:
    conversations_deleted: int  # every event of the conversation was old
    events_deleted: int
    conversations_kept: int  # still holding newer events (their old events are gone)
    erased: bool = True  # False: the database was busy, deleted text may remain in the files


def tracker_db(root: Path = paths.ROOT) -> Path:
    """The SQLite file of the tracker store named in endpoints.yml."""
    endpoints = yaml.safe_load((Path(root) / paths.ENDPOINTS).read_text(encoding="utf-8")) or {}
    store = endpoints.get("tracker_store") or {}
    db = Path(store.get("db") or DEFAULT_DB)
    return db if db.is_absolute() else Path(root) / db


def database_files(db: Path) -> list:
    """The database file and the WAL and shared-memory files SQLite keeps next to it."""
    return [p for p in (Path(db), Path(f"{db}-wal"), Path(f"{db}-shm")) if p.exists()]


def _has_events(connection: sqlite3.Connection) -> bool:
    found = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'events'"
    ).fetchone()
    return found is not None


def user_messages(db: Path, since: float | None = None) -> Iterator[UserMessage]:
    """Every message people sent, oldest first (optionally only those after `since`)."""
    if not Path(db).exists():
        return
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        if not _has_events(connection):
            return
        rows = connection.execute(
            "SELECT sender_id, timestamp, data FROM events "
            "WHERE type_name = 'user' AND timestamp >= ? ORDER BY timestamp",
            (since or 0,),
        ).fetchall()
    for sender, timestamp, data in rows:
        event = json.loads(data or "{}")
        yield UserMessage(
            sender=sender,
            timestamp=float(timestamp or 0),
            text=str(event.get("text") or ""),
            parse_data=event.get("parse_data") or {},
        )


def purge(db: Path, days: float, now: float | None = None) -> PurgeResult:
    """Erases every event older than `days` days, from the database and its WAL file.

    Age is counted per event, so the old messages of a person who still writes are erased too.
    Deleting is not enough to erase: SQLite leaves deleted rows in free space of the file, and
    Rasa's latest writes sit in the `-wal` file until a checkpoint. So the rows are deleted with
    secure_delete on, the file is rebuilt (VACUUM), and the WAL is copied back and truncated.
    """
    if not Path(db).exists():
        return PurgeResult(0, 0, 0)
    cutoff = (now if now is not None else time.time()) - days * 86400
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        connection.execute("PRAGMA secure_delete=ON")
        if not _has_events(connection):
            return PurgeResult(0, 0, 0)
        with connection:
            before = _senders(connection)
            events = connection.execute(
                "DELETE FROM events WHERE timestamp IS NULL OR timestamp < ?", (cutoff,)
            ).rowcount
            after = _senders(connection)
        erased = _erase_deleted(connection)
    return PurgeResult(len(before - after), events, len(after), erased)


def _senders(connection: sqlite3.Connection) -> set:
    return {row[0] for row in connection.execute("SELECT DISTINCT sender_id FROM events")}


def _erase_deleted(connection: sqlite3.Connection) -> bool:
    """Rewrites the file without free space, then empties the WAL into it and truncates it."""
    try:
        connection.execute("VACUUM")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # another process held the database for the whole timeout
        return False
    return busy == 0
