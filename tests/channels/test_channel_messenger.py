"""Messenger end to end: signed page events into the real Rasa server, replies captured by the
stand-in for the Send API. MESSENGER_MAX_CHARS is 300 here."""

from __future__ import annotations

import json

import requests
from channel_clients import hub_signature, messenger_event, new_id, post_messenger
from channel_expected import MARKUP, buttons, response, squash
from channel_server import SECRETS, stored_sender_ids, user_texts

from channels.identity import conversation_id

GREET = "utter_greet"
WHAT_IS = "utter_faq/what_is_human_trafficking"


def conversation(psid: str) -> str:
    return conversation_id("messenger", psid, SECRETS["CHANNEL_PSEUDONYM_KEY"])


def send(rasa, event) -> None:
    response = post_messenger(rasa, event)
    assert response.status_code == 200, response.text


def test_webhook_verification(rasa) -> None:
    def verify(token: str) -> requests.Response:
        params = {"hub.mode": "subscribe", "hub.verify_token": token, "hub.challenge": "1158201444"}
        return requests.get(rasa.webhook("facebook"), params=params, timeout=10)

    good = verify(SECRETS["FACEBOOK_VERIFY"])
    assert (good.status_code, good.text) == (200, "1158201444")
    assert verify("guess").status_code == 403


def test_greeting_gets_quick_replies_within_messenger_limits(rasa, standin) -> None:
    psid = str(new_id())
    send(rasa, messenger_event(psid, "hi"))
    messages = standin.messenger_to(psid)
    assert all("quick_replies" not in m for m in messages[:-1])
    quick = messages[-1]["quick_replies"]
    assert [q["payload"] for q in quick] == [b["payload"] for b in buttons(GREET)]
    assert all(len(q["title"]) <= 20 and q["content_type"] == "text" for q in quick)
    text = "\n".join(m["text"] for m in messages)
    assert all(len(m["text"]) <= 300 for m in messages)
    assert squash(response(GREET)["text"]) in squash(text)
    if any(len(b["title"]) > 20 for b in buttons(GREET)):  # titles cut: the text numbers them
        for n, button in enumerate(buttons(GREET), start=1):
            assert f'Reply {n} for "{button["title"]}"' in text
            assert quick[n - 1]["title"].startswith(f"{n}. ")
    assert not MARKUP.search(text)
    assert (
        standin.find(lambda c: c.service == "messenger")[-1].auth
        == SECRETS["FACEBOOK_PAGE_ACCESS_TOKEN"]
    )


def test_quick_reply_sends_its_payload_and_a_long_answer_is_split(rasa, standin) -> None:
    psid = str(new_id())
    send(rasa, messenger_event(psid, "hi"))
    greeting = len(standin.messenger_to(psid))
    payload = buttons(GREET)[0]["payload"]
    send(rasa, messenger_event(psid, buttons(GREET)[0]["title"], quick_reply=payload))
    assert user_texts(rasa.db, conversation(psid))[-1] == payload
    parts = standin.messenger_to(psid)[greeting:]
    assert len(parts) > 1 and all(len(p["text"]) <= 300 for p in parts)
    assert all("quick_replies" not in p for p in parts[:-1])
    assert [q["payload"] for q in parts[-1]["quick_replies"]] == [
        b["payload"] for b in buttons(WHAT_IS)
    ]
    assert squash(response(WHAT_IS)["text"]) in squash(" ".join(p["text"] for p in parts))


def test_typed_number_picks_the_latest_option(rasa, standin) -> None:
    psid = str(new_id())
    send(rasa, messenger_event(psid, "hi"))
    send(rasa, messenger_event(psid, "3"))
    assert user_texts(rasa.db, conversation(psid))[-1] == buttons(GREET)[2]["payload"]


def test_attachments_get_a_text_only_reply(rasa, standin) -> None:
    psid = str(new_id())
    send(rasa, messenger_event(psid, attachment=True))
    [message] = standin.messenger_to(psid)
    assert "only read text" in message["text"]
    assert conversation(psid) not in stored_sender_ids(rasa.db)


def test_bad_signatures_get_403_and_sha1_is_refused(rasa, standin) -> None:
    psid = str(new_id())
    event = messenger_event(psid, "hi")
    body = json.dumps(event).encode()
    url = rasa.webhook("facebook")
    headers = {"Content-Type": "application/json"}

    def post(extra) -> int:
        return requests.post(url, data=body, headers={**headers, **extra}, timeout=60).status_code

    assert post({}) == 403
    assert post({"X-Hub-Signature-256": hub_signature(body, secret="guess")}) == 403
    assert post({"X-Hub-Signature-256": hub_signature(body + b" ")}) == 403
    assert post({"X-Hub-Signature-256": hub_signature(body, algorithm="sha1")}) == 403
    assert post({"X-Hub-Signature": hub_signature(body, algorithm="sha1")}) == 403
    signed = hub_signature(body)
    non_ascii = signed[:-1] + "é"
    assert post({"X-Hub-Signature-256": non_ascii.encode("utf-8")}) == 403
    assert post({"X-Hub-Signature-256": non_ascii.encode("latin-1")}) == 403
    assert post({"X-Hub-Signature-256": "sha256=" + "ü" * 64}) == 403
    assert standin.messenger_to(psid) == []
    assert conversation(psid) not in stored_sender_ids(rasa.db)
    assert post_messenger(rasa, event).status_code == 200
    assert standin.messenger_to(psid)
