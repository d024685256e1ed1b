"""SMS and WhatsApp through Twilio: one webhook, /webhooks/twilio/webhook, for both.

Registered in credentials.yml as `channels.twilio.TwilioChannel:` with no settings: everything is
read from the environment (see docs/CHANNELS.md). A message from "whatsapp:+1..." is WhatsApp,
anything else is SMS; each is on only when its number and the account's SID and token are set.
"""

from __future__ import annotations

import logging
from typing import Any, Dict

from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.twilio import TwilioInput, TwilioOutput
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse
from twilio.http.async_http_client import AsyncTwilioHttpClient

from channels import deliveries
from channels.inbound import Incoming, OnNewMessage, Route, handle_incoming
from channels.keywords import carrier_keyword
from channels.replies import FormattedReplies, Part, Style
from channels.settings import (
    SEND_TIMEOUT_S,
    TWILIO_API,
    ChannelConfig,
    api_base,
    max_chars,
    sms_config,
    whatsapp_config,
)
from channels.signatures import twilio_signature_valid

WHATSAPP = "whatsapp:"
# Twilio accepts up to 1600 characters per message and splits SMS into segments itself.
TWILIO_MAX_CHARS = 1600
# Twilio's HTTP client logs every request and its headers at INFO; keep that out of the server log.
HTTP_LOG = logging.getLogger(f"{__name__}.http")
HTTP_LOG.setLevel(logging.WARNING)
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


def whatsapp_address(number: str) -> str:
    return number if number.startswith(WHATSAPP) else f"{WHATSAPP}{number}"


class SmsReplies(FormattedReplies, TwilioOutput):
    """Sends plain-text SMS through Twilio's Messages API, without blocking the server."""

    def __init__(self, config: ChannelConfig, address: str, from_number: str) -> None:
        TwilioOutput.__init__(
            self, config.get("TWILIO_ACCOUNT_SID"), config.get("TWILIO_AUTH_TOKEN"), from_number
        )
        self.http_client = AsyncTwilioHttpClient(timeout=SEND_TIMEOUT_S, logger=HTTP_LOG)
        self.api.base_url = api_base(TWILIO_API)
        self.address = address
        self.style = self.make_style()

    @staticmethod
    def make_style() -> Style:
        return Style(max_chars("SMS_MAX_CHARS", TWILIO_MAX_CHARS), number_parts=True, gsm=True)

    async def deliver(self, part: Part) -> None:
        await self.messages.create_async(to=self.address, from_=self.twilio_number, body=part.text)

    async def close(self) -> None:
        await self.http_client.close()


class WhatsAppReplies(SmsReplies):
    @classmethod
    def name(cls) -> str:
        return "whatsapp"

    @staticmethod
    def make_style() -> Style:
        return Style(max_chars("WHATSAPP_MAX_CHARS", TWILIO_MAX_CHARS), number_parts=True)


class TwilioChannel(TwilioInput):
    """Rasa's Twilio connector with signature checks, carrier keywords and SMS-friendly answers."""

    @classmethod
    def name(cls) -> str:
        return "twilio"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls(sms_config(), whatsapp_config())

    def __init__(self, sms: ChannelConfig, whatsapp: ChannelConfig) -> None:
        super().__init__(
            sms.get("TWILIO_ACCOUNT_SID"),
            sms.get("TWILIO_AUTH_TOKEN"),
            sms.get("TWILIO_NUMBER"),
            debug_mode=False,
        )
        self.sms = sms
        self.whatsapp = whatsapp
        for config in (sms, whatsapp):
            config.log_status()

    def get_output_channel(self) -> OutputChannel | None:
        # Conversation ids are pseudonyms, so there is no number to send unprompted messages to.
        return None

    def _route(self, whatsapp: bool) -> Route:
        return Route(
            input_channel="whatsapp" if whatsapp else "twilio",
            id_prefix="whatsapp" if whatsapp else "sms",
            keyword=carrier_keyword,
            confirm_stop=whatsapp,
            stop_hint=True,
            privacy_note="whatsapp" if whatsapp else "sms",
        )

    def _replies(self, whatsapp: bool, address: str) -> SmsReplies:
        if whatsapp:
            number = whatsapp_address(self.whatsapp.get("TWILIO_WHATSAPP_NUMBER"))
            return WhatsAppReplies(self.whatsapp, address, number)
        return SmsReplies(self.sms, address, self.sms.get("TWILIO_NUMBER"))

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("twilio_channel", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {
                    "sms": _state(self.sms.on),
                    "whatsapp": _state(self.whatsapp.on),
                    "pending": deliveries.pending(),
                }
            )

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            form = {key: request.form.get(key) for key in request.form}
            sender = form.get("From") or ""
            whatsapp = sender.startswith(WHATSAPP)
            config = self.whatsapp if whatsapp else self.sms
            if not config.on:
                return response.text(config.off_message(), status=503)
            url = config.get("TWILIO_WEBHOOK_URL") or request.url
            signature = request.headers.get("X-Twilio-Signature")
            if not twilio_signature_valid(self.auth_token or "", url, form, signature):
                return response.text("Invalid Twilio signature.", status=403)
            if not sender:
                return response.text("No sender.", status=400)
            if not deliveries.first_delivery("twilio", form.get("MessageSid")):
                return response.text(EMPTY_TWIML, content_type="text/xml")
            text = (form.get("Body") or "").replace("¡", "@")  # some carriers corrupt @
            deliveries.answer_later(
                "whatsapp" if whatsapp else "sms",
                handle_incoming(
                    request,
                    self._route(whatsapp),
                    Incoming(address=sender, text=text),
                    self._replies(whatsapp, sender),
                    on_new_message,
                ),
            )
            return response.text(EMPTY_TWIML, content_type="text/xml")

        return webhook


def _state(on: bool) -> str:
    return "on" if on else "off"
