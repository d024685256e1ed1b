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
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered

from channels import messages, sender_limits
from channels.history import latest_options, load_history
from channels.inbound import Incoming, Route, handle_incoming
from channels.keywords import carrier_keyword, telegram_command
from channels.messages import PRIVACY_NOTE
from channels.replies import FormattedReplies, Part, Style
from channels.sender_limits import SenderLimiter

CITY = {
    "text": "Which **city** are you in?",
    "buttons": [
        {"title": "Vancouver", "payload": '/inform_location{"location": "Vancouver"}'},
        {"title": "Skip", "payload": "/deny"},
    ],
}
SMS = Route("twilio", "sms", carrier_keyword, stop_hint=True, privacy_note="sms")
WHATSAPP = Route("whatsapp", "whatsapp", carrier_keyword, confirm_stop=True, stop_hint=True)
TELEGRAM = Route("telegram", "telegram", telegram_command)


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

    def __init__(
        self, store: InMemoryTrackerStore, fail: bool = False, silent: bool = False
    ) -> None:
        self.store = store
        self.fail = fail
        self.silent = silent  # like Rasa with no model loaded: no error, no answer
        self.received: List[UserMessage] = []

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        if self.fail:
            raise RuntimeError("model not loaded")
        if self.silent:
            return
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        tracker.update(BotUttered(CITY["text"], data={"buttons": CITY["buttons"]}))
        await self.store.save(tracker)
        await message.output_channel.send_response(message.sender_id, dict(CITY))


@pytest.fixture(autouse=True)
def fresh_limits(monkeypatch) -> SenderLimiter:
    """A pseudonym key of its own, and a fresh rate limiter, for each test."""
    monkeypatch.setenv("CHANNEL_PSEUDONYM_KEY", "unit-test-pseudonym-key-0123456789abcdef")
    limiter = SenderLimiter(burst=15, per_minute=30, max_senders=100)
    monkeypatch.setattr(sender_limits, "LIMITER", limiter)
    return limiter


@pytest.fixture
def store() -> InMemoryTrackerStore:
    return InMemoryTrackerStore(Domain.empty())


# What the connectors read from the loaded model's domain to check button payloads.
DOMAIN = SimpleNamespace(
    intents=["greet", "deny", "inform_location", "faq"],
    entities=["location"],
    responses={"utter_greet": [], "utter_faq/what_is_human_trafficking": []},
)


def _request(store: InMemoryTrackerStore | None) -> Any:
    agent = SimpleNamespace(tracker_store=store, domain=DOMAIN) if store else None
    return SimpleNamespace(app=SimpleNamespace(ctx=SimpleNamespace(agent=agent)))


async def _send(store, dialogue, text, route: Route = SMS, from_button: bool = False) -> Recorder:
    replies = Recorder()
    incoming = Incoming("+16045550100", text, from_button=from_button)
    await handle_incoming(_request(store), route, incoming, replies, dialogue)
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


@pytest.mark.asyncio
@pytest.mark.parametrize("route", [SMS, WHATSAPP, TELEGRAM], ids=lambda r: r.id_prefix)
@pytest.mark.parametrize(
    ("typed", "read_as"),
    [
        ("/ my pimp has my passport", "my pimp has my passport"),
        ("/faq/what_is_human_trafficking", "faq/what_is_human_trafficking"),
        ("/faq/zqmarker", "faq/zqmarker"),
        ('/greet{"zqmarker": 1}', 'greet{"zqmarker": 1}'),
        ("//deny", "deny"),
        ("/menu", "menu"),
    ],
)
async def test_typed_slash_text_is_read_as_words(store, route, typed, read_as) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, typed, route)
    assert [m.text for m in dialogue.received] == [read_as]


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("command", "sent"),
    [("/start", "/greet"), ("/start@test_help_bot", "/greet"), ("/start campaign42", "/greet")],
)
async def test_telegram_start_starts_with_the_greeting(store, command, sent) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, command, TELEGRAM)
    assert [m.text for m in dialogue.received] == [sent]


