"""Failures of what the Rasa server depends on: each has a defined answer and a log line.

- Action server down or slow: the person still gets `utter_help_offline` (911 and the hotline),
  sent by the Rasa server itself (serving/action_fallback.py; the wait is bounded by
  ACTION_TIMEOUT_S).
- SQLite tracker store locked (another process holds the write lock) or unavailable (cannot be
  opened): the server still answers (Rasa's FailSafeTrackerStore keeps the turn in memory) and
  logs an error; once the lock is released, the database is used again.
- Malformed model path: the server refuses to start with a clear message, and
  scripts/services.sh reports it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tarfile
import time
import uuid
from pathlib import Path

import pytest
import yaml

from bench.servers import PYTHON
from hardening.chat import ROOT, faq_answers, has_help_line, say, texts
from hardening.logs import wait_for_log
from hardening.settings import ACTION_TIMEOUT_S
from tools.net import free_port


def offline_text() -> str:
    domain = yaml.safe_load((ROOT / "domain.yml").read_text())
    return domain["responses"]["utter_help_offline"][0]["text"]


# --- action server -----------------------------------------------------------------------------


def test_action_server_down_gives_the_offline_help(rasa, action_trouble):
    action_trouble.down()
    since = len(rasa.log_text())
    status, reply = say(rasa.url, f"down-{uuid.uuid4().hex}", "/request_help_trafficking")
    assert status == 200
    assert offline_text() in texts(reply)
    log = wait_for_log(rasa, since, "action_refer_trafficking")
    assert "action_refer_trafficking" in log, "no log line about the failed action"


def test_emergency_with_action_server_down_still_says_911_first(rasa, action_trouble):
    """utter_emergency comes from the Rasa server: 911 first and the hotline, action or not."""
    action_trouble.down()
    status, reply = say(rasa.url, f"down-{uuid.uuid4().hex}", "/emergency")
    assert status == 200
    assert texts(reply).lstrip().startswith("If you are in danger right now, call 911")
    assert has_help_line(texts(reply))


def test_slow_action_server_times_out_to_the_offline_help(rasa, action_trouble):
    action_trouble.delay_s = ACTION_TIMEOUT_S * 3
    since = len(rasa.log_text())
    started = time.monotonic()
    status, reply = say(rasa.url, f"slow-{uuid.uuid4().hex}", "/request_help_trafficking")
    waited = time.monotonic() - started
    assert status == 200
    assert offline_text() in texts(reply)
    assert waited < action_trouble.delay_s, "the answer waited for the slow action server"
    log = wait_for_log(rasa, since, "action_refer_trafficking")
    assert "action_refer_trafficking" in log, "no log line about the timed-out action"


def test_action_server_back_gives_services_again(rasa, action_trouble):
    action_trouble.down()
    action_trouble.up()
    status, reply = say(rasa.url, f"back-{uuid.uuid4().hex}", "/request_help_trafficking")
    assert status == 200
    assert offline_text() not in texts(reply)
    assert has_help_line(texts(reply)) or "1-833-900-1010" in texts(reply)


# --- tracker store -----------------------------------------------------------------------------


def test_locked_tracker_store_still_answers(rasa, tracker_db):
    say(rasa.url, "warm-tracker", "/greet")  # make sure the database and its tables exist
    since = len(rasa.log_text())
    lock = sqlite3.connect(tracker_db, timeout=1, isolation_level=None)
    try:
        lock.execute("BEGIN EXCLUSIVE")
        status, reply = say(rasa.url, f"locked-{uuid.uuid4().hex}", "/faq/what_is_octip")
    finally:
        lock.execute("ROLLBACK")
        lock.close()
    assert status == 200
    assert faq_answers()["what_is_octip"] in texts(reply)
    log = wait_for_log(rasa, since, "database is locked")
    assert "Could not save a conversation turn" in log and "database is locked" in log
    assert_database_used_again(rasa, tracker_db)


def test_unavailable_tracker_store_still_answers(api_rasa):
    """A server whose tracker database cannot be opened (its path is a directory) answers."""
    server, _ = api_rasa
    since = len(server.log_text())
    sender = f"no-db-{uuid.uuid4().hex}"
    for topic in ("signs_of_trafficking", "what_is_octip"):
        status, reply = say(server.url, sender, f"/faq/{topic}")
        assert status == 200
        assert faq_answers()[topic] in texts(reply)
    status, reply = say(server.url, sender, "/request_help_trafficking")
    assert status == 200 and has_help_line(texts(reply))
    log = wait_for_log(server, since, "Could not save a conversation turn")
    assert "Could not save a conversation turn" in log, "no log line about the store failure"


def assert_database_used_again(rasa, tracker_db: Path) -> None:
    sender = f"after-{uuid.uuid4().hex}"
    status, reply = say(rasa.url, sender, "/faq/what_is_octip")
    assert status == 200 and faq_answers()["what_is_octip"] in texts(reply)
    with sqlite3.connect(tracker_db, timeout=10) as db:
        rows = db.execute("SELECT COUNT(*) FROM events WHERE sender_id = ?", (sender,)).fetchone()
    assert rows[0] > 0, "the conversation was not stored once the database was back"


# --- model path --------------------------------------------------------------------------------


def start_with_model(model: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run(
        [
            str(PYTHON),
            "-m",
            "serving.server",
            "--model",
            model,
            "--port",
            str(free_port()),
            "--interface",
            "127.0.0.1",
            "--credentials",
            "credentials.yml",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        env={**os.environ, "RASA_TELEMETRY_ENABLED": "false", "TF_CPP_MIN_LOG_LEVEL": "2"},
    )


@pytest.fixture
def broken_models(tmp_path) -> dict:
    not_tar = tmp_path / "garbage.tar.gz"
    not_tar.write_bytes(os.urandom(2048))
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(b"\x1f\x8b\x08\x00" + b"\x00" * 64)
    not_rasa = tmp_path / "not-a-model.tar.gz"
    readme = tmp_path / "README.txt"
    readme.write_text("not a model")
    with tarfile.open(not_rasa, "w:gz") as archive:
        archive.add(readme, arcname="README.txt")
    empty_dir = tmp_path / "no-models"
    empty_dir.mkdir()
    return {
        "missing": (str(tmp_path / "missing.tar.gz"), "does not exist"),
        "not a tar": (str(not_tar), "not a readable model archive"),
        "truncated": (str(truncated), "not a readable model archive"),
        "not a Rasa model": (str(not_rasa), "not a Rasa model"),
        "empty folder": (str(empty_dir), "no model"),
        "wrong file": (str(readme), "not a Rasa model archive"),
    }


def test_malformed_model_path_refuses_to_start(broken_models):
    for case, (path, reason) in broken_models.items():
        done = start_with_model(path)
        assert done.returncode == 2, f"{case}: exit code {done.returncode}\n{done.stderr[-800:]}"
        assert "Rasa server not started" in done.stderr and reason in done.stderr, (
            f"{case}: unclear message:\n{done.stderr[-800:]}"
        )


def test_model_that_fails_to_load_refuses_to_start(tmp_path):
    broken = tmp_path / "broken.tar.gz"
    metadata = tmp_path / "metadata.json"
    metadata.write_text("{not json")
    with tarfile.open(broken, "w:gz") as archive:
        archive.add(metadata, arcname="metadata.json")
    done = start_with_model(str(broken), timeout=180)
    assert done.returncode != 0
    assert "Rasa server not started" in done.stderr + done.stdout


def test_services_script_reports_a_bad_model(tmp_path):
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "services.sh", project / "scripts" / "services.sh")
    for name in ("credentials.yml", "endpoints.yml"):
        shutil.copy(ROOT / name, project / name)
    env = {
        **os.environ,
        "VENV": str(PYTHON.parent.parent),
        "RASA_MODEL": str(tmp_path / "nope.tar.gz"),
        "RASA_PORT": str(free_port()),
        "START_TIMEOUT_S": "60",
    }
    done = subprocess.run(
        ["bash", "scripts/services.sh", "start-one", "rasa"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode != 0
    assert "rasa failed to start" in done.stderr
    assert "does not exist" in done.stderr
