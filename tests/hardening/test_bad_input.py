"""Thousands of broken and hostile messages to the REST and socket.io channels.

Every request gets a 2xx with a bot message or a clear 4xx with a JSON error, never a 5xx; the
server stays up; a control conversation gets its right answers during and after the flood.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import uuid
from collections import Counter
from typing import List, Tuple

import aiohttp
import pytest
import requests
import socketio

from channels.limits import max_message_chars
from hardening.bad_inputs import RestCase, rest_cases, socketio_cases
from hardening.chat import REST_PATH, close_socketio, faq_answers, has_help_line, say, texts

PARALLEL = 8
CONTROL_TOPICS = ["what_is_octip", "signs_of_trafficking", "sex_work_vs_trafficking"]


def check_reply(case: RestCase, status: int, body: bytes) -> str:
    """'' if the answer is acceptable for the case, else what is wrong."""
    if status >= 500:
        return f"server error {status}"
    try:
        data = json.loads(body)
    except ValueError:
        return f"status {status} without a JSON body"
    if 200 <= status < 300:
        if case.expect == "refuse":
            return f"accepted ({status}) but should be refused"
        if not isinstance(data, list) or not any(
            isinstance(m, dict) and m.get("text") for m in data
        ):
            return "a 2xx without a bot message"
        return ""
    if 400 <= status < 500:
        if case.expect == "reply":
            return f"refused ({status}) but should be answered"
        if not isinstance(data, dict) or not data.get("error") and not data.get("description"):
            return f"a {status} without an error message"
        return ""
    return f"unexpected status {status}"


async def flood_rest(base_url: str, cases: List[RestCase]) -> List[Tuple[RestCase, str]]:
    problems: List[Tuple[RestCase, str]] = []
    queue: asyncio.Queue = asyncio.Queue()
    for case in cases:
        queue.put_nowait(case)
    timeout = aiohttp.ClientTimeout(total=60)

    async def worker(session: aiohttp.ClientSession) -> None:
        while not queue.empty():
            case = queue.get_nowait()
            headers = {"Content-Type": case.content_type} if case.content_type else {}
            try:
                async with session.post(
                    base_url + REST_PATH, data=case.body, headers=headers
                ) as reply:
                    problem = check_reply(case, reply.status, await reply.read())
            except aiohttp.ClientError as error:
                problem = f"connection failed: {error!r}"
            if problem:
                problems.append((case, problem))

    async with aiohttp.ClientSession(timeout=timeout) as session:
        await asyncio.gather(*(worker(session) for _ in range(PARALLEL)))
    return problems


async def control_conversation(base_url: str, stop: asyncio.Event) -> List[str]:
    """Asks known questions over and over until `stop`; returns every wrong answer."""
    answers = faq_answers()
    wrong: List[str] = []
    sender = f"control-{uuid.uuid4().hex}"
    async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=60)) as session:
        turn = 0
        while not stop.is_set() or turn < len(CONTROL_TOPICS):
            topic = CONTROL_TOPICS[turn % len(CONTROL_TOPICS)]
            async with session.post(
                base_url + REST_PATH, json={"sender": sender, "message": f"/faq/{topic}"}
            ) as reply:
                data = await reply.json(content_type=None)
            if reply.status != 200 or answers[topic] not in texts(data):
                wrong.append(f"turn {turn} ({topic}): {reply.status} {texts(data)[:120]!r}")
            turn += 1
            await asyncio.sleep(0.05)
    return wrong


async def rest_flood_with_control(base_url: str, cases: List[RestCase]):
    stop = asyncio.Event()
    control = asyncio.create_task(control_conversation(base_url, stop))
    problems = await flood_rest(base_url, cases)
    stop.set()
    return problems, await control


def test_rest_channel_survives_thousands_of_bad_requests(rasa):
    cases = rest_cases()
    assert len(cases) >= 2000
    problems, control_wrong = asyncio.run(rest_flood_with_control(rasa.url, cases))
    summary = Counter(problem for _, problem in problems)
    examples = [f"{case.label}: {problem}" for case, problem in problems[:15]]
    assert not problems, f"{len(problems)} bad answers: {dict(summary)}\n" + "\n".join(examples)
    assert not control_wrong, "the control conversation was disturbed:\n" + "\n".join(control_wrong)
    assert rasa.alive()
    status, reply = say(rasa.url, f"after-{uuid.uuid4().hex}", "/faq/what_is_octip")
    assert status == 200 and faq_answers()["what_is_octip"] in texts(reply)


def test_oversize_message_gets_a_friendly_reply_without_nlu(rasa):
    status, reply = say(rasa.url, f"big-{uuid.uuid4().hex}", "help " * 20_000)
    assert status == 200
    text = texts(reply)
    assert "too long" in text and str(max_message_chars()) in text
    assert has_help_line(text)


@pytest.mark.parametrize("message", ["", "   ", "\x00\x01", "\n\t"])
def test_empty_message_gets_a_prompt_and_help_line(rasa, message):
    status, reply = say(rasa.url, f"empty-{uuid.uuid4().hex}", message)
    assert status == 200
    assert has_help_line(texts(reply))


def test_errors_are_json_with_a_reason(rasa):
    status, reply = say(rasa.url, f"x-{uuid.uuid4().hex}", {"text": "nested"})
    assert status == 400 and "message" in reply["error"]
    status, reply = say(rasa.url, None, "hello")
    assert status == 400 and "sender" in reply["error"]


def stored_user_turns(tracker_db, sender: str) -> int:
    with sqlite3.connect(tracker_db, timeout=10) as db:
        query = "SELECT COUNT(*) FROM events WHERE sender_id = ? AND type_name = 'user'"
        return db.execute(query, (sender,)).fetchone()[0]


def test_a_replayed_message_gets_the_same_replies_and_is_not_a_second_turn(rasa, tracker_db):
    sender = f"replay-{uuid.uuid4().hex}"
    body = {"sender": sender, "message": "/faq/what_is_octip", "message_id": uuid.uuid4().hex}
    first = requests.post(rasa.url + REST_PATH, json=body, timeout=60)
    again = requests.post(rasa.url + REST_PATH, json=body, timeout=60)
    assert first.status_code == again.status_code == 200
    assert faq_answers()["what_is_octip"] in texts(first.json())
    assert again.json() == first.json()
    assert stored_user_turns(tracker_db, sender) == 1
    new_id = {**body, "message_id": uuid.uuid4().hex}  # the same words sent on purpose again
    assert requests.post(rasa.url + REST_PATH, json=new_id, timeout=60).status_code == 200
    assert stored_user_turns(tracker_db, sender) == 2


@pytest.mark.parametrize("message_id", ["", "short", "x" * 65, "has space in it!!", 12345678])
def test_a_malformed_message_id_is_refused(rasa, message_id):
    body = {"sender": f"id-{uuid.uuid4().hex}", "message": "hello", "message_id": message_id}
    reply = requests.post(rasa.url + REST_PATH, json=body, timeout=60)
    assert reply.status_code == 400 and "message_id" in reply.json()["error"]


async def flood_socketio(base_url: str, cases: list, clients: int = 10) -> List[str]:
    """Sends each case as a user_uttered event; each must be answered by a bot message."""
    problems: List[str] = []
    queue: asyncio.Queue = asyncio.Queue()
    for i, case in enumerate(cases):
        queue.put_nowait((i, case))

    async def client_loop() -> None:
        sio = socketio.AsyncClient(reconnection=False)
        replies: asyncio.Queue = asyncio.Queue()
        sio.on("bot_uttered", lambda data: replies.put_nowait(data))
        confirmed = asyncio.get_running_loop().create_future()
        sio.on("session_confirm", lambda sid: confirmed.done() or confirmed.set_result(sid))
        await sio.connect(base_url, transports=["polling"], wait_timeout=20)
        await sio.emit("session_request", {"session_id": uuid.uuid4().hex})
        session_id = await asyncio.wait_for(confirmed, 20)
        try:
            while not queue.empty():
                i, case = queue.get_nowait()
                if isinstance(case, dict) and "session_id" not in case:
                    case = {**case, "session_id": session_id}
                await sio.emit("user_uttered", case)
                try:
                    first = await asyncio.wait_for(replies.get(), 30)
                except asyncio.TimeoutError:
                    problems.append(f"case {i}: no reply to {str(case)[:80]!r}")
                    continue
                if not isinstance(first, dict) or not (
                    first.get("text") or first.get("quick_replies")
                ):
                    problems.append(f"case {i}: odd reply {str(first)[:80]!r}")
                await asyncio.sleep(0.3)  # let the other parts of a long answer arrive
                while not replies.empty():
                    replies.get_nowait()
        finally:
            await close_socketio(sio)

    await asyncio.gather(*(client_loop() for _ in range(clients)))
    return problems


def test_socketio_channel_answers_every_bad_event(rasa):
    cases = socketio_cases()
    assert len(cases) >= 250
    problems = asyncio.run(flood_socketio(rasa.url, cases))
    assert not problems, f"{len(problems)} problems:\n" + "\n".join(problems[:15])
    assert rasa.alive()


def test_socketio_oversize_message_gets_the_size_notice(rasa):
    async def exchange() -> str:
        sio = socketio.AsyncClient(reconnection=False)
        got: asyncio.Queue = asyncio.Queue()
        sio.on("bot_uttered", lambda data: got.put_nowait(data))
        await sio.connect(rasa.url, transports=["polling"], wait_timeout=20)
        try:
            await sio.emit("session_request", {"session_id": uuid.uuid4().hex})
            await asyncio.sleep(0.2)
            await sio.emit("user_uttered", {"message": "x" * 100_000})
            parts = [await asyncio.wait_for(got.get(), 20)]
            await asyncio.sleep(0.3)
            while not got.empty():
                parts.append(got.get_nowait())
            return "\n".join(p.get("text", "") for p in parts)
        finally:
            await close_socketio(sio)

    text = asyncio.run(exchange())
    assert "too long" in text and has_help_line(text)
