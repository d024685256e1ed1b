"""The web page's server and the action server: loopback only, bounded bodies, no slowloris.

web/serve.py runs in this process with short timeouts; the action server runs as a child
process (scripts/action_server.py, as scripts/services.sh starts it).
"""

from __future__ import annotations

import gzip
import json
import socket
import threading
import time
import uuid
import zlib
from pathlib import Path

import pytest
import requests

from bench.servers import action_server
from hardening.sockets import closed_after, only_loopback
from tools.net import free_port
from web import serve

ROOT = Path(__file__).resolve().parents[2]

HEADER_TIMEOUT_S = 1.5
MAX_CONNECTIONS = 4


@pytest.fixture
def web():
    server = serve.make_server(
        "127.0.0.1",
        free_port(),
        "http://localhost:5005",
        quiet=True,
        header_timeout_s=HEADER_TIMEOUT_S,
        idle_timeout_s=HEADER_TIMEOUT_S,
        max_connections=MAX_CONNECTIONS,
    )
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server.server_address
    server.shutdown()
    server.server_close()


def test_web_server_listens_on_loopback(web):
    assert only_loopback(web[1])


def test_slow_headers_are_cut_off(web):
    """A client sending one header byte every 0.2 s never finishes: the deadline ends it."""
    with socket.create_connection(web) as sock:
        waited = closed_after(sock, 6, b"GET / HTTP/1.1\r\nHost: x\r\n" + b"X-Slow: " + b"a" * 100)
    assert waited is not None and waited < HEADER_TIMEOUT_S + 1.5


def test_idle_connection_is_closed(web):
    with socket.create_connection(web) as sock:
        waited = closed_after(sock, 6)
    assert waited is not None and waited < HEADER_TIMEOUT_S + 1.5


def test_too_many_connections_are_closed_not_queued(web):
    idle = [socket.create_connection(web) for _ in range(MAX_CONNECTIONS)]
    try:
        time.sleep(0.2)
        with socket.create_connection(web) as extra:
            assert closed_after(extra, 1.0) is not None
    finally:
        for sock in idle:
            sock.close()
    time.sleep(HEADER_TIMEOUT_S + 0.5)
    assert requests.get(f"http://{web[0]}:{web[1]}/", timeout=5).status_code == 200


def test_a_body_is_never_read(web):
    reply = requests.post(f"http://{web[0]}:{web[1]}/", data=b"x" * 5_000_000, timeout=10)
    assert reply.status_code == 405


# --- action server ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def actions(tmp_path_factory):
    server = action_server(tmp_path_factory.mktemp("actions")).start()
    yield server
    server.stop()


def action_call(text: str) -> dict:
    return {
        "next_action": "action_refer_trafficking",
        "sender_id": "limits",
        "version": "3.6.2",
        "domain": {},
        "tracker": {"sender_id": "limits", "latest_message": {"text": text}, "events": []},
    }


def post(url: str, body: bytes, encoding: str | None = None) -> requests.Response:
    headers = {"Content-Type": "application/json"}
    if encoding:
        headers["Content-Encoding"] = encoding
    return requests.post(url + "/webhook", data=body, headers=headers, timeout=30)


def test_action_server_listens_on_loopback(actions):
    assert only_loopback(actions.port)


def test_action_server_refuses_big_bodies(actions):
    body = json.dumps(action_call("x" * (3 * 1024 * 1024))).encode()
    assert post(actions.url, body).status_code == 413


@pytest.mark.parametrize(
    ("encoding", "compress"),
    [("deflate", zlib.compress), ("gzip", gzip.compress)],
)
def test_action_server_caps_decompression(actions, encoding, compress):
    bomb = compress(b" " * 200_000_000)  # about 200 kB that would inflate to 200 MB
    assert len(bomb) < 1_000_000
    reply = post(actions.url, bomb, encoding)
    assert reply.status_code == 413
    assert actions.alive()


def test_action_server_refuses_unknown_encodings(actions):
    assert post(actions.url, b"{}", "br").status_code == 415


def test_action_server_still_reads_small_compressed_bodies(actions):
    """Rasa compresses with deflate when COMPRESS_ACTION_SERVER_REQUEST is on."""
    reply = post(actions.url, zlib.compress(b'{"next_action": "no_such_action"}'), "deflate")
    assert reply.status_code == 404  # read and understood: the action is unknown


def test_failed_action_answers_without_the_conversation(actions):
    marker = f"marker-{uuid.uuid4().hex}"
    call = action_call(marker)
    call["tracker"] = marker  # not a tracker: the action fails
    reply = post(actions.url, json.dumps(call).encode())
    assert reply.status_code == 500
    assert marker not in reply.text
    assert marker not in actions.log_text()
