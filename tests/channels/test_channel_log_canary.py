"""No message text in any log, from any channel, in any form; webhooks answer once and at once.

A unique marker goes through every channel the server has (REST, socket.io, SMS, WhatsApp,
Telegram, Messenger) in every form a message can take: plain text, "/" + text, "/faq/<marker>",
"/intent{json}" with the marker as key and as value, button payloads, oversize text, malformed
bodies. The server logs at INFO (more than production's WARNING), to its output and to a
--log-file; then neither those nor var/log/ may contain the marker.
"""

from __future__ import annotations

import json
import time
import uuid
from pathlib import Path
from typing import Callable, List

import requests
from channel_clients import (
    hub_signature,
    messenger_event,
    new_id,
    new_phone,
    post_messenger,
    post_telegram,
    post_twilio,
    settle,
    telegram_button,
    telegram_message,
    twilio_form,
)
from channel_server import REPO, SECRETS, RunningRasa
from hardening.chat import socketio_say


def forms(marker: str) -> List[str]:
    return [
        f"what is trafficking {marker}",
        f"my boss keeps my passport {marker}",
        f"/ {marker} my pimp has my passport",
        f"/{marker}",
        f"/faq/{marker}",
        f"/faq/what_is_human_trafficking{{{marker}",
        f'/greet{{"{marker}": 1}}',
        f'/inform_location{{"location": "{marker}"}}',
        f'/inform_location{{"location": ["{marker}"]}}',
        f"/greet@{marker}",
        f"/start {marker}",
        f"{marker} " * 400,
    ]


def read(path: Path) -> str:
    try:
        return path.read_text(errors="replace")
    except OSError:
        return ""


def logs_of(rasa: RunningRasa) -> dict:
    found = {"Rasa output": read(rasa.log), "Rasa --log-file": read(rasa.log_file)}
    for path in (REPO / "var" / "log").glob("*"):
        if path.is_file():
            found[str(path.relative_to(REPO))] = read(path)
    return found


def each_channel(marker: str, rasa: RunningRasa) -> List[Callable[[str], object]]:
    def rest(text: str) -> object:
        body = {"sender": f"canary-{uuid.uuid4().hex}", "message": text}
        return requests.post(f"{rasa.url}/webhooks/rest/webhook", json=body, timeout=60)

    def socket(text: str) -> object:
        return socketio_say(rasa.url, text)

    def sms(text: str) -> object:
        return post_twilio(rasa, twilio_form(new_phone(), text))

    def whatsapp(text: str) -> object:
        return post_twilio(rasa, twilio_form(new_phone(), text, whatsapp=True))

    def telegram(text: str) -> object:
        return post_telegram(rasa, telegram_message(new_id(), text))

    def messenger(text: str) -> object:
        return post_messenger(rasa, messenger_event(str(new_id()), text))

    return [rest, socket, sms, whatsapp, telegram, messenger]


def malformed(marker: str, rasa: RunningRasa) -> None:
    """Bodies no parser accepts, buttons carrying the marker, signatures that fail."""
    rest = f"{rasa.url}/webhooks/rest/webhook"
    for body in (
        f'{{"sender": "x", "message": "{marker}"',
        f'{{"sender": "{marker}\\u0000", "message": 5}}',
        f'["{marker}"]',
        f'{{"sender": "x", "message": "{marker}", "metadata": "{marker}"}}',
    ):
        requests.post(rest, data=body.encode(), timeout=60)
    chat = new_id()
    post_telegram(rasa, telegram_button(chat, f"/faq/{marker}"))
    post_telegram(rasa, telegram_button(chat, f'/greet{{"{marker}": "x"}}'))
    post_telegram(rasa, {"update_id": marker, "message": {"text": marker}})
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRETS["TELEGRAM_SECRET_TOKEN"]}
    requests.post(rasa.webhook("telegram"), data=f"{{{marker}", headers=headers, timeout=60)
    psid = str(new_id())
    post_messenger(rasa, messenger_event(psid, "x", quick_reply=f"/faq/{marker}"))
    postback = messenger_event(psid, "x")
    event = postback["entry"][0]["messaging"][0]
    event["postback"] = {"payload": f'/inform_location{{"location": "{marker}"}}'}
    del event["message"]
    post_messenger(rasa, postback)
    broken = f'{{"object": "page", "entry": [{{"messaging": "{marker}"'.encode()
    requests.post(
        rasa.webhook("facebook"),
        data=broken,
        headers={"X-Hub-Signature-256": hub_signature(broken)},
        timeout=60,
    )
    requests.post(
        rasa.webhook("facebook"),
        data=broken,
        headers={"X-Hub-Signature-256": f"sha256={marker}é".encode()},
        timeout=60,
    )
    form = twilio_form(new_phone(), marker)
    post_twilio(rasa, form, signature=f"{marker}é".encode().decode("latin-1"))
    for channel in ("twilio", "telegram", "facebook"):
        settle(rasa, channel)


