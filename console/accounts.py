"""Staff accounts: names, roles and scrypt password hashes in one file readable by this user only.

    python -m console.accounts add NAME ROLE     (`make staff-user NAME=... ROLE=editor|publisher`)

The password is read from STAFF_PASSWORD, or asked for twice when it is not set. There is no
default password and no way to read one back.
"""

from __future__ import annotations

import argparse
import base64
import getpass
import hmac
import json
import os
import re
import secrets
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from cryptography.exceptions import InvalidKey
from cryptography.hazmat.primitives.kdf.scrypt import Scrypt

from console.settings import load_settings

ROLES = ("editor", "publisher")
NAME = re.compile(r"^[A-Za-z][A-Za-z0-9 ._-]{0,39}$")
MIN_PASSWORD = 12
# scrypt cost: twice RFC 7914's interactive setting: slow to guess offline, quick to sign in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**15, 8, 1


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = Scrypt(salt=salt, length=32, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P).derive(
        password.encode("utf-8")
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${_b64(salt)}${_b64(key)}"


def check_password(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        Scrypt(salt=base64.b64decode(salt), length=32, n=int(n), r=int(r), p=int(p)).verify(
            password.encode("utf-8"), base64.b64decode(key)
        )
        return True
    except (InvalidKey, ValueError):
        return False


# Compared against when the name is unknown, so a wrong name takes as long as a wrong password.
_DUMMY = hash_password(secrets.token_urlsafe(16))


@dataclass(frozen=True)
class Staff:
    name: str
    role: str

    @property
    def can_publish(self) -> bool:
        return self.role == "publisher"


def read_accounts(path: Path) -> Dict[str, Dict[str, str]]:
    if not path.exists():
        return {}
    return json.loads(path.read_text(encoding="utf-8"))


def add_account(path: Path, name: str, role: str, password: str) -> None:
    """Creates the account, or sets a new role and password for an existing one."""
    if not NAME.match(name):
        raise ValueError("a name starts with a letter; letters, digits, spaces, . _ - only")
    if role not in ROLES:
        raise ValueError(f"the role is one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise ValueError(f"the password needs at least {MIN_PASSWORD} characters")
    accounts = read_accounts(path)
    accounts[name] = {"role": role, "hash": hash_password(password)}
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_suffix(".tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        json.dump(accounts, handle, indent=1)
    os.replace(temporary, path)


@dataclass
class SignIn:
    """Checks passwords and locks an account after repeated failures (kept in memory)."""

    path: Path
    max_failures: int
    lockout_s: int
    per_minute: int
    _failures: Dict[str, List[float]] = field(default_factory=dict)
    _attempts: Dict[str, List[float]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def too_many_from(self, address: str) -> bool:
        """True when this address tried more than `per_minute` times in the last minute."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._attempts.get(address, []) if now - t < 60]
            recent.append(now)
            self._attempts[address] = recent[-(self.per_minute + 1) :]
            if len(self._attempts) > 10_000:  # forget the oldest addresses
                self._attempts.pop(next(iter(self._attempts)))
            return len(recent) > self.per_minute

    def locked(self, name: str) -> bool:
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(name, []) if now - t < self.lockout_s]
            self._failures[name] = recent
            return len(recent) >= self.max_failures

    def check(self, name: str, password: str) -> Staff | None:
        """The staff member, or None (unknown name, wrong password or locked account)."""
        account = read_accounts(self.path).get(name)
        good = check_password(password, account["hash"] if account else _DUMMY)
        if self.locked(name):
            return None
        if account and good:
            with self._lock:
                self._failures.pop(name, None)
            return Staff(name, account["role"])
        with self._lock:
            self._failures.setdefault(name, []).append(time.monotonic())
            if len(self._failures) > 10_000:
                self._failures.pop(next(iter(self._failures)))
        return None


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Create or update a staff account.")
    parser.add_argument("command", choices=("add",))
    parser.add_argument("name")
    parser.add_argument("role", choices=ROLES)
    args = parser.parse_args(argv)
    password = os.environ.get("STAFF_PASSWORD")
    if not password:
        if not sys.stdin.isatty():
            print("Set STAFF_PASSWORD, or run this in a terminal to type the password.")
            return 2
        password = getpass.getpass(
            f"Password for {args.name} (at least {MIN_PASSWORD} characters): "
        )
        if not hmac.compare_digest(password, getpass.getpass("The same password again: ")):
            print("The two passwords differ: nothing was changed.")
            return 1
    path = load_settings().staff_file
    try:
        add_account(path, args.name, args.role, password)
    except ValueError as error:
        print(f"Nothing was changed: {error}.")
        return 1
    print(f"{args.name} can now sign in to the staff console as {args.role}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
