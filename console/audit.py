"""The console's audit log: who changed what and when, one JSON line per change, shown to staff."""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from typing import Any, Dict, List


def record(path: Path, who: str, what: str, **details: Any) -> None:
    """Appends one change. Details name files, answers and services, never message text."""
    path.parent.mkdir(parents=True, exist_ok=True)
    line = {
        "at": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
        "who": who,
        "what": what,
        **details,
    }
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)
    with os.fdopen(fd, "a", encoding="utf-8") as handle:
        handle.write(json.dumps(line, ensure_ascii=False) + "\n")


def recent(path: Path, limit: int = 200) -> List[Dict[str, Any]]:
    """The newest changes first."""
    if not path.exists():
        return []
    lines = path.read_text(encoding="utf-8").splitlines()[-limit:]
    entries = []
    for line in reversed(lines):
        try:
            entries.append(json.loads(line))
        except ValueError:
            continue
    return entries
