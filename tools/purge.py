"""`make purge`: erases messages older than the retention period.

Every stored event (a message, an answer) older than RETENTION_DAYS days (default 30) is erased,
also from a conversation that goes on: age is counted per message. Erased means gone from every
database file (`trackers.db`, `-wal`, `-shm`), not only deleted (tools/trackers.py). Review
exports (results/review/*.csv) older than that are deleted too.

    python -m tools.purge [--days N]           once
    python -m tools.purge --every-hours H      now and then every H hours (scripts/services.sh
                                               starts this with PURGE_INTERVAL_H, default 24)
    python -m tools.purge --endpoints FILE     the tracker store that FILE names (the cluster's
                                               PostgreSQL: deploy/cluster/endpoints.yml)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List

from tools import paths
from tools.trackers import DEFAULT_RETENTION_DAYS, purge, tracker_database


def purge_exports(root: Path, days: int, now: float | None = None) -> int:
    cutoff = (now if now is not None else time.time()) - days * 86400
    old = [p for p in (Path(root) / paths.REVIEW).glob("*.csv") if p.stat().st_mtime < cutoff]
    for path in old:
        path.unlink()
    return len(old)


def purge_once(root: Path, db, days: int, now: float | None) -> None:
    result = purge(db, days, now)
    exports = purge_exports(root, days, now)
    print(
        f"Erased {result.events_deleted} message(s) and answer(s) older than {days} days; "
        f"{result.conversations_deleted} conversation(s) are gone, {result.conversations_kept} "
        f"still have newer messages. Deleted {exports} old review export(s).",
        flush=True,
    )
    if not result.erased:
        print(
            "The database was busy, so erased text may stay in its files until the next purge. "
            "Run `make purge` again later.",
            flush=True,
        )


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument("--db", type=Path, help="tracker store file (default: from endpoints.yml)")
    parser.add_argument("--endpoints", type=Path, help="endpoints file naming the tracker store")
    parser.add_argument(
        "--days",
        type=int,
        default=int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
    )
    parser.add_argument(
        "--every-hours", type=float, default=0, help="run again every so many hours (0: once)"
    )
    parser.add_argument("--now", type=float, help=argparse.SUPPRESS)  # tests: the clock's time
    args = parser.parse_args(argv)
    if args.days < 1:
        print("RETENTION_DAYS must be at least 1.")
        return 1
    if args.every_hours < 0:
        print("PURGE_INTERVAL_H must be 0 (once) or more.")
        return 1
    os.umask(0o077)
    db = args.db or tracker_database(args.root, args.endpoints)
    while True:
        purge_once(args.root, db, args.days, args.now)
        if not args.every_hours:
            return 0
        time.sleep(args.every_hours * 3600)


if __name__ == "__main__":
    sys.exit(main())
