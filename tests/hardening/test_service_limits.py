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
import yaml

from bench.servers import action_server
from hardening.logs import wait_for_log
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
    call = {"next_action": "no_such_action", "tracker": {"sender_id": "limits"}}
    reply = post(actions.url, zlib.compress(json.dumps(call).encode()), "deflate")
    assert reply.status_code == 404  # read and understood: the action is unknown


# --- malformed action calls ------------------------------------------------------------------

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
ACTIONS = DOMAIN["actions"]
WRONG_VALUES = (None, 0, "x", [], {}, True)


def full_call(action: str, marker: str = "where can i get help") -> dict:
    """An action call shaped like the ones Rasa 3.6 posts, with a tracker of a few turns."""
    parse_data = {
        "text": marker,
        "intent": {"name": "request_help_trafficking", "confidence": 0.9},
        "entities": [{"entity": "location", "value": "Vancouver", "start": 0, "end": 9}],
        "intent_ranking": [{"name": "request_help_trafficking", "confidence": 0.9}],
        "response_selector": {
            "all_retrieval_intents": ["faq"],
            "faq": {
                "response": {"intent_response_key": "faq/what_is_sex_work", "confidence": 0.8},
                "ranking": [],
            },
        },
        "message_id": "m2",
        "metadata": {},
    }
    return {
        "next_action": action,
        "sender_id": "limits",
        "version": "3.6.21",
        # the actions read only which responses exist: one variation of each keeps calls small
        "domain": {"responses": {name: texts[:1] for name, texts in DOMAIN["responses"].items()}},
        "tracker": {
            "sender_id": "limits",
            "slots": {
                "location": "Vancouver",
                "need": "trafficking",
                "location_asked": True,
                "language": None,
                "is_minor": False,
            },
            "latest_message": parse_data,
            "latest_event_time": 3.0,
            "followup_action": None,
            "paused": False,
            "events": [
                {"event": "action", "name": "action_session_start", "timestamp": 1.0},
                {
                    "event": "user",
                    "text": marker,
                    "parse_data": parse_data,
                    "input_channel": "rest",
                    "metadata": {},
                    "timestamp": 2.0,
                },
                {
                    "event": "bot",
                    "text": "An answer.",
                    "data": {},
                    "metadata": {"utter_action": "utter_faq/what_is_sex_work"},
                    "timestamp": 2.5,
                },
            ],
            "latest_input_channel": "rest",
            "active_loop": {},
            "latest_action": {"action_name": "action_listen"},
            "latest_action_name": "action_listen",
        },
    }


def paths_in(value, path=()):
    """Every path into the call below its top, except the domain's responses (curated text)."""
    if path[:2] == ("domain", "responses"):
        return
    children = (
        value.items()
        if isinstance(value, dict)
        else enumerate(value)
        if isinstance(value, list)
        else ()
    )
    for key, child in children:
        yield (*path, key)
        yield from paths_in(child, (*path, key))


def copy_at(call: dict, path: tuple) -> tuple:
    """A copy of the call, the place in it that holds the end of the path, and that end."""
    changed = json.loads(json.dumps(call))
    *parents, last = path
    place = changed
    for key in parents:
        place = place[key]
    return changed, place, last


def with_value(call: dict, path: tuple, value) -> dict:
    changed, place, last = copy_at(call, path)
    place[last] = value
    return changed


def without(call: dict, path: tuple) -> dict:
    changed, place, last = copy_at(call, path)
    del place[last]
    return changed


def test_a_well_formed_call_gets_its_replies(actions):
    for action in ACTIONS:
        reply = post(actions.url, json.dumps(full_call(action)).encode())
        assert reply.status_code == 200, action
        assert reply.json()["responses"], action


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"not json",
        b"\xff\xfe",
        b"null",
        b"[]",
        b'"text"',
        b"{}",
        b'{"next_action": "action_tell_more"}',
        b'{"next_action": 5, "tracker": {"sender_id": "s"}}',
        b'{"next_action": "action_tell_more", "tracker": "a tracker"}',
        b'{"next_action": "action_tell_more", "tracker": {}}',
        b'{"next_action": "action_tell_more", "tracker": {"sender_id": "s", "events": {}}}',
        b'{"next_action": "action_tell_more", "tracker": {"sender_id": "s", "events": [1]}}',
    ],
)
def test_a_malformed_call_gets_a_400(actions, body):
    reply = post(actions.url, body)
    assert reply.status_code == 400
    assert reply.json()["error"]


def test_no_wrong_value_anywhere_in_a_call_gets_a_500(actions):
    """Every field of a real call, replaced by each wrong kind of value or left out, for every
    action: the server answers (400 when the actions could not read it), never a 500."""
    failures = []
    session = requests.Session()  # one connection for thousands of calls
    for action in ACTIONS:
        call = full_call(action)
        for path in paths_in(call):
            changes = [with_value(call, path, value) for value in WRONG_VALUES]
            changes.append(without(call, path))
            for changed in changes:
                reply = session.post(actions.url + "/webhook", json=changed, timeout=30)
                if reply.status_code >= 500:
                    failures.append((action, "/".join(map(str, path)), reply.status_code))
    assert not failures, failures[:20]
    assert actions.alive()


def test_a_refused_call_is_not_echoed_or_logged(actions):
    marker = f"marker-{uuid.uuid4().hex}"
    call = with_value(full_call("action_refer_trafficking", marker), ("tracker", "events"), marker)
    reply = post(actions.url, json.dumps(call).encode())
    assert reply.status_code == 400
    assert reply.json()["where"] == "tracker/events/type"
    assert marker not in reply.text
    log = wait_for_log(actions, 0, "Refused a malformed action call")
    assert "Refused a malformed action call" in log
    assert marker not in log


@pytest.fixture(scope="module")
def broken_actions(tmp_path_factory):
    """An action server whose referral directory is missing: the referral actions fail."""
    work_dir = tmp_path_factory.mktemp("broken-actions")
    server = action_server(work_dir)
    server.env["REFERRAL_DIRECTORY"] = str(work_dir / "missing.yml")
    server.start()
    yield server
    server.stop()


def test_failed_action_answers_without_the_conversation(broken_actions):
    marker = f"marker-{uuid.uuid4().hex}"
    reply = post(
        broken_actions.url, json.dumps(full_call("action_refer_trafficking", marker)).encode()
    )
    assert reply.status_code == 500
    assert marker not in reply.text
    log = wait_for_log(broken_actions, 0, "Action request failed")
    assert "Action request failed (FileNotFoundError" in log
    assert marker not in log
