"""With no channel variable set at all, the server starts, every messaging webhook answers 503
with what to set, nothing reaches the dialogue and nothing is sent anywhere.

Runs last (file order), so the fully configured server is started once before it."""

from __future__ import annotations

import requests
from channel_clients import (
    messenger_event,
    new_id,
    new_phone,
    post_messenger,
    post_telegram,
    post_twilio,
    telegram_message,
    twilio_form,
)
from channel_server import stored_sender_ids


def test_the_server_starts_and_every_channel_is_off(bare_rasa, standin) -> None:
    health = {
        channel: requests.get(f"{bare_rasa.url}/webhooks/{channel}/", timeout=10).json()
        for channel in ("twilio", "telegram", "facebook")
    }
    assert health == {
        "twilio": {"sms": "off", "whatsapp": "off", "pending": 0},
        "telegram": {"telegram": "off", "pending": 0},
        "facebook": {"messenger": "off", "pending": 0},
    }


def test_off_webhooks_answer_503_with_what_to_set(bare_rasa, standin) -> None:
    sms = post_twilio(bare_rasa, twilio_form(new_phone(), "hi"))
    whatsapp = post_twilio(bare_rasa, twilio_form(new_phone(), "hi", whatsapp=True))
    telegram = post_telegram(bare_rasa, telegram_message(new_id(), "hi"))
    messenger = post_messenger(bare_rasa, messenger_event(str(new_id()), "hi"))
    verify = requests.get(
        bare_rasa.webhook("facebook"),
        params={"hub.mode": "subscribe", "hub.verify_token": "", "hub.challenge": "1"},
        timeout=10,
    )
    assert [r.status_code for r in (sms, whatsapp, telegram, messenger, verify)] == [503] * 5
    assert "SMS is off" in sms.text and "TWILIO_NUMBER" in sms.text
    assert "TWILIO_WHATSAPP_NUMBER" in whatsapp.text
    assert "TELEGRAM_ACCESS_TOKEN" in telegram.text and "TELEGRAM_SECRET_TOKEN" in telegram.text
    assert "FACEBOOK_PAGE_ACCESS_TOKEN" in messenger.text and "docs/CHANNELS.md" in messenger.text


def test_nothing_reached_the_dialogue_or_the_network(bare_rasa, standin) -> None:
    assert stored_sender_ids(bare_rasa.db) == []
    assert standin.find(lambda call: call.at >= bare_rasa.started_at) == []
