"""How answers are shaped for each app: parts under the limit, numbered or native buttons."""

from __future__ import annotations

import pytest
from aiogram.bot.api import TELEGRAM_PRODUCTION
from fbmessenger import MessengerClient

from channels.facebook import MESSENGER_MAX_CHARS, MessengerReplies
from channels.replies import CHOOSE, NativeButton, Style, render
from channels.telegram import TELEGRAM_MAX_CHARS, TelegramReplies, callback_data
from channels.twilio import TWILIO_MAX_CHARS, SmsReplies, WhatsAppReplies

BUTTONS = [
    {"title": "Vancouver", "payload": '/inform_location{"location": "Vancouver"}'},
    {"title": "Skip", "payload": "/deny"},
]
LONG_TITLES = [
    {"title": "What is trafficking?", "payload": "/faq/what_is_human_trafficking"},
    {"title": "Where can I get help?", "payload": "/request_help_trafficking"},
]
SMS = Style(1600, number_parts=True, gsm=True)
MESSENGER = Style(2000, buttons=13, button_title=20)
TELEGRAM = Style(4096, buttons=100, button_title=64)
LONG = " ".join(f"This is sentence {n} of a long answer." for n in range(150))


def test_sms_numbers_the_options_in_plain_text() -> None:
    [part] = render("Which **city**?", BUTTONS, SMS)
    assert part.text == 'Which city?\n\nReply 1 for "Vancouver"\nReply 2 for "Skip"'
    assert part.buttons == ()


def test_sms_parts_are_marked_and_stay_under_the_limit() -> None:
    parts = render(LONG, BUTTONS, SMS)
    assert len(parts) > 1
    assert all(len(p.text) <= 1600 for p in parts)
    assert [p.text.rsplit(" ", 1)[1] for p in parts] == [
        f"({n}/{len(parts)})" for n in range(1, len(parts) + 1)
    ]
    assert 'Reply 2 for "Skip"' in parts[-1].text


def test_apps_with_buttons_get_native_ones_on_the_last_part_only() -> None:
    parts = render(LONG, BUTTONS, TELEGRAM)
    assert all(len(p.text) <= 4096 for p in parts)
    assert all(p.buttons == () for p in parts[:-1])
    assert parts[-1].buttons == (
        NativeButton("Vancouver", '/inform_location{"location": "Vancouver"}'),
        NativeButton("Skip", "/deny"),
    )
    assert "Reply 1" not in parts[-1].text


def test_titles_too_long_for_messenger_are_numbered_in_the_text_too() -> None:
    [part] = render("Choose:", LONG_TITLES, MESSENGER)
    assert 'Reply 2 for "Where can I get help?"' in part.text
    assert [b.label for b in part.buttons] == ["1. What is traffick…", "2. Where can I get…"]
    assert all(len(b.label) <= 20 for b in part.buttons)
    assert [b.payload for b in part.buttons] == [b["payload"] for b in LONG_TITLES]


def test_more_buttons_than_the_app_shows_are_numbered() -> None:
    many = [{"title": f"Option {n}", "payload": f"/p{n}"} for n in range(15)]
    [part] = render("Pick one", many, MESSENGER)
    assert len(part.buttons) == 13
    assert 'Reply 15 for "Option 14"' in part.text


def test_buttons_without_text_still_have_a_message() -> None:
    [part] = render("", BUTTONS, TELEGRAM)
    assert part.text == CHOOSE


def test_long_telegram_payloads_travel_as_option_numbers() -> None:
    long_payload = '/inform_location{"location": "' + "x" * 60 + '"}'
    assert callback_data(NativeButton("A", "/deny"), 1) == "/deny"
    assert callback_data(NativeButton("B", long_payload), 2) == "2"


LIMIT_VARS = ("SMS_MAX_CHARS", "WHATSAPP_MAX_CHARS", "TELEGRAM_MAX_CHARS", "MESSENGER_MAX_CHARS")


def test_each_app_gets_its_own_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in LIMIT_VARS:
        monkeypatch.delenv(name, raising=False)
    telegram = TelegramReplies("123456789:TEST-token", TELEGRAM_PRODUCTION, "42")
    messenger = MessengerReplies(MessengerClient("test-token"), "42")
    assert SmsReplies.make_style().max_chars == TWILIO_MAX_CHARS == 1600
    assert WhatsAppReplies.make_style().max_chars == 1600
    assert telegram.style.max_chars == TELEGRAM_MAX_CHARS == 4096
    assert messenger.style.max_chars == MESSENGER_MAX_CHARS == 2000
    assert SmsReplies.make_style().gsm and not WhatsAppReplies.make_style().gsm
    assert (messenger.style.buttons, messenger.style.button_title) == (13, 20)


def test_a_lower_limit_can_be_set_but_never_a_higher_one(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SMS_MAX_CHARS", "459")
    assert SmsReplies.make_style().max_chars == 459
    monkeypatch.setenv("SMS_MAX_CHARS", "5000")
    assert SmsReplies.make_style().max_chars == 1600
    monkeypatch.setenv("SMS_MAX_CHARS", "lots")
    assert SmsReplies.make_style().max_chars == 1600


def test_sms_numbers_the_options_in_french_for_a_french_conversation() -> None:
    buttons = [{"title": "Passer", "payload": "/deny"}]
    [part] = render("Quelle ville ?", buttons, SMS, "fr")
    assert part.text == 'Quelle ville ?\n\nRépondez 1 pour "Passer"'
    [spanish] = render("Which city?", buttons, SMS, "es")
    assert 'Reply 1 for "Passer"' in spanish.text


def test_buttons_without_text_get_a_french_prompt() -> None:
    [part] = render("", LONG_TITLES, TELEGRAM, "fr")
    assert part.text == "Choisissez :"
