"""The tracker store named in endpoints.yml: Rasa's SQL store, made to forget for real, and cheaper
per turn without changing what it stores.

endpoints.yml: `tracker_store: {type: serving.private_tracker_store.PrivateSQLTrackerStore,
dialect: sqlite, db: var/trackers.db}`.

Forgetting:
- Every SQLite connection deletes securely (`PRAGMA secure_delete=ON`): a deleted row and a page
  freed while rows move are overwritten with zeros, not left readable in free space until the
  space is reused. `make purge` (tools/trackers.py) deletes with the same setting.
- When the database fails, the turn is kept nowhere. Rasa wraps every store in a
  `FailSafeTrackerStore`, which then saves the conversation into an `InMemoryTrackerStore` that
  it never reads back: the person's next turn is read from the database again. That copy would
  only pile up every failed turn in memory, out of reach of `make purge`. This store catches the
  error itself, so the in-memory copy is never made; the person still gets the normal answer.
- SQL parameters are hidden in errors: the store's errors are logged, and the parameters hold
  the message text.

Less kept: a person's turn is stored without two things Rasa copies into its parse data that
nothing reads back: the answer texts the response selector copies from the domain (in every
language) and its scores for every other FAQ topic. The chosen topic and its confidence stay, so
`utter_faq`, the staff review and the scoring tools read the same. Each turn then takes less
than half the space, and every later turn of the conversation reads and parses that much less.

Cheaper: Rasa's SQL tracker store runs on the server's event loop, so every millisecond it spends
is a millisecond in which no other conversation moves.
- For a SQLite file (SQLITE_WAL, default on), one connection stays open in WAL mode with
  synchronous=NORMAL. Rasa opens a new connection for every read and write (SQLAlchemy 1.4's
  NullPool for files), and each turn's commit waits for an fsync. WAL without the pool is no
  faster: the last connection to close checkpoints the log. A power cut can lose the last
  turns, never corrupt the file.
- Saves without counting. To find which events are new, Rasa counts the conversation's stored
  events with a query on every save. A tracker read from the store already knows that number:
  it is remembered on the tracker and used instead. Each conversation is handled one message at
  a time (the lock store), so nobody else adds events in between. A tracker without the number
  (a new conversation, a copy) is counted Rasa's way.
- Reads and writes rows without the ORM. Rasa builds its query anew for every read and loads
  each event as an ORM object, then adds each new event to the session's unit of work. The same
  query (latest session's events, in id order) is built once as a Core statement, only the
  `data` column is read, and new events are inserted in one statement with the same column
  values. Reads across all sessions stay Rasa's.
"""

from __future__ import annotations

import itertools
import json
import logging
import sqlite3
from typing import Any, Iterator

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore, create_engine_kwargs
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
)
from rasa.shared.core.events import SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import INTENT_NAME_KEY
from sqlalchemy import event, pool
from sqlalchemy.engine import Engine

from serving import switches

logger = logging.getLogger(__name__)

STORED = "_stored_events"


def secure_delete(connection: Any, _record: Any) -> None:
    """SQLAlchemy `connect` listener: zero deleted content on every SQLite connection."""
    if isinstance(connection, sqlite3.Connection):
        connection.execute("PRAGMA secure_delete=ON")


def write_ahead_log(connection: Any, _record: Any) -> None:
    """SQLAlchemy `connect` listener: WAL mode, commits without waiting for an fsync."""
    if isinstance(connection, sqlite3.Connection):
        cursor = connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()


def describe(error: Exception) -> str:
    """The error's type, and the database driver's own words (SQLAlchemy's text quotes the SQL)."""
    cause = getattr(error, "orig", None)
    if isinstance(cause, sqlite3.Error):
        return f"{type(error).__name__}: {cause}"
    return type(error).__name__


