"""Security defaults: the HTTP API is off unless enabled with a JWT secret; CORS only for the
configured origins, on the REST channel and on socket.io."""

from __future__ import annotations

import asyncio
import os
import secrets
import shutil
import subprocess
import time

import jwt
import pytest
import requests
import socketio

from bench.servers import PYTHON, free_port
from hardening.chat import ROOT, close_socketio
from hardening.settings import ALLOWED_ORIGIN

FOREIGN_ORIGIN = "http://evil.example"
API_CALLS = [
    ("GET", "/status"),
    ("GET", "/version"),
    ("POST", "/model/parse"),
    ("GET", "/conversations/someone/tracker"),
    ("POST", "/conversations/someone/messages"),
    ("POST", "/conversations/someone/trigger_intent"),
    ("PUT", "/model"),
    ("DELETE", "/model"),
    ("POST", "/model/train"),
    ("GET", "/domain"),
]


@pytest.mark.parametrize("method,path", API_CALLS)
def test_http_api_is_off_by_default(rasa, method, path):
    reply = requests.request(method, rasa.url + path, json={"text": "hi"}, timeout=10)
    assert reply.status_code == 404, f"{method} {path}: {reply.status_code}"


def test_rest_channel_and_health_stay_on(rasa):
    health = requests.get(rasa.url + "/", timeout=10)
    assert health.status_code == 200
    assert "3." not in health.text and "version" not in health.text.lower(), health.text
    assert requests.get(rasa.url + "/webhooks/rest/", timeout=10).status_code == 200


def test_cors_only_for_configured_origins(rasa):
    url = rasa.url + "/webhooks/rest/webhook"
    body = {"sender": "cors-check", "message": "hi"}
    foreign = requests.post(url, json=body, headers={"Origin": FOREIGN_ORIGIN}, timeout=30)
    assert "Access-Control-Allow-Origin" not in foreign.headers
    preflight = requests.options(
        url,
        headers={
            "Origin": FOREIGN_ORIGIN,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type",
        },
        timeout=10,
    )
    assert "Access-Control-Allow-Origin" not in preflight.headers
    allowed = requests.post(url, json=body, headers={"Origin": ALLOWED_ORIGIN}, timeout=30)
    assert allowed.headers.get("Access-Control-Allow-Origin") == ALLOWED_ORIGIN


def socketio_connects(url: str, origin: str) -> bool:
    async def attempt() -> bool:
        client = socketio.AsyncClient(reconnection=False)
        try:
            await client.connect(
                url, headers={"Origin": origin}, transports=["polling"], wait_timeout=10
            )
        except socketio.exceptions.ConnectionError:
            return False
        await close_socketio(client)
        return True

    return asyncio.run(attempt())


def test_socketio_only_for_configured_origins(rasa):
    assert not socketio_connects(rasa.url, FOREIGN_ORIGIN)
    assert socketio_connects(rasa.url, ALLOWED_ORIGIN)


def test_api_without_secret_is_refused(tmp_path):
    """scripts/services.sh and serving/server.py both refuse an API without a secret."""
    project = tmp_path / "project"
    (project / "scripts").mkdir(parents=True)
    shutil.copy(ROOT / "scripts" / "services.sh", project / "scripts" / "services.sh")
    env = {k: v for k, v in os.environ.items() if k != "RASA_JWT_SECRET"}
    env.update(
        VENV=str(PYTHON.parent.parent),
        RASA_ENABLE_API="true",
        RASA_MODEL=str(ROOT / "models"),
        RASA_PORT=str(free_port()),
    )
    done = subprocess.run(
        ["bash", "scripts/services.sh", "start-one", "rasa"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0
    assert "RASA_JWT_SECRET" in done.stderr

    direct = start_with_api(env)
    assert direct.returncode == 2 and "RASA_JWT_SECRET" in direct.stderr


def start_with_api(env, *extra: str) -> subprocess.CompletedProcess:
    """serving/server.py with the HTTP API on, as a user would start it."""
    return subprocess.run(
        [
            str(PYTHON),
            "-m",
            "serving.server",
            "--model",
            "models",
            "--enable-api",
            "--port",
            str(free_port()),
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("secret", ["x", "short-secret-of-31-characters-x"])
def test_short_jwt_secrets_are_refused(secret):
    env = {**os.environ, "RASA_JWT_SECRET": secret}
    done = start_with_api(env)
    assert done.returncode == 2 and "shorter than 32 characters" in done.stderr
    assert secret not in done.stderr


def test_short_auth_tokens_are_refused():
    env = {k: v for k, v in os.environ.items() if k != "RASA_JWT_SECRET"}
    done = start_with_api(env, "--auth-token", "letmein")
    assert done.returncode == 2 and "auth token is shorter than 32" in done.stderr
    assert "letmein" not in done.stderr


def test_enabled_api_needs_a_valid_token(api_rasa):
    server, secret = api_rasa
    parse = server.url + "/model/parse"
    assert requests.post(parse, json={"text": "hi"}, timeout=30).status_code == 401
    forged = jwt.encode(
        {"user": {"username": "x", "role": "admin"}}, secrets.token_urlsafe(32), algorithm="HS256"
    )
    headers = {"Authorization": f"Bearer {forged}"}
    assert requests.post(parse, json={"text": "hi"}, headers=headers, timeout=30).status_code == 401
    tracker = server.url + "/conversations/someone/tracker"
    assert requests.get(tracker, timeout=30).status_code == 401
    assert requests.get(server.url + "/version", timeout=30).status_code == 404
    user = {"username": "staff", "role": "admin"}
    for claims in ({}, {"exp": int(time.time()) + 400 * 24 * 3600}):
        lasting = jwt.encode({"user": user, **claims}, secret, algorithm="HS256")
        headers = {"Authorization": f"Bearer {lasting}"}
        status = requests.post(parse, json={"text": "hi"}, headers=headers, timeout=30).status_code
        assert status == 401, f"a token with {claims or 'no expiry'} was accepted"
    token = jwt.encode({"user": user, "exp": int(time.time()) + 60}, secret, algorithm="HS256")
    headers = {"Authorization": f"Bearer {token}"}
    assert requests.post(parse, json={"text": "hi"}, headers=headers, timeout=30).status_code == 200


def test_debug_logging_warns_that_it_writes_message_text(tmp_path):
    env = {**os.environ, "LOG_LEVEL": "DEBUG"}
    done = subprocess.run(
        [str(PYTHON), "-m", "serving.server", "--model", str(tmp_path / "none")],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "DEBUG logging writes message text" in done.stderr
