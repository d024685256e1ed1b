"""The conversations Rasa keeps (SQL tracker store: a SQLite file set in endpoints.yml, or the
cluster's PostgreSQL set in deploy/cluster/endpoints.yml).

Rasa writes one row per event in the table `events` (sender_id, type_name, timestamp, data...).
The staff commands only read user messages and delete old events, so plain sqlite3 is enough and
the file can be used while Rasa runs (WAL mode: the database is `trackers.db` plus `-wal` and
`-shm` files). On PostgreSQL the same statements run through SQLAlchemy.
"""

from __future__ import annotations

import json
import os
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


@dataclass(frozen=True)
class ServerDatabase:
    """A tracker store on a database server (PostgreSQL): what SQLAlchemy connects to."""

    url: Any  # sqlalchemy.engine.URL, password included

    def __str__(self) -> str:
        return self.url.render_as_string(hide_password=True)


def _store_settings(root: Path, endpoints: Path | None) -> Dict[str, Any]:
    """The `tracker_store` section, its ${VARIABLE}s filled in from the environment as Rasa does."""
    path = endpoints or Path(root) / paths.ENDPOINTS
    text = os.path.expandvars(Path(path).read_text(encoding="utf-8"))
    return (yaml.safe_load(text) or {}).get("tracker_store") or {}


def tracker_db(root: Path = paths.ROOT) -> Path:
    """The SQLite file of the tracker store named in endpoints.yml."""
    db = Path(_store_settings(root, None).get("db") or DEFAULT_DB)
    return db if db.is_absolute() else Path(root) / db


def tracker_database(root: Path = paths.ROOT, endpoints: Path | None = None):
    """The tracker store an endpoints file names: a SQLite file, or a ServerDatabase."""
    store = _store_settings(root, endpoints)
    if store.get("dialect", "sqlite") == "sqlite":
        db = Path(store.get("db") or DEFAULT_DB)
        return db if db.is_absolute() else Path(root) / db
    import sqlalchemy as sa

    url = sa.engine.URL.create(
        drivername=store["dialect"],
        username=store.get("username"),
        password=store.get("password"),
        host=store.get("url"),
        port=int(store["port"]) if store.get("port") else None,
        database=store.get("db"),
    )
    return ServerDatabase(url)


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
    rows = _server_rows(db, since) if isinstance(db, ServerDatabase) else _sqlite_rows(db, since)
    for sender, timestamp, data in rows:
        event = json.loads(data or "{}")
        yield UserMessage(
            sender=sender,
            timestamp=float(timestamp or 0),
            text=str(event.get("text") or ""),
            parse_data=event.get("parse_data") or {},
        )


USER_MESSAGES = (
    "SELECT sender_id, timestamp, data FROM events "
    "WHERE type_name = 'user' AND timestamp >= {since} ORDER BY timestamp"
)


def _server_rows(db: ServerDatabase, since: float | None) -> list:
    import sqlalchemy as sa

    engine = sa.create_engine(db.url, hide_parameters=True)
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return []
            query = sa.text(USER_MESSAGES.format(since=":since"))
            return connection.execute(query, {"since": since or 0}).fetchall()
    finally:
        engine.dispose()


def _sqlite_rows(db: Path, since: float | None) -> list:
    if not Path(db).exists():
        return
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        if not _has_events(connection):
            return []
        return connection.execute(USER_MESSAGES.format(since="?"), (since or 0,)).fetchall()


def purge(db: Path, days: float, now: float | None = None) -> PurgeResult:
    """Erases every event older than `days` days, from the database and its WAL file.

    Age is counted per event, so the old messages of a person who still writes are erased too.
    Deleting is not enough to erase: SQLite leaves deleted rows in free space of the file, and
    Rasa's latest writes sit in the `-wal` file until a checkpoint. So the rows are deleted with
    secure_delete on, the file is rebuilt (VACUUM), and the WAL is copied back and truncated.
    """
    cutoff = (now if now is not None else time.time()) - days * 86400
    if isinstance(db, ServerDatabase):
        return _purge_server(db, cutoff)
    if not Path(db).exists():
        return PurgeResult(0, 0, 0)
    with closing(sqlite3.connect(db, timeout=30)) as connection:
        connection.execute("PRAGMA secure_delete=ON")
        if not _has_events(connection):
            return PurgeResult(0, 0, 0)
        with connection:
            before = _senders(connection)
            events = connection.execute(DELETE_OLD.format(cutoff="?"), (cutoff,)).rowcount
            after = _senders(connection)
        erased = _erase_deleted(connection)
    return PurgeResult(len(before - after), events, len(after), erased)


DELETE_OLD = "DELETE FROM events WHERE timestamp IS NULL OR timestamp < {cutoff}"
# How long the purge waits for Rasa to let go of the table before it reports the database busy.
SERVER_LOCK_TIMEOUT = "10s"


def _purge_server(db: ServerDatabase, cutoff: float) -> PurgeResult:
    """The same erasure on PostgreSQL: DELETE leaves the rows' bytes in the table's files until
    the space is reused, so the table is rewritten (VACUUM FULL) and the old files are dropped,
    then a checkpoint lets the write-ahead log's segments that held them be recycled."""
    import sqlalchemy as sa

    engine = sa.create_engine(db.url, hide_parameters=True, isolation_level="AUTOCOMMIT")
    try:
        with engine.connect() as connection:
            if not sa.inspect(connection).has_table("events"):
                return PurgeResult(0, 0, 0)
            with connection.begin():
                before = _senders(connection)
                query = sa.text(DELETE_OLD.format(cutoff=":cutoff"))
                events = connection.execute(query, {"cutoff": cutoff}).rowcount
                after = _senders(connection)
            erased = True
            try:
                connection.execute(sa.text(f"SET lock_timeout = '{SERVER_LOCK_TIMEOUT}'"))
                connection.execute(sa.text("VACUUM FULL events"))
                connection.execute(sa.text("CHECKPOINT"))
            except sa.exc.DBAPIError:  # Rasa held the table for the whole timeout
                erased = False
    finally:
        engine.dispose()
    return PurgeResult(len(before - after), events, len(after), erased)


def _senders(connection: Any) -> set:
    query = "SELECT DISTINCT sender_id FROM events"
    if not isinstance(connection, sqlite3.Connection):
        import sqlalchemy as sa

        query = sa.text(query)
    return {row[0] for row in connection.execute(query)}


def _erase_deleted(connection: sqlite3.Connection) -> bool:
    """Rewrites the file without free space, then empties the WAL into it and truncates it."""
    try:
        connection.execute("VACUUM")
        busy, _, _ = connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
    except sqlite3.OperationalError:  # another process held the database for the whole timeout
        return False
    return busy == 0
