"""Fixtures: one Rasa server for the session, on a free loopback port, with the latest model.

The Rasa server runs as `make run` runs it (serving/server.py, credentials.yml, the
project's endpoints with its own SQLite file), with ACTION_TIMEOUT_S=2 and LOG_LEVEL=INFO (more
than the WARNING of scripts/services.sh, so the log checks are stricter than production), and
without the per-sender rate limit: these tests flood Rasa itself from a few senders (the limit
is tested in tests/channels).
Its action endpoint is an ActionProxy in front of a real action server, so tests can make the
action server stop or slow down and then restore it.

A second server (`api_rasa`, started when a test needs it) has the HTTP API on with a JWT secret
and a tracker database it cannot open.
"""

from __future__ import annotations

import secrets
from pathlib import Path

import pytest

from bench.servers import (
    UNLIMITED_SENDERS,
    Server,
    action_server,
    free_port,
    latest_model,
    rasa_server,
)
from hardening.action_proxy import ActionProxy
from hardening.settings import ACTION_TIMEOUT_S, ALLOWED_ORIGIN

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def model() -> Path:
    found = latest_model(ROOT / "models")
    if found is None:
        pytest.fail("no trained model in models/: run `make train` first")
    return found


@pytest.fixture(scope="session")
def work_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("hardening")


@pytest.fixture(scope="session")
def actions(work_dir):
    server = action_server(work_dir).start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def proxy(actions):
    stand_in = ActionProxy(actions.url, free_port()).start()
    yield stand_in
    stand_in.stop()


@pytest.fixture(scope="session")
def rasa(work_dir, model, proxy) -> Server:
    server = rasa_server(
        work_dir,
        model,
        proxy.url + "/webhook",
        env={"ACTION_TIMEOUT_S": str(ACTION_TIMEOUT_S), "LOG_LEVEL": "INFO", **UNLIMITED_SENDERS},
        cors=[ALLOWED_ORIGIN],
        extra_args=["--log-file", str(work_dir / "rasa-server.log")],
    )
    server.start()
    yield server
    server.stop()


@pytest.fixture
def action_trouble(proxy):
    """The action proxy, restored to a healthy action server after the test."""
    yield proxy
    proxy.delay_s = 0.0
    proxy.up()


@pytest.fixture(scope="session")
def tracker_db(work_dir) -> Path:
    return work_dir / "trackers.db"


@pytest.fixture(scope="session")
def api_rasa(tmp_path_factory, model, proxy):
    """(server, JWT secret): HTTP API on; the tracker database path is a directory."""
    work = tmp_path_factory.mktemp("api")
    unusable_db = work / "trackers-is-a-directory.db"
    unusable_db.mkdir()
    secret = secrets.token_urlsafe(32)
    server = rasa_server(
        work,
        model,
        proxy.url + "/webhook",
        env={"RASA_JWT_SECRET": secret, "ACTION_TIMEOUT_S": str(ACTION_TIMEOUT_S)},
        extra_args=["--enable-api"],
        tracker_db=unusable_db,
    )
    server.start()
    yield server, secret
    server.stop()
