"""The tracker store named in endpoints.yml: Rasa's SQL store, made to forget for real.

- Every SQLite connection deletes securely (`PRAGMA secure_delete=ON`): a deleted row and a page
  freed while rows move are overwritten with zeros, not left readable in free space until the
  space is reused. `make purge` (tools/trackers.py) deletes with the same setting.
- When the database fails, the turn is kept nowhere. Rasa wraps every store in a
  `FailSafeTrackerStore`, which then saves the conversation into an `InMemoryTrackerStore` that
  it never reads back: the person's next turn is read from the database again. That copy would
  only pile up every failed turn in memory, out of reach of `make purge`. This store catches the
  error itself, so the in-memory copy is never made; the person still gets the normal answer.

endpoints.yml: `tracker_store: {type: serving.private_tracker_store.PrivateSQLTrackerStore,
dialect: sqlite, db: var/trackers.db}`.
"""

from __future__ import annotations

import logging
import sqlite3
from typing import Any

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy import event
from sqlalchemy.engine import Engine

logger = logging.getLogger(__name__)


def secure_delete(connection: Any, _record: Any) -> None:
    """SQLAlchemy `connect` listener: zero deleted content on every SQLite connection."""
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA secure_delete=ON")


def describe(error: Exception) -> str:
    """The error's type, and the database driver's own words (SQLAlchemy's text quotes the SQL)."""
    cause = getattr(error, "orig", None)
    if isinstance(cause, sqlite3.Error):
        return f"{type(error).__name__}: {cause}"
    return type(error).__name__


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before Rasa's constructor opens its first connection.
        if not event.contains(Engine, "connect", secure_delete):
            event.listen(Engine, "connect", secure_delete)
        super().__init__(*args, **kwargs)

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await super().save(tracker)
        except Exception as error:  # noqa: BLE001 (any database failure: answer anyway)
            logger.error(
                "Could not save a conversation turn (%s); it is not kept anywhere else.",
                describe(error),
            )
