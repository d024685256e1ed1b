"""Facebook Messenger: webhook /webhooks/facebook/webhook, answers with quick replies.

Registered in credentials.yml as `channels.messenger.MessengerChannel:`; settings come from the
environment. Quick replies (up to 13, titles up to 20 characters) are used rather than the button
template (3 buttons, 640 characters of text). When a title is too long to show in full, the
options are also numbered in the text and the quick replies carry the numbers.
"""

from __future__ import annotations

import asyncio
import json
import logging
from functools import partial
from typing import Any, Dict, Iterator, List, Tuple

from fbmessenger import MessengerClient
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.facebook import FacebookInput, MessengerBot
from sanic import Blueprint, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import deliveries
from channels.enabled import (
    FACEBOOK_API,
    SEND_TIMEOUT_S,
    ChannelConfig,
    api_base,
    max_chars,
    messenger_config,
)
from channels.inbound import Incoming, OnNewMessage, Route, handle_incoming
from channels.replies import FormattedReplies, Part, Style
from channels.signatures import hub_signature_valid, same_secret

logger = logging.getLogger(__name__)

MESSENGER_MAX_CHARS = 2000
MAX_QUICK_REPLIES = 13
QUICK_REPLY_TITLE = 20


def messenger_events(payload: Dict[str, Any]) -> Iterator[Tuple[str, Incoming]]:
    """The messages to answer in a webhook call, each with its message id (`mid`; empty if
    the event has none). Echoes, reads and deliveries need no answer."""
    for entry in _objects(payload.get("entry")):
        for event in _objects(entry.get("messaging")):
            sender = str(_object(event.get("sender")).get("id") or "")
            message = _object(event.get("message"))
            postback = _object(event.get("postback"))
            if not sender:
                continue
            if message and not message.get("is_echo"):
                mid = str(message.get("mid") or "")
                quick_reply = _object(message.get("quick_reply")).get("payload")
                if isinstance(quick_reply, str) and quick_reply:
                    yield mid, Incoming(sender, quick_reply, from_button=True)
                else:
                    text = message.get("text")
                    yield mid, Incoming(sender, text if isinstance(text, str) else None)
            elif isinstance(postback.get("payload"), str) and postback["payload"]:
                mid = str(postback.get("mid") or "")
                yield mid, Incoming(sender, postback["payload"], from_button=True)


def _object(value: Any) -> Dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _objects(value: Any) -> List[Dict[str, Any]]:
    return [item for item in value if isinstance(item, dict)] if isinstance(value, list) else []


class MessengerReplies(FormattedReplies, MessengerBot):
    """Sends plain text with quick replies through the Send API, off the event loop."""

    def __init__(self, client: MessengerClient, psid: str) -> None:
        MessengerBot.__init__(self, client)
        self.address = psid
        self.style = Style(
            max_chars("MESSENGER_MAX_CHARS", MESSENGER_MAX_CHARS),
            buttons=MAX_QUICK_REPLIES,
            button_title=QUICK_REPLY_TITLE,
        )

    async def deliver(self, part: Part) -> None:
        message: Dict[str, Any] = {"text": part.text}
        if part.buttons:
            message["quick_replies"] = [
                {"content_type": "text", "title": b.label, "payload": b.payload}
                for b in part.buttons
            ]
        send = partial(
            self.messenger_client.send, message, self.address, "RESPONSE", timeout=SEND_TIMEOUT_S
        )
        result = await asyncio.get_running_loop().run_in_executor(None, send)
        if isinstance(result, dict) and result.get("error"):
            code = _object(result["error"]).get("code")
            logger.error("Messenger did not accept a reply (error code %s).", code)


class MessengerChannel(FacebookInput):
    """Rasa's Facebook connector with 403 on bad tokens or signatures, SHA-256 signatures only."""

    @classmethod
    def name(cls) -> str:
        return "facebook"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls(messenger_config())

    def __init__(self, config: ChannelConfig) -> None:
        super().__init__(
            config.get("FACEBOOK_VERIFY"),
            config.get("FACEBOOK_SECRET"),
            config.get("FACEBOOK_PAGE_ACCESS_TOKEN"),
        )
        self.config = config
        self.route = Route(input_channel="facebook", id_prefix="messenger")
        self._client: MessengerClient | None = None
        config.log_status()

    @property
    def client(self) -> MessengerClient:
        if self._client is None:
            self._client = MessengerClient(self.fb_access_token)
            self._client.graph_url = f"{api_base(FACEBOOK_API)}/v{self._client.api_version}"
        return self._client

    def get_output_channel(self) -> OutputChannel | None:
        # Conversation ids are pseudonyms, so there is nobody to send unprompted messages to.
        return None

    async def _answer(
        self, request: Request, batch: List[Incoming], on_new_message: OnNewMessage
    ) -> None:
        for incoming in batch:
            replies = MessengerReplies(self.client, incoming.address)
            await handle_incoming(request, self.route, incoming, replies, on_new_message)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("messenger_channel", __name__)

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {"messenger": "on" if self.config.on else "off", "pending": deliveries.pending()}
            )

        @webhook.route("/webhook", methods=["GET"])
        async def token_verification(request: Request) -> HTTPResponse:
            if not self.config.on:
                return response.text(self.config.off_message(), status=503)
            token = request.args.get("hub.verify_token")
            if request.args.get("hub.mode") != "subscribe" or not same_secret(
                token, self.fb_verify
            ):
                return response.text("Invalid verify token.", status=403)
            return response.text(request.args.get("hub.challenge") or "")

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.config.on:
                return response.text(self.config.off_message(), status=503)
            if not hub_signature_valid(self.fb_secret, request.body, request.headers):
                return response.text("Invalid signature.", status=403)
            try:
                payload = json.loads(request.body)
            except (ValueError, RecursionError):
                payload = None
            if not isinstance(payload, dict):
                return response.text("Expected a Messenger event.", status=400)
            fresh = [
                incoming
                for mid, incoming in messenger_events(payload)
                if deliveries.first_delivery("messenger", mid)
            ]
            if fresh:
                # One task per call, so a person's messages batched together stay in order.
                deliveries.answer_later("messenger", self._answer(request, fresh, on_new_message))
            return response.text("EVENT_RECEIVED")

        return webhook
