"""The shared path of an incoming message, with Rasa's in-memory tracker store and a fake dialogue.

The same path is driven end to end through the real server in test_channel_sms.py and the others;
these tests cover the branches quickly and without a model.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, Dict, List

import pytest
from rasa.core.channels.channel import OutputChannel, UserMessage
from rasa.core.tracker_store import InMemoryTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered

from channels import messages
from channels.history import latest_options, load_history
from channels.inbound import Incoming, Route, handle_incoming
from channels.keywords import carrier_keyword
from channels.messages import PRIVACY_NOTE
from channels.replies import FormattedReplies, Part, Style

CITY = {
    "text": "Which **city** are you in?",
    "buttons": [
        {"title": "Vancouver", "payload": '/inform_location{"location": "Vancouver"}'},
        {"title": "Skip", "payload": "/deny"},
    ],
}
SMS = Route(
    "twilio", "sms", "key", carrier_keyword, stop_hint=True, privacy_note=PRIVACY_NOTE["sms"]
)
WHATSAPP = Route("whatsapp", "whatsapp", "key", carrier_keyword, confirm_stop=True, stop_hint=True)


class Recorder(FormattedReplies, OutputChannel):
    def __init__(self) -> None:
        self.style = Style(1600, number_parts=True, gsm=True)
        self.address = "+16045550100"
        self.sent: List[Part] = []
        self.closed = False

    async def deliver(self, part: Part) -> None:
        self.sent.append(part)

    async def close(self) -> None:
        self.closed = True


class FakeDialogue:
    """Stores each turn in the tracker store like Rasa does, and answers with CITY."""

    def __init__(self, store: InMemoryTrackerStore, fail: bool = False) -> None:
        self.store = store
        self.fail = fail
        self.received: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.fail:
            raise RuntimeError("model not loaded")
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        tracker.update(BotUttered(CITY["text"], data={"buttons": CITY["buttons"]}))
        await self.store.save(tracker)
        await message.output_channel.send_response(message.sender_id, dict(CITY))


@pytest.fixture
def store() -> InMemoryTrackerStore:
    return InMemoryTrackerStore(Domain.empty())


def _request(store: InMemoryTrackerStore | None) -> Any:
    agent = SimpleNamespace(tracker_store=store) if store else None
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)))


async def _send(store, dialogue, text, route: Route = SMS) -> Recorder:
    replies = Recorder()
    await handle_incoming(_request(store), route, Incoming("+16045550100", text), replies, dialogue)
    assert replies.closed
    return replies


@pytest.mark.asyncio
async def test_first_answer_has_numbered_options_then_the_privacy_note_once(store) -> None:
    dialogue = FakeDialogue(store)
    first = await _send(store, dialogue, "hi")
    assert [p.text for p in first.sent] == [
        'Which city are you in?\n\nReply 1 for "Vancouver"\nReply 2 for "Skip"',
        PRIVACY_NOTE["sms"],
    ]
    second = await _send(store, dialogue, "hello again")
    assert PRIVACY_NOTE["sms"] not in [p.text for p in second.sent]


@pytest.mark.asyncio
async def test_conversation_id_is_a_pseudonym(store) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, "hi")
    sender = dialogue.received[0].sender_id
    assert sender.startswith("sms-") and "6045550100" not in sender
    assert dialogue.received[0].input_channel == "twilio"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("reply", "sent"),
    [
        ("1", '/inform_location{"location": "Vancouver"}'),
        ("vancouver", '/inform_location{"location": "Vancouver"}'),
        ("2.", "/deny"),
        ("Skip!", "/deny"),
        ("3", "3"),
        ("I live in Surrey", "I live in Surrey"),
    ],
)
async def test_replies_pick_options_from_the_latest_answer(store, reply: str, sent: str) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, "hi")
    await _send(store, dialogue, reply)
    assert dialogue.received[-1].text == sent


@pytest.mark.asyncio
async def test_stop_reaches_nobody_on_sms_and_is_confirmed_on_whatsapp(store) -> None:
    dialogue = FakeDialogue(store)
    assert (await _send(store, dialogue, "STOP")).sent == []
    whatsapp = await _send(store, dialogue, "Unsubscribe", WHATSAPP)
    assert [p.text for p in whatsapp.sent] == [messages.stopped()]
    assert dialogue.received == []


@pytest.mark.asyncio
async def test_help_answers_without_the_dialogue(store) -> None:
    dialogue = FakeDialogue(store)
    replies = await _send(store, dialogue, "help")
    assert [p.text for p in replies.sent] == [messages.help_text(stop_hint=True)]
    assert dialogue.received == []


@pytest.mark.asyncio
async def test_start_starts_over_with_the_greeting(store) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, "START")
    assert dialogue.received[0].text == "/greet"


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("text", "expected"), [("x" * 2001, "too_long"), (None, "unsupported"), ("   ", "unsupported")]
)
async def test_messages_the_dialogue_cannot_take(store, monkeypatch, text, expected) -> None:
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "2000")
    dialogue = FakeDialogue(store)
    replies = await _send(store, dialogue, text)
    wanted = messages.too_long(2000) if expected == "too_long" else messages.unsupported()
    assert [p.text for p in replies.sent] == [wanted]
    assert dialogue.received == []


@pytest.mark.asyncio
async def test_a_failing_dialogue_still_leaves_a_way_to_get_help() -> None:
    dialogue = FakeDialogue(InMemoryTrackerStore(Domain.empty()), fail=True)
    replies = await _send(None, dialogue, "hi")
    assert [p.text for p in replies.sent] == [messages.trouble()]


def test_latest_options_come_only_from_the_last_turn() -> None:
    buttons: List[Dict[str, Any]] = CITY["buttons"]
    events = [UserUttered("hi"), BotUttered("Which city?", data={"buttons": buttons})]
    assert latest_options(events) == tuple(buttons)
    assert latest_options([*events, BotUttered("More text.")]) == tuple(buttons)
    assert latest_options([*events, UserUttered("1"), BotUttered("Thanks.")]) == ()


@pytest.mark.asyncio
async def test_history_without_a_tracker_store() -> None:
    history = await load_history(_request(None).app, "sms-x")
    assert history.options == () and not history.replied_before
