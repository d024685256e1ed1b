"""No secrets in the repository: every file git would commit is scanned for token-like strings.

Secrets (JWT secret, messaging tokens) come from the environment only (.env, never committed).
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path

import pytest

from hardening.chat import ROOT

SECRET_PATTERNS = {
    "private key": re.compile(r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |PGP |ENCRYPTED )?PRIVATE KEY"),
    "AWS access key": re.compile(r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b"),
    "GitHub token": re.compile(r"\b(?:gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{50,})\b"),
    "Slack token": re.compile(r"\bxox[abposr]-[A-Za-z0-9-]{10,}"),
    "Telegram bot token": re.compile(r"\b\d{8,10}:AA[A-Za-z0-9_-]{33}\b"),
    "Twilio account SID with token": re.compile(r"\bAC[0-9a-f]{32}\b"),
    "Twilio API key": re.compile(r"\bSK[0-9a-f]{32}\b"),
    "Facebook token": re.compile(r"\bEAA[A-Za-z0-9]{60,}"),
    "Google API key": re.compile(r"\bAIza[0-9A-Za-z_-]{35}\b"),
    "OpenAI-style key": re.compile(r"\bsk-[A-Za-z0-9_-]{32,}"),
    "JSON web token": re.compile(
        r"\beyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}"
    ),
    "password in a URL": re.compile(r"[a-z][a-z0-9+.-]*://[^\s/:@'\"]+:[^\s/@'\"$<{]{6,}@[^\s]+"),
    "assigned secret": re.compile(
        r"(?i)\b[\w-]*(?:secret|token|password|passwd|api_?key|auth_?key)[\w-]*\b['\"]?\s*[:=]\s*"
        r"['\"]([^'\"\s$<>{}]{16,})['\"]"
    ),
}
# Values that are clearly not secrets (placeholders, test stand-ins, generated at run time).
ALLOWED_VALUES = re.compile(r"(?i)example|placeholder|changeme|dummy|fake|test|xxxx|your[-_]")
SKIPPED_SUFFIXES = {".png", ".jpg", ".jpeg", ".gif", ".ico", ".woff", ".woff2", ".gz", ".tar"}
SKIPPED_NAMES = {"package-lock.json", "constraints.txt"}


def committed_files() -> list:
    try:
        listed = subprocess.run(
            ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
    except (OSError, subprocess.CalledProcessError):
        pytest.skip("git is not available")
    return [ROOT / name for name in listed.decode().split("\0") if name]


def looks_random(match: re.Match) -> bool:
    """For assignments: the value has letters and digits (not a name like a header's)."""
    if not match.groups():
        return True
    value = match.group(1)
    return bool(re.search(r"\d", value) and re.search(r"[A-Za-z]", value)) and len(set(value)) >= 10


def scan(path: Path, root: Path = ROOT) -> list:
    try:
        text = path.read_text(encoding="utf-8")
    except (UnicodeDecodeError, OSError):
        return []
    found = []
    for kind, pattern in SECRET_PATTERNS.items():
        for match in pattern.finditer(text):
            if ALLOWED_VALUES.search(match.group(0)) or not looks_random(match):
                continue
            line = text.count("\n", 0, match.start()) + 1
            found.append(f"{path.relative_to(root)}:{line}: {kind}")
    return found


def test_no_env_file_is_committed():
    names = {path.name for path in committed_files()}
    assert ".env" not in names


def test_no_token_like_strings_in_committed_files():
    files = [
        p
        for p in committed_files()
        if p.is_file() and p.suffix not in SKIPPED_SUFFIXES and p.name not in SKIPPED_NAMES
    ]
    assert len(files) > 20
    findings = [finding for path in files for finding in scan(path)]
    assert not findings, "token-like strings found:\n" + "\n".join(findings)


# Planted samples are put together at run time, so that this file holds none itself.
PLANTED = [
    "TELEGRAM_TOKEN = '" + "123456789:" + "AA" + "Hdq7cvCH1vGWJxfSeofSAs0K5PALDsaw" + "q'",
    "aws = '" + "AK" + "IA" + "IOSFODNN7QWERTY" + "Z'",
    "jwt_secret: " + '"' + "k3J9sLq0pR7vW2xZ" + "8mN4bT6yU1iO5aE" + '"',
    "-----BEGIN RSA " + "PRIVATE KEY-----",
    "postgres://" + "rasa:hunter2" + "secret@db.internal/rasa",
]


@pytest.mark.parametrize("sample", PLANTED)
def test_scanner_finds_planted_secrets(tmp_path, sample):
    planted = tmp_path / "planted.txt"
    planted.write_text(sample)
    assert scan(planted, root=tmp_path), f"not detected: {sample}"
