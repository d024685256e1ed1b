"""Every setting of the staff console, read from the environment in one place."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from tools import paths


def _flag(name: str, default: bool) -> bool:
    return os.environ.get(name, "true" if default else "false").strip().lower() in (
        "1",
        "true",
        "yes",
    )


@dataclass(frozen=True)
class Settings:
    root: Path  # the project whose content staff edit
    host: str
    port: int
    staff_file: Path  # accounts and password hashes
    audit_file: Path  # who changed what, when
    secure_cookie: bool  # only over HTTPS (browsers treat 127.0.0.1 and localhost as secure)
    session_idle_s: int
    session_max_s: int
    lockout_failures: int  # failed sign-ins in a row that lock an account
    lockout_s: int
    signin_per_minute: int  # sign-in attempts per address per minute
    python: str  # the interpreter the staff tools run with


def load_settings() -> Settings:
    root = Path(os.environ.get("CONSOLE_ROOT", paths.ROOT)).resolve()
    var = root / "var" / "console"
    return Settings(
        root=root,
        host=os.environ.get("CONSOLE_HOST", "127.0.0.1"),
        port=int(os.environ.get("CONSOLE_PORT", "8090")),
        staff_file=Path(os.environ.get("STAFF_FILE", var / "staff.json")),
        audit_file=Path(os.environ.get("CONSOLE_AUDIT_LOG", var / "audit.log")),
        secure_cookie=_flag("CONSOLE_SECURE_COOKIE", True),
        session_idle_s=int(os.environ.get("CONSOLE_SESSION_IDLE_S", "1800")),
        session_max_s=int(os.environ.get("CONSOLE_SESSION_MAX_S", "28800")),
        lockout_failures=int(os.environ.get("CONSOLE_LOCKOUT_FAILURES", "5")),
        lockout_s=int(os.environ.get("CONSOLE_LOCKOUT_S", "900")),
        signin_per_minute=int(os.environ.get("CONSOLE_SIGNIN_PER_MINUTE", "20")),
        python=os.environ.get("CONSOLE_PYTHON", sys.executable),
    )