def test_no_channel_and_no_form_puts_message_text_in_a_log(rasa, standin) -> None:
    marker = f"zqcanary{uuid.uuid4().hex}"
    sent = 0
    for channel in each_channel(marker, rasa):
        for text in forms(marker):
            channel(text)
            sent += 1
    malformed(marker, rasa)
    for channel in ("twilio", "telegram", "facebook"):
        settle(rasa, channel)
    assert sent == 6 * len(forms(marker))
    logs = logs_of(rasa)
    assert logs["Rasa output"], "the server's output was not captured"
    leaks = {name: text.count(marker) for name, text in logs.items() if marker in text}
    assert not leaks, f"message text found in: {leaks}"
    assert rasa.alive()


def test_a_replayed_delivery_is_answered_once(rasa, standin) -> None:
    number = new_phone()
    form = twilio_form(number, "hi")
    for _ in range(3):
        assert post_twilio(rasa, form).status_code == 200
    first = standin.sms_to(number)
    assert first, "the first delivery was answered"

    chat = new_id()
    update = telegram_message(chat, "hi")
    for _ in range(3):
        assert post_telegram(rasa, update).status_code == 200
    once = standin.telegram_to(chat)

    psid = str(new_id())
    event = messenger_event(psid, "hi")
    for _ in range(3):
        assert post_messenger(rasa, event).status_code == 200
    assert len(standin.sms_to(number)) == len(first)
    assert once and len(standin.telegram_to(chat)) == len(once)
    fresh = str(new_id())
    post_messenger(rasa, messenger_event(fresh, "hi"))
    assert standin.messenger_to(psid) and len(standin.messenger_to(psid)) == len(
        standin.messenger_to(fresh)
    )


def test_the_webhook_answers_before_the_dialogue_and_sends_finish(rasa, standin) -> None:
    number = new_phone()
    standin.send_delay_s = 3.0
    try:
        started = time.monotonic()
        response = post_twilio(rasa, twilio_form(number, "hi"), wait=False)
        answered_in = time.monotonic() - started
        busy = requests.get(f"{rasa.url}/webhooks/twilio/", timeout=10).json()["pending"]
        assert response.status_code == 200
        assert answered_in < 1.5, f"the webhook took {answered_in:.1f} s"
        assert busy >= 1 and standin.sms_to(number) == []
        settle(rasa, "twilio")
    finally:
        standin.send_delay_s = 0.0
    assert standin.sms_to(number), "the answer was sent afterwards"


def test_the_website_rate_limit_answers_with_help_not_silence(rasa) -> None:
    sender = f"fast-{uuid.uuid4().hex}"
    url = f"{rasa.url}/webhooks/rest/webhook"
    replies = [
        requests.post(url, json={"sender": sender, "message": "hi"}, timeout=60).json()
        for _ in range(17)
    ]
    slow_down = [r for r in replies if "very fast" in json.dumps(r)]
    assert len(slow_down) >= 1
    assert all("911" in r[0]["text"] for r in slow_down)
    other = requests.post(url, json={"sender": f"calm-{uuid.uuid4().hex}", "message": "hi"})
    assert "very fast" not in other.text