def latest_session_query(table: sa.Table) -> sa.sql.Select:
    """Rasa's `_event_query` for the latest session, as one reusable Core statement."""
    sender = sa.bindparam("sender_id")
    session_start = (
        sa.select(sa.func.max(table.c.timestamp))
        .where(table.c.sender_id == sender, table.c.type_name == SessionStarted.type_name)
        .scalar_subquery()
    )
    return (
        sa.select(table.c.data)
        .where(
            table.c.sender_id == sender,
            sa.or_(table.c.timestamp >= session_start, session_start.is_(None)),
        )
        .order_by(table.c.id)
    )


def without_copied_answers(data: dict) -> dict:
    """A user event's data without the response selector's copies of answer texts and its scores
    for every other topic (the chosen topic, its confidence and utter action stay)."""
    selectors = (data.get("parse_data") or {}).get(RESPONSE_SELECTOR_PROPERTY_NAME)
    if not isinstance(selectors, dict):
        return data
    kept = {}
    for name, selector in selectors.items():
        if isinstance(selector, dict):
            response = selector.get(RESPONSE_SELECTOR_PREDICTION_KEY) or {}
            selector = {
                **{k: v for k, v in selector.items() if k != RESPONSE_SELECTOR_RANKING_KEY},
                RESPONSE_SELECTOR_PREDICTION_KEY: {
                    k: v for k, v in response.items() if k != RESPONSE_SELECTOR_RESPONSES_KEY
                },
            }
        kept[name] = selector
    return {**data, "parse_data": {**data["parse_data"], RESPONSE_SELECTOR_PROPERTY_NAME: kept}}


def _row(sender_id: str, event: Any) -> dict:
    data = event.as_dict()
    if event.type_name == UserUttered.type_name:
        data = without_copied_answers(data)
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": data.get("parse_data", {}).get("intent", {}).get(INTENT_NAME_KEY),
        "action_name": data.get("name"),
        "data": json.dumps(data),
    }


class PrivateSQLTrackerStore(SQLTrackerStore):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # Before Rasa's constructor opens its first connection.
        if not event.contains(Engine, "connect", secure_delete):
            event.listen(Engine, "connect", secure_delete)
        super().__init__(*args, **kwargs)
        self._latest_session_query = latest_session_query(self.SQLEvent.__table__)
        url = self.engine.url
        sqlite = url.drivername.startswith("sqlite")
        if sqlite and not url.database:
            return  # in memory: the tables live in Rasa's one connection
        engine_kwargs = {**create_engine_kwargs(url), "hide_parameters": True}
        pooled = sqlite and switches.on("SQLITE_WAL")
        if pooled:
            engine_kwargs.update(
                poolclass=pool.QueuePool, connect_args={"check_same_thread": False}
            )
        # Rasa's engine made the tables; this one, with the settings above, serves.
        self.engine.dispose()
        self.engine = sa.create_engine(url, **engine_kwargs)
        if pooled:
            event.listen(self.engine, "connect", write_ahead_log)
        self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def save(self, tracker: DialogueStateTracker) -> None:
        try:
            await self.stream_events(tracker)
            with self.session_scope() as session:
                rows = [
                    _row(tracker.sender_id, e) for e in self._additional_events(session, tracker)
                ]
                if rows:
                    session.execute(self.SQLEvent.__table__.insert(), rows)
                session.commit()
            setattr(tracker, STORED, len(tracker.events))
        except Exception as error:  # noqa: BLE001 (any database failure: answer anyway)
            logger.error(
                "Could not save a conversation turn (%s); it is not kept anywhere else.",
                describe(error),
            )

    async def _retrieve(
        self, sender_id: str, fetch_events_from_all_sessions: bool
    ) -> DialogueStateTracker | None:
        if fetch_events_from_all_sessions:
            return await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        with self.session_scope() as session:
            rows = (
                session.execute(self._latest_session_query, {"sender_id": sender_id})
                .scalars()
                .all()
            )
        if not self.domain or not rows:
            return None
        tracker = DialogueStateTracker.from_dict(
            sender_id, [json.loads(data) for data in rows], self.domain.slots
        )
        setattr(tracker, STORED, len(tracker.events))
        return tracker

    def _additional_events(self, session: Any, tracker: DialogueStateTracker) -> Iterator:
        stored = getattr(tracker, STORED, None)
        if stored is None or stored > len(tracker.events):
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))
