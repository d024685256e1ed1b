"""Logs never hold what people write, even when things go wrong.

A unique string is sent in every way a message can travel (plain text, payload-like text,
oversize text, socket.io, with the action server down, with the tracker store locked) to a server
logging at INFO (more than the WARNING of scripts/services.sh); then no log may contain it: the
server's output, its --log-file, the action server's output, and var/log/.
"""

from __future__ import annotations

import sqlite3
import uuid

from hardening.chat import ROOT, say, socketio_say


def read(path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def test_message_text_never_reaches_the_logs(rasa, actions, action_trouble, tracker_db, work_dir):
    canary = f"zqcanary{uuid.uuid4().hex}"
    sender = f"privacy-{uuid.uuid4().hex}"
    for text in (
        f"what is trafficking {canary}",
        f"my boss keeps my passport and I need help {canary}",
        f"/{canary}",
        f"/ {canary} my pimp has my passport",
        f"/faq/{canary}",
        f"/faq/what_is_octip{{{canary}",
        f'/greet{{"{canary}": 1}}',
        f"/greet@{canary}",
        f'/inform_location{{"location": "{canary}"}}',
        canary + " x" * 3000,
    ):
        status, _ = say(rasa.url, sender, text)
        assert status == 200
    socketio_say(rasa.url, f"is sex work legal {canary}")

    action_trouble.down()
    say(rasa.url, sender, f"I need help, someone took my passport {canary}")
    say(rasa.url, sender, "/request_help_trafficking")
    action_trouble.up()

    lock = sqlite3.connect(tracker_db, timeout=1, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        say(rasa.url, f"locked-{uuid.uuid4().hex}", f"what is sex work {canary}")
    finally:
        lock.execute("ROLLBACK")
        lock.close()

    logs = {
        "Rasa server output": rasa.log_text(),
        "Rasa --log-file": read(work_dir / "rasa-server.log"),
        "action server output": actions.log_text(),
    }
    for path in (ROOT / "var" / "log").glob("*"):
        if path.is_file():
            logs[str(path.relative_to(ROOT))] = read(path)
    leaks = [name for name, text in logs.items() if canary in text]
    assert not leaks, f"message text found in: {leaks}"
    assert "database is locked" in logs["Rasa server output"], "the failures were not logged"
