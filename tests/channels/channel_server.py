"""Runs the real Rasa server (serving/server.py, as in production) for the channel tests.

One Rasa process at a time: `RasaServers.use(name)` stops the running one when another set of
environment variables is needed. "full" sets every channel variable and uses a credentials file
with only the messaging connectors; "bare" sets none and uses the project's own credentials.yml.
Conversations go to a SQLite tracker store in the test's temporary directory.
"""

from __future__ import annotations

import json
import os
import socket
import sqlite3
import subprocess
import sys
import time
from contextlib import closing
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

import requests
from provider_standin import ProviderStandIn

REPO = Path(__file__).resolve().parents[2]
PREFERRED_PORT = int(os.environ.get("CHANNEL_TEST_RASA_PORT", "5105"))
ACTION_URL = os.environ.get("ACTION_SERVER_URL", "http://127.0.0.1:5055")
START_TIMEOUT_S = float(os.environ.get("CHANNEL_TEST_START_TIMEOUT_S", "400"))

CREDENTIALS = """\
channels.web.HardenedRestInput:
channels.web.HardenedSocketIOInput:
  user_message_evt: user_uttered
  bot_message_evt: bot_uttered
  session_persistence: true
channels.twilio.TwilioChannel:
channels.telegram.TelegramChannel:
channels.facebook.MessengerChannel:
"""
ENDPOINTS = """\
action_endpoint:
  url: "{action_url}/webhook"
tracker_store:
  type: SQL
  dialect: "sqlite"
  db: "{db}"
"""

PUBLIC = "https://assistant.example.org"
SECRETS = {
    "TWILIO_ACCOUNT_SID": "AC00000000000000000000000000000test",
    "TWILIO_AUTH_TOKEN": "test-twilio-auth-token-0123456789",
    "TWILIO_NUMBER": "+15550100100",
    "TWILIO_WHATSAPP_NUMBER": "+15550100200",
    "TWILIO_WEBHOOK_URL": f"{PUBLIC}/webhooks/twilio/webhook",
    "TELEGRAM_ACCESS_TOKEN": "123456789:TEST-token_for_the_local_stand-in",
    "TELEGRAM_VERIFY": "test_help_bot",
    "TELEGRAM_WEBHOOK_URL": f"{PUBLIC}/webhooks/telegram/webhook",
    "TELEGRAM_SECRET_TOKEN": "test-telegram-secret-token",
    "FACEBOOK_VERIFY": "test-verify-token",
    "FACEBOOK_SECRET": "test-app-secret-0123456789abcdef",
    "FACEBOOK_PAGE_ACCESS_TOKEN": "test-page-access-token",
    "CHANNEL_PSEUDONYM_KEY": "test-pseudonym-key-not-a-provider-token-0123",
}
# Lower than the apps' limits so real answers get split; the limits themselves are unit-tested.
LIMITS = {
    "SMS_MAX_CHARS": "300",
    "WHATSAPP_MAX_CHARS": "300",
    "TELEGRAM_MAX_CHARS": "300",
    "MESSENGER_MAX_CHARS": "300",
    "MAX_MESSAGE_CHARS": "500",
}
CHANNEL_VARS = (*SECRETS, *LIMITS)


