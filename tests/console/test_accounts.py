"""Staff accounts: hashed passwords, no default password, lock-out and per-address limits."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys

import pytest

from console.accounts import SignIn, add_account, check_password, hash_password, read_accounts


def test_passwords_are_hashed_with_scrypt_and_salted():
    first, second = hash_password("a long password"), hash_password("a long password")
    assert first.startswith("scrypt$") and first != second
    assert "a long password" not in first
    assert check_password("a long password", first)
    assert not check_password("a long passworD", first)
    assert not check_password("a long password", "md5$whatever")


def test_accounts_file_is_private_and_names_and_roles_are_checked(tmp_path):
    path = tmp_path / "staff.json"
    add_account(path, "Alex B", "editor", "twelve chars!")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read_accounts(path)["Alex B"]["role"] == "editor"
    with pytest.raises(ValueError, match="12"):
        add_account(path, "sam", "editor", "short")
    with pytest.raises(ValueError, match="role"):
        add_account(path, "sam", "admin", "twelve chars!")
    with pytest.raises(ValueError, match="name"):
        add_account(path, "<script>", "editor", "twelve chars!")
    add_account(path, "Alex B", "publisher", "another password")
    assert json.loads(path.read_text())["Alex B"]["role"] == "publisher"


def test_there_is_no_default_password(tmp_path):
    env = {**os.environ, "CONSOLE_ROOT": str(tmp_path)}
    env.pop("STAFF_PASSWORD", None)
    done = subprocess.run(
        [sys.executable, "-m", "console.accounts", "add", "sam", "editor"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 2 and "STAFF_PASSWORD" in done.stdout
    assert not (tmp_path / "var" / "console" / "staff.json").exists()


def test_repeated_failures_lock_the_account_even_for_the_right_password(tmp_path):
    path = tmp_path / "staff.json"
    add_account(path, "sam", "publisher", "the right password")
    signin = SignIn(path, max_failures=3, lockout_s=60, per_minute=100)
    staff = signin.check("sam", "the right password")
    assert staff and staff.can_publish
    for _ in range(3):
        assert signin.check("sam", "wrong") is None
    assert signin.locked("sam")
    assert signin.check("sam", "the right password") is None
    assert signin.check("nobody", "wrong") is None  # unknown names count the same way


def test_an_address_trying_too_often_is_slowed_down(tmp_path):
    signin = SignIn(tmp_path / "staff.json", max_failures=5, lockout_s=60, per_minute=3)
    assert [signin.too_many_from("10.0.0.1") for _ in range(4)] == [False, False, False, True]
    assert not signin.too_many_from("10.0.0.2")
