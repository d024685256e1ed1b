"""50 conversations at once each get their own answers: no cross-talk, checked by content.

Each conversation asks its own sequence: a topic button (its answer is known exactly), a
question in words, then another topic button. The answer to the question in words is first
taken in a quiet conversation of its own (so the check does not depend on the model being
right), then all 50 conversations run at the same time and every answer must be the one that
conversation should get, addressed to that conversation.
"""

from __future__ import annotations

import asyncio
import uuid
from typing import Dict, List, Tuple

import aiohttp

from hardening.chat import faq_answers, faq_examples, say, say_async, texts

CONVERSATIONS = 50


def scripts() -> List[List[str]]:
    topics = sorted(faq_answers())
    examples = faq_examples()
    plans = []
    for i in range(CONVERSATIONS):
        first, second = topics[i % len(topics)], topics[(i * 5 + 3) % len(topics)]
        question = examples[first][(i // len(topics)) % len(examples[first])]
        plans.append([f"/faq/{first}", question, f"/faq/{second}"])
    return plans


def expected_answers(base_url: str, plans: List[List[str]]) -> List[List[str]]:
    """What each turn should get: the curated answer for buttons, a quiet run for words."""
    answers = faq_answers()
    expected = []
    for plan in plans:
        sender = f"baseline-{uuid.uuid4().hex}"
        turns = []
        for message in plan:
            status, reply = say(base_url, sender, message)
            assert status == 200
            if message.startswith("/faq/"):
                assert answers[message.split("/")[2]] in texts(reply)
            turns.append(texts(reply))
        expected.append(turns)
    return expected


async def run_all(base_url: str, plans: List[List[str]]) -> Dict[str, List[Tuple[int, list]]]:
    start = asyncio.Event()
    senders = [f"crowd-{i}-{uuid.uuid4().hex}" for i in range(len(plans))]
    results: Dict[str, List[Tuple[int, list]]] = {}

    async def conversation(session: aiohttp.ClientSession, sender: str, plan: List[str]) -> None:
        await start.wait()
        results[sender] = [await say_async(session, base_url, sender, m) for m in plan]

    connector = aiohttp.TCPConnector(limit=CONVERSATIONS)
    timeout = aiohttp.ClientTimeout(total=120)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        tasks = [
            asyncio.create_task(conversation(session, sender, plan))
            for sender, plan in zip(senders, plans, strict=True)
        ]
        await asyncio.sleep(0.1)
        start.set()
        await asyncio.gather(*tasks)
    return {sender: results[sender] for sender in senders}


def test_fifty_conversations_get_their_own_answers(rasa):
    plans = scripts()
    assert len({tuple(p) for p in plans}) == CONVERSATIONS, "every conversation must differ"
    expected = expected_answers(rasa.url, plans)
    results = asyncio.run(run_all(rasa.url, plans))
    wrong = []
    for (sender, turns), plan, wanted in zip(results.items(), plans, expected, strict=True):
        for turn, ((status, reply), message, want) in enumerate(
            zip(turns, plan, wanted, strict=True)
        ):
            recipients = {m.get("recipient_id") for m in reply or []}
            if status != 200 or texts(reply) != want or recipients != {sender}:
                wrong.append(f"{sender} turn {turn} ({message[:40]!r}): got {texts(reply)[:80]!r}")
    assert not wrong, f"{len(wrong)} answers went wrong:\n" + "\n".join(wrong[:10])