@pytest.mark.asyncio
async def test_telegram_help_answers_without_the_dialogue(store) -> None:
    dialogue = FakeDialogue(store)
    replies = await _send(store, dialogue, "/help", TELEGRAM)
    assert [p.text for p in replies.sent] == [messages.help_text(stop_hint=False)]
    assert dialogue.received == []


@pytest.mark.asyncio
@pytest.mark.parametrize(
    ("payload", "sent"),
    [
        ("/deny", "/deny"),
        ('/inform_location{"location": "Surrey"}', '/inform_location{"location": "Surrey"}'),
        ("/faq/what_is_human_trafficking", "/faq/what_is_human_trafficking"),
        ("/faq/zqmarker", "faq/zqmarker"),
        ("/zqmarker", "zqmarker"),
        ('/greet{"zqmarker": "x"}', 'greet{"zqmarker": "x"}'),
    ],
)
async def test_button_payloads_pass_only_if_the_domain_knows_them(store, payload, sent) -> None:
    dialogue = FakeDialogue(store)
    await _send(store, dialogue, payload, TELEGRAM, from_button=True)
    assert [m.text for m in dialogue.received] == [sent]


@pytest.mark.asyncio
async def test_a_dialogue_that_says_nothing_still_leaves_a_way_to_get_help(store) -> None:
    replies = await _send(store, FakeDialogue(store, silent=True), "hi")
    assert [p.text for p in replies.sent] == [messages.trouble()]


@pytest.mark.asyncio
async def test_over_the_rate_limit_one_notice_then_only_danger_is_answered(
    store, fresh_limits
) -> None:
    fresh_limits.clock = lambda: 0.0
    dialogue = FakeDialogue(store)
    for n in range(15):
        await _send(store, dialogue, f"question {n}", WHATSAPP)
    assert len(dialogue.received) == 15
    notice = await _send(store, dialogue, "one more question", WHATSAPP)
    assert [p.text for p in notice.sent] == [messages.too_fast()]
    assert "911" in notice.sent[0].text
    quiet = await _send(store, dialogue, "and another", WHATSAPP)
    assert quiet.sent == []
    danger = await _send(store, dialogue, "he has a knife, help me now", WHATSAPP)
    assert [p.text for p in danger.sent] == [messages.danger_only()]
    stop = await _send(store, dialogue, "STOP", WHATSAPP)
    assert [p.text for p in stop.sent] == [messages.stopped()]
    assert len(dialogue.received) == 15


@pytest.mark.asyncio
async def test_the_limit_refills_over_time(store, fresh_limits) -> None:
    now = [0.0]
    fresh_limits.clock = lambda: now[0]
    dialogue = FakeDialogue(store)
    for _ in range(16):
        await _send(store, dialogue, "hello", WHATSAPP)
    assert len(dialogue.received) == 15
    now[0] += 2.0  # 30 a minute: one more message every 2 s
    await _send(store, dialogue, "hello", WHATSAPP)
    assert len(dialogue.received) == 16


def test_conversation_ids_are_keyed_with_the_pseudonym_key_only(monkeypatch, tmp_path) -> None:
    from channels import identity

    monkeypatch.setenv("CHANNEL_PSEUDONYM_KEY", "k" * 40)
    keyed = identity.pseudonym("sms", "+16045550100")
    assert keyed == identity.conversation_id("sms", "+16045550100", "k" * 40)
    monkeypatch.delenv("CHANNEL_PSEUDONYM_KEY")
    key_file = tmp_path / "var" / "channel-pseudonym.key"
    monkeypatch.setenv("CHANNEL_PSEUDONYM_KEY_FILE", str(key_file))
    first = identity.pseudonym("sms", "+16045550100")
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert len(key_file.read_text().strip()) >= identity.MIN_KEY_CHARS
    identity.key_from_file.cache_clear()
    assert identity.pseudonym("sms", "+16045550100") == first, "stable across restarts"
    assert first != keyed
    identity.key_from_file.cache_clear()


