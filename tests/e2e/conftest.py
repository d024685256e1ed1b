"""End-to-end tests talk to the running stack (make test starts it; `make run` too)."""

from __future__ import annotations

import os
import subprocess
import uuid
from pathlib import Path

import pytest
import requests

ROOT = Path(__file__).resolve().parents[2]
RASA_URL = os.environ.get("RASA_URL", "http://localhost:5005")
ACTION_URL = os.environ.get("ACTION_URL", "http://localhost:5055")


def _up(url: str) -> bool:
    try:
        return requests.get(url, timeout=2).ok
    except requests.RequestException:
        return False


@pytest.fixture(scope="session", autouse=True)
def stack():
    if not _up(RASA_URL):
        pytest.fail(f"Rasa is not answering at {RASA_URL}: run the tests with `make test`")


@pytest.fixture(scope="session")
def rasa_url() -> str:
    return RASA_URL


class Conversation:
    def __init__(self) -> None:
        self.sender = f"test-{uuid.uuid4().hex[:12]}"

    def say(self, text: str) -> list:
        response = requests.post(
            f"{RASA_URL}/webhooks/rest/webhook",
            json={"sender": self.sender, "message": text},
            timeout=30,
        )
        response.raise_for_status()
        return response.json()

    def text(self, message: str) -> str:
        return "\n".join(m.get("text", "") for m in self.say(message))


@pytest.fixture
def conversation() -> Conversation:
    return Conversation()


@pytest.fixture
def action_server_stopped():
    """Stops the action server for one test and starts it again afterwards."""
    subprocess.run([str(ROOT / "scripts/services.sh"), "stop-one", "actions"], check=True)
    try:
        yield
    finally:
        subprocess.run([str(ROOT / "scripts/services.sh"), "start-one", "actions"], check=True)
        assert _up(f"{ACTION_URL}/health")
