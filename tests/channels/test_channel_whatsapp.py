"""WhatsApp end to end through the same Twilio webhook: 'whatsapp:' addresses, its own privacy
note, and a STOP confirmation (no carrier sends one on WhatsApp)."""

from __future__ import annotations

from channel_clients import new_phone, post_twilio, text_twilio, twilio_form, twilio_signature
from channel_expected import MARKUP, buttons, response, squash, without_part_marks
from channel_server import SECRETS, stored_sender_ids, user_texts

from channels.identity import conversation_id
from channels.messages import PRIVACY_NOTE

GREET = "utter_greet"


def conversation(number: str) -> str:
    return conversation_id("whatsapp", f"whatsapp:{number}", SECRETS["CHANNEL_PSEUDONYM_KEY"])


def test_whatsapp_answers_from_the_whatsapp_number_with_numbered_options(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "hi", whatsapp=True)
    sent = standin.sms_to(f"whatsapp:{number}")
    assert sent and all(s["From"] == f"whatsapp:{SECRETS['TWILIO_WHATSAPP_NUMBER']}" for s in sent)
    texts = [s["Body"] for s in sent]
    assert texts[-1] == PRIVACY_NOTE["whatsapp"]
    answer = without_part_marks(texts[:-1])
    assert squash(response(GREET)["text"].splitlines()[0]) in squash(answer)
    for n, button in enumerate(buttons(GREET), start=1):
        assert f'Reply {n} for "{button["title"]}"' in answer
    assert not any(MARKUP.search(text) for text in texts)
    assert standin.sms_to(number) == [], "nothing goes out as SMS"

    text_twilio(rasa, number, "2", whatsapp=True)
    assert user_texts(rasa.db, conversation(number))[-1] == buttons(GREET)[1]["payload"]
    later = [s["Body"] for s in standin.sms_to(f"whatsapp:{number}")][len(texts) :]
    assert later and PRIVACY_NOTE["whatsapp"] not in later


def test_whatsapp_stop_is_confirmed_once_and_reaches_no_dialogue(rasa, standin) -> None:
    number = new_phone()
    text_twilio(rasa, number, "stop", whatsapp=True)
    [sent] = standin.sms_to(f"whatsapp:{number}")
    assert "You will not get any more messages" in sent["Body"]
    assert conversation(number) not in stored_sender_ids(rasa.db)


def test_whatsapp_bad_signature_gets_403(rasa, standin) -> None:
    number = new_phone()
    form = twilio_form(number, "hi", whatsapp=True)
    bad = twilio_signature(form, token="not-the-token")
    assert post_twilio(rasa, form, signature=bad).status_code == 403
    assert standin.sms_to(f"whatsapp:{number}") == []