def latest_model() -> Path:
    models = sorted((REPO / "models").glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise RuntimeError("No trained model in models/: run `make train` first.")
    return models[-1]


def free_port(preferred: int) -> int:
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port")


def answers(url: str, timeout: float = 2.0) -> bool:
    try:
        return requests.get(url, timeout=timeout).ok
    except requests.RequestException:
        return False


@dataclass
class RunningRasa:
    name: str
    url: str
    env: Dict[str, str]
    db: Path
    log: Path  # the process's stdout and stderr
    log_file: Path  # Rasa's --log-file
    process: subprocess.Popen
    started_at: float
    facts: Dict[str, object] = field(default_factory=dict)  # what start-up showed

    def webhook(self, channel: str) -> str:
        return f"{self.url}/webhooks/{channel}/webhook"


class RasaServers:
    def __init__(self, standin: ProviderStandIn, workdir: Path) -> None:
        self.standin = standin
        self.workdir = workdir
        self.current: RunningRasa | None = None
        self.started_actions = False

    def environments(self) -> Dict[str, Dict[str, str]]:
        base = {
            "TWILIO_API_BASE_URL": self.standin.url,
            "TELEGRAM_API_BASE_URL": self.standin.url,
            "FACEBOOK_GRAPH_URL": self.standin.url,
        }
        return {"full": {**base, **SECRETS, **LIMITS}, "bare": base}

    def use(self, name: str) -> RunningRasa:
        if self.current and self.current.name == name and self.current.process.poll() is None:
            return self.current
        self.stop()
        self.ensure_action_server()
        self.current = self.start(name, self.environments()[name])
        return self.current

    def ensure_action_server(self) -> None:
        if answers(f"{ACTION_URL}/health"):
            return
        subprocess.run(
            [str(REPO / "scripts/services.sh"), "start-one", "actions"], cwd=REPO, check=True
        )
        self.started_actions = True

    def start(self, name: str, channel_env: Dict[str, str]) -> RunningRasa:
        folder = self.workdir / name
        folder.mkdir(parents=True, exist_ok=True)
        db = folder / "trackers.db"
        credentials = REPO / "credentials.yml" if name == "bare" else folder / "credentials.yml"
        if name != "bare":
            credentials.write_text(CREDENTIALS)
        (folder / "endpoints.yml").write_text(ENDPOINTS.format(action_url=ACTION_URL, db=db))
        env = {k: v for k, v in os.environ.items() if k not in CHANNEL_VARS}
        env.update(
            channel_env,
            RASA_TELEMETRY_ENABLED="false",
            TF_CPP_MIN_LOG_LEVEL="2",
            HF_HUB_OFFLINE="1",
            TRANSFORMERS_OFFLINE="1",
            PYTHONDONTWRITEBYTECODE="1",
            LOG_LEVEL=os.environ.get("CHANNEL_TEST_LOG_LEVEL", "INFO"),
        )
        port = free_port(PREFERRED_PORT)
        log = folder / "rasa.log"
        log_file = folder / "rasa-server.log"
        self.standin.release_set_webhook.clear()  # hold Telegram's setWebhook until probed
        command = [
            sys.executable,
            "-m",
            "serving.server",
            "--model",
            str(latest_model()),
            "--port",
            str(port),
            "--credentials",
            str(credentials),
            "--endpoints",
            str(folder / "endpoints.yml"),
            "--log-file",
            str(log_file),
        ]
        with log.open("w") as out:
            process = subprocess.Popen(
                command, cwd=REPO, env=env, stdout=out, stderr=subprocess.STDOUT
            )
        started = time.monotonic()
        server = RunningRasa(
            name, f"http://127.0.0.1:{port}", channel_env, db, log, log_file, process, started
        )
        deadline = started + START_TIMEOUT_S
        while not answers(server.url + "/"):
            if process.poll() is not None or time.monotonic() > deadline:
                self._kill(process)
                tail = "\n".join(log.read_text(errors="replace").splitlines()[-40:])
                raise RuntimeError(f"Rasa ({name}) did not start:\n{tail}")
            time.sleep(1)
        if name == "full":
            self._probe_telegram_start(server)
        self.standin.release_set_webhook.set()
        return server

    def _probe_telegram_start(self, server: RunningRasa) -> None:
        """setWebhook is held unanswered by the stand-in: the server must serve meanwhile."""
        calls = self.standin.wait_for(
            lambda c: c.method == "setWebhook" and c.at >= server.started_at, timeout=30
        )
        pending = self.standin.pending.get("setWebhook", 0) > 0
        server.facts["set_webhook_calls"] = calls
        server.facts["served_while_set_webhook_pending"] = pending and answers(server.url + "/")
        self.standin.release_set_webhook.set()

    @staticmethod
    def _kill(process: subprocess.Popen) -> None:
        if process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)

    def stop(self) -> None:
        if self.current:
            self._kill(self.current.process)
            self.current = None

    def close(self) -> None:
        self.stop()
        if self.started_actions:
            subprocess.run([str(REPO / "scripts/services.sh"), "stop-one", "actions"], cwd=REPO)
            self.started_actions = False


def user_texts(db: Path, sender_id: str) -> List[str]:
    """What the dialogue received from one conversation, in order (SQLite tracker store)."""
    if not db.exists():
        return []
    with closing(sqlite3.connect(db)) as connection:
        rows = connection.execute(
            "SELECT data FROM events WHERE sender_id = ? AND type_name = 'user' ORDER BY id",
            (sender_id,),
        ).fetchall()
    return [json.loads(data).get("text") for (data,) in rows]


def stored_sender_ids(db: Path) -> List[str]:
    if not db.exists():
        return []
    with closing(sqlite3.connect(db)) as connection:
        try:
            rows = connection.execute("SELECT DISTINCT sender_id FROM events").fetchall()
        except sqlite3.OperationalError:
            return []
    return [sender for (sender,) in rows]
