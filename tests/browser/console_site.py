"""A staff console for browser tests: its own copy of the project, accounts, and on request a Rasa
server that says the published answers (serving/specific_responses.py).

The copy holds the content (domain, data, test questions) and publishes the newest model trained in
this checkout (models/), so the tests never change the checkout's own files or published model.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CONTENT = ("domain.yml", "config.yml", "endpoints.yml", "credentials.yml", "data", "tests/nlu")
PASSWORDS = {
    "alice": ("publisher", "alice-long-password-1"),
    "bob": ("editor", "bob-long-password-22"),
    "carol": ("editor", "carol-long-password-3"),
}
MISSED = "how can i know if the boss of my cousin is trafficking her"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def answers_at(url: str, timeout: float = 2.0) -> bool:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as res:  # noqa: S310 (loopback)
            return res.status == 200
    except (OSError, urllib.error.URLError, ValueError):
        return False


def wait_for(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if answers_at(url):
            return
        if process.poll() is not None:
            raise RuntimeError(f"{url} stopped: {log.read_text(errors='replace')[-2000:]}")
        time.sleep(0.5)
    raise RuntimeError(f"{url} did not answer within {seconds:.0f} s")


def newest_model() -> Path:
    from tools.models import newest_trained

    model = newest_trained(REPO)
    if model is None:
        raise RuntimeError("no trained model in models/: run make train")
    return model


def copy_project(root: Path) -> Path:
    for rel in CONTENT:
        source = REPO / rel
        if source.is_dir():
            shutil.copytree(source, root / rel)
        else:
            (root / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, root / rel)
    return root


def save_missed_question(root: Path, text: str) -> None:
    """One message the assistant was unsure about, stored as Rasa's SQL tracker store does."""
    db = root / "var" / "trackers.db"
    db.parent.mkdir(parents=True, exist_ok=True)
    parse = {
        "text": text,
        "intent": {"name": "faq", "confidence": 0.31},
        "intent_ranking": [{"name": "faq", "confidence": 0.31}],
        "response_selector": {
            "faq": {
                "response": {
                    "intent_response_key": "faq/signs_of_trafficking",
                    "confidence": 0.31,
                }
            }
        },
    }
    event = {"event": "user", "text": text, "parse_data": parse, "timestamp": time.time()}
    with sqlite3.connect(db) as connection:
        connection.execute(
            "CREATE TABLE IF NOT EXISTS events (id INTEGER PRIMARY KEY, sender_id TEXT, "
            "type_name TEXT, timestamp REAL, intent_name TEXT, action_name TEXT, data TEXT)"
        )
        connection.execute(
            "INSERT INTO events (sender_id, type_name, timestamp, intent_name, data) "
            "VALUES (?, 'user', ?, 'faq', ?)",
            ("someone", time.time(), json.dumps(event)),
        )


def environment(**extra: str) -> dict:
    env = {
        key: value
        for key, value in os.environ.items()
        if key in ("PATH", "HOME", "LANG", "TMPDIR", "LD_LIBRARY_PATH")
    }
    env.update(
        PYTHONPATH=str(REPO),
        RASA_TELEMETRY_ENABLED="false",
        TF_CPP_MIN_LOG_LEVEL="2",
        HF_HUB_OFFLINE="1",
        TRANSFORMERS_OFFLINE="1",
        LOG_LEVEL="WARNING",
        **extra,
    )
    return env


@dataclass
class ConsoleSite:
    root: Path
    url: str
    process: subprocess.Popen
    log: Path

    def stop(self) -> None:
        stop(self.process)


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(20)
        except subprocess.TimeoutExpired:
            process.kill()


def start_console(root: Path) -> ConsoleSite:
    from tools.model_store import publish

    copy_project(root)
    publish(root, newest_model(), "published for the console tests")
    save_missed_question(root, MISSED)
    for name, (role, password) in PASSWORDS.items():
        subprocess.run(
            [sys.executable, "-m", "console.accounts", "add", name, role],
            env=environment(CONSOLE_ROOT=str(root), STAFF_PASSWORD=password),
            check=True,
            capture_output=True,
        )
    port = free_port()
    log = root / "console.log"
    process = subprocess.Popen(
        [sys.executable, "-m", "console.app"],
        cwd=REPO,
        env=environment(CONSOLE_ROOT=str(root), CONSOLE_PORT=str(port)),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    wait_for(url + "/health", process, 60, log)
    return ConsoleSite(root, url, process, log)


@dataclass
class Assistant:
    url: str
    process: subprocess.Popen

    def reply(self, message: str, sender: str = "") -> str:
        """The texts of the reply; a new conversation unless `sender` names one."""
        sender = sender or f"console-test-{time.time()}"
        body = json.dumps({"sender": sender, "message": message}).encode()
        request = urllib.request.Request(
            self.url + "/webhooks/rest/webhook",
            data=body,
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as res:  # noqa: S310 (loopback)
            return "\n".join(m.get("text", "") for m in json.load(res))


def start_assistant(root: Path) -> Assistant:
    """A Rasa server on a free port with the copy's published model and published answers."""
    from tools.model_store import current_file

    endpoints = root / "endpoints-console-test.yml"
    endpoints.write_text(
        "nlg:\n  type: serving.specific_responses.SpecificResponseGenerator\n"
        f"  published: {root / 'models' / 'published'}\n",
        encoding="utf-8",
    )
    port = free_port()
    log = root / "rasa.log"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "serving.server",
            "--model",
            str(current_file(root)),
            "--endpoints",
            str(endpoints),
            "--credentials",
            "credentials.yml",
            "--interface",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        cwd=REPO,
        env=environment(),
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for(url + "/", process, 300, log)
    except RuntimeError:
        stop(process)
        raise
    return Assistant(url, process)
