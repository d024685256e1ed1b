"""`make purge`: deletes conversations older than the retention period.

A conversation is deleted when its latest message is more than RETENTION_DAYS days old
(default 30). Review exports (results/review/*.csv) older than that are deleted too.

    python -m tools.purge [--days N]
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import List

from tools import paths
from tools.trackers import DEFAULT_RETENTION_DAYS, purge, tracker_db


def purge_exports(root: Path, days: int, now: float | None = None) -> int:
    cutoff = (now if now is not None else time.time()) - days * 86400
    old = [p for p in (Path(root) / paths.REVIEW).glob("*.csv") if p.stat().st_mtime < cutoff]
    for path in old:
        path.unlink()
    return len(old)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument("--db", type=Path, help="tracker store file (default: from endpoints.yml)")
    parser.add_argument(
        "--days",
        type=int,
        default=int(os.environ.get("RETENTION_DAYS", DEFAULT_RETENTION_DAYS)),
    )
    args = parser.parse_args(argv)
    if args.days < 1:
        print("RETENTION_DAYS must be at least 1.")
        return 1
    db = args.db or tracker_db(args.root)
    result = purge(db, args.days)
    exports = purge_exports(args.root, args.days)
    print(
        f"Deleted {result.conversations_deleted} conversation(s) ({result.events_deleted} "
        f"events) whose latest message is older than {args.days} days; kept "
        f"{result.conversations_kept}. Deleted {exports} old review export(s)."
    )
    if not result.file_rewritten:
        print(
            "The database was busy, so its file was not compacted: deleted messages may stay "
            "in unused parts of the file until it is. Run `make purge` again later."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
