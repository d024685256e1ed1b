"""Telegram end to end: update JSON with the secret-token header into the real Rasa server,
replies captured by the stand-in for the Bot API. TELEGRAM_MAX_CHARS is 300 here."""

from __future__ import annotations

import json

from channel_clients import new_id, post_telegram, telegram_button, telegram_message
from channel_expected import MARKUP, buttons, phone, response, squash
from channel_server import SECRETS, stored_sender_ids, user_texts
from provider_standin import reply_markup

from channels.identity import conversation_id

GREET = "utter_greet"
WHAT_IS = "utter_faq/what_is_human_trafficking"


def conversation(chat_id: int) -> str:
    return conversation_id("telegram", str(chat_id), SECRETS["CHANNEL_PSEUDONYM_KEY"])


def send(rasa, update) -> None:
    response = post_telegram(rasa, update)
    assert response.status_code == 200, response.text


def keyboard(params) -> list:
    markup = reply_markup(params) or {}
    return [(row[0]["text"], row[0]["callback_data"]) for row in markup.get("inline_keyboard", [])]


def test_start_up_registers_the_webhook_in_the_background(rasa, standin) -> None:
    [call] = rasa.facts["set_webhook_calls"]
    assert call.params["url"] == SECRETS["TELEGRAM_WEBHOOK_URL"]
    assert call.params["secret_token"] == SECRETS["TELEGRAM_SECRET_TOKEN"]
    assert json.loads(call.params["allowed_updates"]) == ["message", "callback_query"]
    assert call.auth == SECRETS["TELEGRAM_ACCESS_TOKEN"]
    assert rasa.facts["served_while_set_webhook_pending"], "start-up must not wait for Telegram"
    assert standin.wait_for(lambda c: c.method == "getMe" and c.at >= rasa.started_at)


def test_start_gives_the_greeting_with_inline_buttons(rasa, standin) -> None:
    chat = new_id()
    send(rasa, telegram_message(chat, "/start"))
    sent = standin.telegram_to(chat)
    assert squash(response(GREET)["text"]) == squash(" ".join(s["text"] for s in sent))
    assert all(keyboard(s) == [] for s in sent[:-1])
    assert keyboard(sent[-1]) == [(b["title"], b["payload"]) for b in buttons(GREET)]
    assert not any("Reply 1" in s["text"] for s in sent)
    assert user_texts(rasa.db, conversation(chat)) == ["/greet"]


def test_a_button_press_sends_its_payload_and_a_long_answer_is_split(rasa, standin) -> None:
    chat = new_id()
    send(rasa, telegram_message(chat, "/start"))
    greeting = len(standin.telegram_to(chat))
    payload = buttons(GREET)[0]["payload"]
    update = telegram_button(chat, payload)
    send(rasa, update)
    acknowledged = standin.telegram_calls("answerCallbackQuery")
    assert update["callback_query"]["id"] in [c.params["callback_query_id"] for c in acknowledged]
    assert user_texts(rasa.db, conversation(chat))[-1] == payload

    parts = standin.telegram_to(chat)[greeting:]
    assert len(parts) > 1 and all(len(p["text"]) <= 300 for p in parts)
    assert squash(" ".join(p["text"] for p in parts)) == squash(response(WHAT_IS)["text"])
    assert all(keyboard(p) == [] for p in parts[:-1])
    assert keyboard(parts[-1]) == [(b["title"], b["payload"]) for b in buttons(WHAT_IS)]
    assert not any(MARKUP.search(p["text"]) for p in parts)


def test_typed_number_or_words_pick_the_latest_options(rasa, standin) -> None:
    chat = new_id()
    send(rasa, telegram_message(chat, "/start"))
    send(rasa, telegram_message(chat, "2"))
    assert user_texts(rasa.db, conversation(chat))[-1] == buttons(GREET)[1]["payload"]
    send(rasa, telegram_message(chat, "/start"))
    send(rasa, telegram_message(chat, buttons(GREET)[2]["title"].upper()))
    assert user_texts(rasa.db, conversation(chat))[-1] == buttons(GREET)[2]["payload"]


def test_help_command_and_messages_the_dialogue_cannot_take(rasa, standin) -> None:
    chat = new_id()
    send(rasa, telegram_message(chat, "/help"))
    photo = telegram_message(chat, "")
    del photo["message"]["text"]
    photo["message"]["photo"] = [{"file_id": "x", "file_unique_id": "x", "width": 1, "height": 1}]
    send(rasa, photo)
    send(rasa, telegram_message(chat, "word " * 120))
    help_text, unsupported, too_long = [p["text"] for p in standin.telegram_to(chat)]
    assert phone("canadian_human_trafficking_hotline") in help_text and "STOP" not in help_text
    assert "only read text" in unsupported
    assert "shorter message" in too_long
    assert user_texts(rasa.db, conversation(chat)) == []


def test_group_chats_get_no_answer(rasa, standin) -> None:
    chat = -new_id()
    send(rasa, telegram_message(chat, "hi", chat_type="group"))
    assert standin.telegram_to(chat) == []
    assert conversation(chat) not in stored_sender_ids(rasa.db)


def test_wrong_or_missing_secret_gets_403(rasa, standin) -> None:
    chat = new_id()
    update = telegram_message(chat, "hi")
    assert post_telegram(rasa, update, secret=None).status_code == 403
    assert post_telegram(rasa, update, secret="guess").status_code == 403
    assert standin.telegram_to(chat) == []
    assert conversation(chat) not in stored_sender_ids(rasa.db)
