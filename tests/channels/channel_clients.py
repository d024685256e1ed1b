"""What the providers send to the webhooks, built and signed the way they do it."""

from __future__ import annotations

import hmac
import itertools
import json
import time
import uuid
from typing import Any, Dict

import requests
from channel_server import SECRETS, RunningRasa
from twilio.request_validator import RequestValidator

_numbers = itertools.count(1)
SETTLE_TIMEOUT_S = 90.0


def settle(rasa: RunningRasa, channel: str) -> None:
    """Waits until the server has finished answering every delivery it accepted: webhooks
    reply at once and answer in the background (channels/deliveries.py)."""
    deadline = time.monotonic() + SETTLE_TIMEOUT_S
    while time.monotonic() < deadline:
        health = requests.get(f"{rasa.url}/webhooks/{channel}/", timeout=10).json()
        if health.get("pending") == 0:
            return
        time.sleep(0.02)
    raise AssertionError(f"{channel}: deliveries still pending after {SETTLE_TIMEOUT_S} s")


def _settled(rasa: RunningRasa, channel: str, response: requests.Response, wait: bool):
    if wait and response.status_code == 200:
        settle(rasa, channel)
    return response


def new_phone() -> str:
    return f"+1604555{next(_numbers) + int(time.time()) % 1000:04d}"


def new_id() -> int:
    return 700000000 + next(_numbers) * 7 + int(time.time()) % 1000


# --- Twilio: form-encoded, X-Twilio-Signature over the public URL -----------------------------


def twilio_form(sender: str, body: str, whatsapp: bool = False) -> Dict[str, str]:
    to = SECRETS["TWILIO_WHATSAPP_NUMBER" if whatsapp else "TWILIO_NUMBER"]
    prefix = "whatsapp:" if whatsapp else ""
    sid = f"SM{uuid.uuid4().hex}"
    return {
        "ToCountry": "CA",
        "SmsMessageSid": sid,
        "NumMedia": "0",
        "SmsSid": sid,
        "SmsStatus": "received",
        "Body": body,
        "To": prefix + to,
        "NumSegments": "1",
        "MessageSid": sid,
        "AccountSid": SECRETS["TWILIO_ACCOUNT_SID"],
        "From": prefix + sender,
        "ApiVersion": "2010-04-01",
    }


def twilio_signature(form: Dict[str, str], url: str | None = None, token: str | None = None) -> str:
    validator = RequestValidator(token or SECRETS["TWILIO_AUTH_TOKEN"])
    return validator.compute_signature(url or SECRETS["TWILIO_WEBHOOK_URL"], form)


def post_twilio(
    rasa: RunningRasa, form: Dict[str, str], signature: str | None = "valid", wait: bool = True
) -> requests.Response:
    headers = {}
    if signature == "valid":
        headers["X-Twilio-Signature"] = twilio_signature(form)
    elif signature:
        headers["X-Twilio-Signature"] = signature
    response = requests.post(rasa.webhook("twilio"), data=form, headers=headers, timeout=60)
    return _settled(rasa, "twilio", response, wait)


def text_twilio(
    rasa: RunningRasa, sender: str, body: str, whatsapp: bool = False
) -> requests.Response:
    response = post_twilio(rasa, twilio_form(sender, body, whatsapp))
    assert response.status_code == 200, response.text
    return response


# --- Telegram: update JSON, X-Telegram-Bot-Api-Secret-Token ------------------------------------


def telegram_user(chat_id: int) -> Dict[str, Any]:
    return {"id": chat_id, "is_bot": False, "first_name": "Test", "language_code": "en"}


def telegram_message(chat_id: int, text: str, chat_type: str = "private") -> Dict[str, Any]:
    return {
        "update_id": next(_numbers),
        "message": {
            "message_id": next(_numbers),
            "from": telegram_user(chat_id),
            "chat": {"id": chat_id, "first_name": "Test", "type": chat_type},
            "date": int(time.time()),
            "text": text,
        },
    }


def telegram_button(chat_id: int, data: str) -> Dict[str, Any]:
    return {
        "update_id": next(_numbers),
        "callback_query": {
            "id": str(next(_numbers)),
            "from": telegram_user(chat_id),
            "message": {
                "message_id": next(_numbers),
                "from": {"id": 123456789, "is_bot": True, "first_name": "Test"},
                "chat": {"id": chat_id, "first_name": "Test", "type": "private"},
                "date": int(time.time()),
                "text": "(the assistant's earlier answer)",
            },
            "chat_instance": "1",
            "data": data,
        },
    }


def post_telegram(
    rasa: RunningRasa, update: Dict[str, Any], secret: str | None = "valid", wait: bool = True
) -> requests.Response:
    headers = {}
    if secret == "valid":
        headers["X-Telegram-Bot-Api-Secret-Token"] = SECRETS["TELEGRAM_SECRET_TOKEN"]
    elif secret:
        headers["X-Telegram-Bot-Api-Secret-Token"] = secret
    response = requests.post(rasa.webhook("telegram"), json=update, headers=headers, timeout=60)
    return _settled(rasa, "telegram", response, wait)


# --- Messenger: page event JSON, X-Hub-Signature-256 -------------------------------------------


def messenger_event(
    psid: str, text: str = "", quick_reply: str = "", attachment: bool = False
) -> Dict[str, Any]:
    message: Dict[str, Any] = {"mid": f"m_{next(_numbers)}"}
    if attachment:
        message["attachments"] = [
            {"type": "image", "payload": {"url": "https://example.org/a.jpg"}}
        ]
    else:
        message["text"] = text
    if quick_reply:
        message["quick_reply"] = {"payload": quick_reply}
    return {
        "object": "page",
        "entry": [
            {
                "id": "1000",
                "time": int(time.time() * 1000),
                "messaging": [
                    {
                        "sender": {"id": psid},
                        "recipient": {"id": "1000"},
                        "timestamp": int(time.time() * 1000),
                        "message": message,
                    }
                ],
            }
        ],
    }


def hub_signature(body: bytes, secret: str | None = None, algorithm: str = "sha256") -> str:
    key = (secret or SECRETS["FACEBOOK_SECRET"]).encode()
    return f"{algorithm}=" + hmac.new(key, body, algorithm).hexdigest()


def post_messenger(
    rasa: RunningRasa, event: Dict[str, Any], signature: str | None = "valid", wait: bool = True
) -> requests.Response:
    body = json.dumps(event).encode()
    headers = {"Content-Type": "application/json"}
    if signature == "valid":
        headers["X-Hub-Signature-256"] = hub_signature(body)
    elif signature:
        headers["X-Hub-Signature-256"] = signature
    response = requests.post(rasa.webhook("facebook"), data=body, headers=headers, timeout=60)
    return _settled(rasa, "facebook", response, wait)
