"""Talking to the Rasa server under test, and what its answers should contain."""

from __future__ import annotations

import asyncio
import uuid
from pathlib import Path
from typing import Any, Dict, List, Tuple

import aiohttp
import requests
import socketio
import yaml

ROOT = Path(__file__).resolve().parents[2]
HOTLINE = "1-833-900-1010"
EMERGENCY = "911"
REST_PATH = "/webhooks/rest/webhook"


def faq_answers() -> Dict[str, str]:
    """topic -> the text of its curated answer (utter_faq/<topic>)."""
    answers = {}
    for path in sorted((ROOT / "data" / "faq").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variants in responses.items():
            if name.startswith("utter_faq/"):
                answers[name.split("/", 1)[1]] = variants[0]["text"]
    return answers


def faq_examples() -> Dict[str, List[str]]:
    """topic -> its training examples."""
    examples: Dict[str, List[str]] = {}
    for path in sorted((ROOT / "data" / "faq").glob("*.yml")):
        for block in (yaml.safe_load(path.read_text()) or {}).get("nlu") or []:
            intent = block.get("intent", "")
            if intent.startswith("faq/"):
                lines = [
                    line[2:].strip()
                    for line in block["examples"].splitlines()
                    if line.startswith("- ")
                ]
                # a topic's English list, then its French list
                examples.setdefault(intent.split("/", 1)[1], []).extend(lines)
    return examples


def texts(reply: Any) -> str:
    """All bot texts of a REST reply, joined."""
    if not isinstance(reply, list):
        return ""
    return "\n".join(m.get("text", "") for m in reply if isinstance(m, dict))


def has_help_line(text: str) -> bool:
    return EMERGENCY in text and HOTLINE in text


def say(base_url: str, sender: str, message: Any, timeout: float = 60) -> Tuple[int, Any]:
    reply = requests.post(
        base_url + REST_PATH, json={"sender": sender, "message": message}, timeout=timeout
    )
    try:
        return reply.status_code, reply.json()
    except ValueError:
        return reply.status_code, reply.text


async def say_async(
    session: aiohttp.ClientSession,
    base_url: str,
    sender: str,
    message: str,
) -> Tuple[int, Any | None]:
    async with session.post(base_url + REST_PATH, json={"sender": sender, "message": message}) as r:
        try:
            return r.status, await r.json(content_type=None)
        except ValueError:
            return r.status, None


def run(coroutine):
    return asyncio.run(coroutine)


async def close_socketio(client) -> None:
    """Disconnects a socket.io client at once (a polite polling disconnect waits ~30 s)."""
    await client.eio.disconnect(abort=True)
    if client.eio.http is not None and not client.eio.http.closed:
        await client.eio.http.close()


def socketio_say(url: str, text: str) -> None:
    async def exchange() -> None:
        client = socketio.AsyncClient(reconnection=False)
        got = asyncio.Event()
        client.on("bot_uttered", lambda _: got.set())
        await client.connect(url, transports=["polling"], wait_timeout=20)
        try:
            await client.emit("session_request", {"session_id": uuid.uuid4().hex})
            await asyncio.sleep(0.2)
            await client.emit("user_uttered", {"message": text})
            await asyncio.wait_for(got.wait(), 30)
        finally:
            await close_socketio(client)

    asyncio.run(exchange())
