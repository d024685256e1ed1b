"""The conversations Rasa keeps (SQL tracker store, SQLite file set in endpoints.yml).

Rasa writes one row per event in the table `events` (sender_id, type_name, timestamp, data...).
The staff commands only read user messages and delete whole conversations, so plain sqlite3
is enough and the file can be used while Rasa runs.
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
    conversations_deleted: int
    events_deleted: int
    conversations_kept: int
    file_rewritten: bool = True


def tracker_db(root: Path = paths.ROOT) -> Path:
    """The SQLite file of the tracker store named in endpoints.yml."""
    endpoints = yaml.safe_load((Path(root) / paths.ENDPOINTS).read_text(encoding="utf-8")) or {}
    store = endpoints.get("tracker_store") or {}
    db = Path(store.get("db") or DEFAULT_DB)
    return db if db.is_absolute() else Path(root) / db


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


def purge(db: Path, days: int, now: float | None = None) -> PurgeResult:
    """Deletes every conversation whose latest event is more than `days` days old."""
    if not Path(db).exists():
        return PurgeResult(0, 0, 0)
    cutoff = (now if now is not None else time.time()) - days * 86400
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        if not _has_events(connection):
            return PurgeResult(0, 0, 0)
        with connection:
            latest = connection.execute(
                "SELECT sender_id, MAX(timestamp) FROM events GROUP BY sender_id"
            ).fetchall()
            old = [sender for sender, last in latest if (last or 0) < cutoff]
            events = 0
            for sender in old:
                events += connection.execute(
                    "DELETE FROM events WHERE sender_id = ?", (sender,)
                ).rowcount
        rewritten = not old or _rewrite(connection)
    return PurgeResult(len(old), events, len(latest) - len(old), rewritten)


def _rewrite(connection: sqlite3.Connection) -> bool:
    """Deleted rows stay readable in free pages of the file until it is rewritten (VACUUM)."""
    try:
        connection.execute("VACUUM")
    except sqlite3.OperationalError:  # Rasa is writing: the free pages are reused over time
        return False
    return True
