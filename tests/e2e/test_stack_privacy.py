"""The running stack keeps conversations private: `make purge` erases for real while Rasa runs,
the purge runs on its own, files are private, services listen on loopback, Rasa logs at WARNING.
"""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
import uuid
from pathlib import Path

from hardening.sockets import only_loopback

from tools.trackers import database_files, tracker_db

ROOT = Path(__file__).resolve().parents[2]

DAY = 86400


def hits(marker: str) -> dict:
    return {p.name: p.read_bytes().count(marker.encode()) for p in database_files(tracker_db())}


def purge(now: float) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "tools.purge", "--days", "1", "--now", str(now)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    return done.stdout


def test_purge_erases_old_messages_from_every_database_file(conversation):
    old = f"marker{uuid.uuid4().hex}"
    assert conversation.text(f"what is {old}")
    assert sum(hits(old).values()) > 0  # Rasa wrote it (in the WAL file while it runs)
    time.sleep(1.0)
    cutoff = time.time()
    time.sleep(0.5)
    # the same person writes again: the old message goes, the new one stays
    new = f"marker{uuid.uuid4().hex}"
    assert conversation.text(f"what is {new}")

    out = purge(now=cutoff + DAY)  # a one-day retention that ends between the two messages

    assert "Erased" in out and "busy" not in out
    assert hits(old) == {name: 0 for name in hits(old)}, hits(old)
    assert sum(hits(new).values()) > 0
    assert conversation.text("what is octip?")  # Rasa goes on with the same database


def test_purge_runs_on_a_schedule():
    pid = int((ROOT / "var" / "run" / "purge.pid").read_text())
    os.kill(pid, 0)  # running
    assert "Erased" in (ROOT / "var" / "log" / "purge.log").read_text()


def test_conversations_and_logs_are_private():
    var = ROOT / "var"
    assert stat.S_IMODE(var.stat().st_mode) & 0o077 == 0
    files = [*database_files(tracker_db()), *(var / "log").iterdir(), *(var / "run").iterdir()]
    assert files
    for path in files:
        assert stat.S_IMODE(path.stat().st_mode) & 0o077 == 0, path


def test_services_listen_on_loopback_and_rasa_logs_at_warning():
    for port in (5005, 5055, 8080, 8090):
        assert only_loopback(port), port
    rasa = int((ROOT / "var" / "run" / "rasa.pid").read_text())
    environ = Path(f"/proc/{rasa}/environ").read_bytes().split(b"\0")
    assert b"LOG_LEVEL=WARNING" in environ
