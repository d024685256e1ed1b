"""SMS end to end: signed Twilio webhooks into the real Rasa server, replies captured by the
stand-in for Twilio's Messages API. SMS_MAX_CHARS is 300 here so real answers get split."""

from __future__ import annotations

from typing import List

from channel_clients import new_phone, post_twilio, text_twilio, twilio_form, twilio_signature
from channel_expected import (
    GSM7,
    MARKUP,
    PART_MARK,
    buttons,
    phone,
    response,
    squash,
    without_part_marks,
)
from channel_server import SECRETS, RunningRasa, stored_sender_ids, user_texts
from provider_standin import ProviderStandIn

from channels.identity import conversation_id
from channels.messages import PRIVACY_NOTE
from channels.options import numbered_options
from channels.plain_text import to_gsm

LIMIT = 300
GREET = "utter_greet"
WHAT_IS = "utter_faq/what_is_human_trafficking"


def conversation(number: str) -> str:
    return conversation_id("sms", number, SECRETS["CHANNEL_PSEUDONYM_KEY"])


def bodies(standin: ProviderStandIn, number: str) -> List[str]:
    return [sent["Body"] for sent in standin.sms_to(number)]


def test_greeting_has_numbered_options_then_the_privacy_note(rasa: RunningRasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi")
    sent = standin.sms_to(number)
    assert sent and all(s["From"] == SECRETS["TWILIO_NUMBER"] for s in sent)
    texts = [s["Body"] for s in sent]
    assert texts[-1] == PRIVACY_NOTE["sms"]
    assert "messages" in texts[-1] and "delete" in texts[-1]
    answer = without_part_marks(texts[:-1])
    assert squash(answer).startswith(squash(to_gsm(response(GREET)["text"].splitlines()[0])))
    for n, button in enumerate(buttons(GREET), start=1):
        assert f'Reply {n} for "{button["title"]}"' in answer
    assert user_texts(rasa.db, conversation(number)) == ["hi"]


def test_reply_1_picks_the_first_option_and_a_long_answer_is_split(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi")
    before = len(bodies(standin, number))
    text_twilio(rasa, number, "1")
    assert user_texts(rasa.db, conversation(number))[-1] == buttons(GREET)[0]["payload"]

    parts = bodies(standin, number)[before:]
    expected = to_gsm(response(WHAT_IS)["text"]) + "\n\n" + numbered_options(buttons(WHAT_IS))
    assert len(expected) > LIMIT, "the test needs an answer longer than the limit"
    assert len(parts) > 1 and all(len(part) <= LIMIT for part in parts)
    marks = [PART_MARK.search(part).groups() for part in parts]
    assert marks == [(str(n), str(len(parts))) for n in range(1, len(parts) + 1)]
    assert all(PART_MARK.sub("", part)[-1] in '.?!:"' for part in parts), "cut at sentence ends"
    assert squash(without_part_marks(parts)) == squash(expected)
    assert PRIVACY_NOTE["sms"] not in parts, "the privacy note comes with the first answer only"


def test_the_option_words_pick_it(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi")
    second = buttons(GREET)[1]
    text_twilio(rasa, number, second["title"].lower().rstrip("?"))
    assert user_texts(rasa.db, conversation(number))[-1] == second["payload"]


def test_sms_is_plain_gsm_text_and_the_store_has_no_phone_number(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi")
    text_twilio(rasa, number, "3")  # "Where can I get help?": services listed with bullets
    texts = bodies(standin, number)
    assert len(texts) >= 3
    for text in texts:
        assert not MARKUP.search(text), text
        assert set(text) <= GSM7, set(text) - GSM7
    assert number[-10:].encode() not in rasa.db.read_bytes()
    assert conversation(number) in stored_sender_ids(rasa.db)


def test_stop_words_reach_neither_the_dialogue_nor_the_person(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi")
    sent, said = len(bodies(standin, number)), user_texts(rasa.db, conversation(number))
    for word in ("STOP", "stop", "Unsubscribe", "CANCEL", "end", "QUIT"):
        text_twilio(rasa, number, word)
    assert len(bodies(standin, number)) == sent
    assert user_texts(rasa.db, conversation(number)) == said

    newcomer = new_phone()
    text_twilio(rasa, newcomer, "STOP")
    assert bodies(standin, newcomer) == []
    assert conversation(newcomer) not in stored_sender_ids(rasa.db)


def test_help_answers_with_911_and_the_hotline_without_the_dialogue(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "HELP")
    text = without_part_marks(bodies(standin, number))
    assert text.startswith(f"In danger right now? Call {phone('emergency_911')}.")
    assert phone("canadian_human_trafficking_hotline") in text
    assert "automated assistant" in text and "STOP" in text
    assert user_texts(rasa.db, conversation(number)) == []


def test_start_starts_over_with_the_greeting(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "START")
    assert user_texts(rasa.db, conversation(number)) == ["/greet"]
    assert 'Reply 1 for "' in without_part_marks(bodies(standin, number))


def test_too_long_messages_get_a_friendly_reply(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "I need to explain something. " * 20)  # 580 > MAX_MESSAGE_CHARS=500
    [text] = bodies(standin, number)
    assert "shorter message" in text and f"Call {phone('emergency_911')}" in text
    assert user_texts(rasa.db, conversation(number)) == []


def test_bad_signatures_get_403_and_reach_nothing(rasa, standin) -> None:
    number = new_phone()
    form = twilio_form(number, "hi")
    signed = twilio_signature(form)
    local_url = rasa.webhook("twilio")  # what the server sees; Twilio signs the public URL
    attempts = {
        "missing": post_twilio(rasa, form, signature=None),
        "garbage": post_twilio(rasa, form, signature="bm90IGEgc2lnbmF0dXJl"),
        "wrong token": post_twilio(rasa, form, signature=twilio_signature(form, token="guess")),
        "wrong url": post_twilio(rasa, form, signature=twilio_signature(form, url=local_url)),
        "tampered": post_twilio(rasa, {**form, "Body": "changed"}, signature=signed),
    }
    assert {name: r.status_code for name, r in attempts.items()} == dict.fromkeys(attempts, 403)
    assert bodies(standin, number) == []
    assert conversation(number) not in stored_sender_ids(rasa.db)
    assert post_twilio(rasa, form, signature=signed).status_code == 200  # the same, signed right