# A stored conversation whose language slot the dialogue sets, as the language router does.
LANGUAGE_DOMAIN = Domain.from_dict(
    {
        "entities": ["language"],
        "slots": {
            "language": {
                "type": "text",
                "influence_conversation": False,
                "mappings": [{"type": "from_entity", "entity": "language"}],
            }
        },
    }
)
VILLE = {
    "text": "Dans quelle ville êtes-vous ?",
    "buttons": [
        {"title": "Vancouver", "payload": '/inform_location{"location": "Vancouver"}'},
        {"title": "Passer", "payload": "/deny"},
    ],
}


class FrenchDialogue(FakeDialogue):
    """Answers in French and keeps the conversation French, like the language slot does."""

    async def __call__(self, message: UserMessage) -> None:
        self.received.append(message)
        tracker = await self.store.get_or_create_tracker(message.sender_id)
        tracker.update(UserUttered(message.text))
        tracker.update(SlotSet("language", "fr"))
        tracker.update(BotUttered(VILLE["text"], data={"buttons": VILLE["buttons"]}))
        await self.store.save(tracker)
        await message.output_channel.send_response(message.sender_id, dict(VILLE))


@pytest.fixture
def french_store() -> InMemoryTrackerStore:
    return InMemoryTrackerStore(LANGUAGE_DOMAIN)


@pytest.mark.asyncio
async def test_a_french_conversation_gets_french_options_and_privacy_note(french_store) -> None:
    dialogue = FrenchDialogue(french_store)
    first = await _send(french_store, dialogue, "bonjour, j'ai une question")
    assert [p.text for p in first.sent] == [
        'Dans quelle ville êtes-vous ?\n\nRépondez 1 pour "Vancouver"\nRépondez 2 pour "Passer"',
        messages.privacy_note("sms", "fr"),
    ]
    assert messages.privacy_note("sms", "fr").startswith("Confidentialité")
    second = await _send(french_store, dialogue, "choix 2")
    assert dialogue.received[-1].text == "/deny"
    assert "Répondez 1 pour" in second.sent[0].text


@pytest.mark.asyncio
async def test_a_short_reply_keeps_the_french_conversation_french(french_store) -> None:
    dialogue = FrenchDialogue(french_store)
    await _send(french_store, dialogue, "bonjour, j'ai une question")
    ok = await _send(french_store, dialogue, "ok")
    assert "Répondez 1 pour" in ok.sent[0].text
    help_text = await _send(french_store, dialogue, "HELP")
    assert [p.text for p in help_text.sent] == [messages.help_text(True, "fr")]


@pytest.mark.asyncio
async def test_fixed_texts_follow_a_french_message(store, monkeypatch) -> None:
    monkeypatch.setenv("MAX_MESSAGE_CHARS", "20")
    replies = await _send(store, FakeDialogue(store), "je suis pas sure de quoi faire ici")
    assert [p.text for p in replies.sent] == [messages.too_long(20, "fr")]
    broken = FakeDialogue(InMemoryTrackerStore(Domain.empty()), fail=True)
    replies = await _send(None, broken, "aidez-moi svp")
    assert [p.text for p in replies.sent] == [messages.trouble("fr")]


def test_french_fixed_texts_carry_the_directory_numbers() -> None:
    for english, french in [
        (messages.help_text(True), messages.help_text(True, "fr")),
        (messages.too_fast(), messages.too_fast("fr")),
        (messages.danger_only(), messages.danger_only("fr")),
        (messages.trouble(), messages.trouble("fr")),
    ]:
        assert french != english
        assert "911" in french.splitlines()[0] or "911" in french.splitlines()[1]
        assert "1-833-900-1010" in french and "24 h sur 24" in french
    assert messages.help_text(True, "es") == messages.help_text(True)
