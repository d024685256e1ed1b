"""Telegram: webhook /webhooks/telegram/webhook, answers with inline-keyboard buttons.

Registered in credentials.yml as `channels.telegram.TelegramChannel:`; settings come from the
environment. Unlike Rasa's connector, nothing touches the network while the server starts: when
TELEGRAM_WEBHOOK_URL is set, the webhook (with its secret token) is registered by a background task
after start-up, and a failure there is logged, not fatal.
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, Dict

from aiogram import Bot
from aiogram.bot.api import TelegramAPIServer
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Update
from rasa.core.channels.channel import InputChannel, OutputChannel
from rasa.core.channels.telegram import TelegramInput, TelegramOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

from channels import deliveries
from channels.enabled import (
    SEND_TIMEOUT_S,
    TELEGRAM_API,
    ChannelConfig,
    api_base,
    max_chars,
    telegram_config,
)
from channels.inbound import Incoming, OnNewMessage, Route, handle_incoming
from channels.keywords import telegram_command
from channels.replies import FormattedReplies, NativeButton, Part, Style
from channels.signatures import same_secret

logger = logging.getLogger(__name__)

TELEGRAM_MAX_CHARS = 4096
MAX_BUTTONS = 100
BUTTON_TITLE = 64
CALLBACK_DATA_BYTES = 64
SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
ALLOWED_UPDATES = ["message", "callback_query"]


def callback_data(button: NativeButton, number: int) -> str:
    """The payload, or the option's number when the payload is over Telegram's 64 bytes."""
    fits = len(button.payload.encode("utf-8")) <= CALLBACK_DATA_BYTES
    return button.payload if fits else str(number)


class TelegramReplies(FormattedReplies, TelegramOutput):
    """Sends plain text, with one inline-keyboard button per row for the answer's options."""

    def __init__(self, token: str, server: TelegramAPIServer, chat_id: str) -> None:
        TelegramOutput.__init__(self, token)
        self.server = server
        self.timeout = SEND_TIMEOUT_S
        self.address = chat_id
        self.style = Style(
            max_chars("TELEGRAM_MAX_CHARS", TELEGRAM_MAX_CHARS),
            buttons=MAX_BUTTONS,
            button_title=BUTTON_TITLE,
        )

    async def deliver(self, part: Part) -> None:
        markup = None
        if part.buttons:
            markup = InlineKeyboardMarkup(
                inline_keyboard=[
                    [InlineKeyboardButton(b.label, callback_data=callback_data(b, n))]
                    for n, b in enumerate(part.buttons, start=1)
                ]
            )
        await self.send_message(
            self.address, part.text, reply_markup=markup, disable_web_page_preview=True
        )

    async def close(self) -> None:
        await self.session.close()


class TelegramChannel(TelegramInput):
    """Rasa's Telegram connector with a secret-token check and no network calls at start-up."""

    @classmethod
    def name(cls) -> str:
        return "telegram"

    @classmethod
    def from_credentials(cls, credentials: Dict[str, Any] | None) -> InputChannel:
        return cls(telegram_config())

    def __init__(self, config: ChannelConfig) -> None:
        super().__init__(
            config.get("TELEGRAM_ACCESS_TOKEN"),
            config.get("TELEGRAM_VERIFY"),
            config.get("TELEGRAM_WEBHOOK_URL"),
            debug_mode=False,
        )
        self.config = config
        self.secret = config.get("TELEGRAM_SECRET_TOKEN")
        self.server = TelegramAPIServer.from_base(api_base(TELEGRAM_API))
        self.route = Route(
            input_channel="telegram",
            id_prefix="telegram",
            keyword=telegram_command,
        )
        config.log_status()

    def get_output_channel(self) -> OutputChannel | None:
        # No set_webhook call here (Rasa's does one, blocking start-up) and no unprompted
        # messages: conversation ids are pseudonyms.
        return None

    async def register_webhook(self) -> None:
        """Registers the webhook URL and secret with Telegram; logs instead of failing."""
        bot = Bot(self.access_token, server=self.server, timeout=SEND_TIMEOUT_S)
        try:
            await bot.request(
                "setWebhook",
                {
                    "url": self.webhook_url,
                    "secret_token": self.secret,
                    "allowed_updates": json.dumps(ALLOWED_UPDATES),
                },
            )
            logger.info("Telegram webhook registered.")
            if self.verify:
                me = await bot.get_me()
                if me.username != self.verify.lstrip("@"):
                    logger.warning(
                        "TELEGRAM_VERIFY is %s but the token belongs to %s.",
                        self.verify,
                        me.username,
                    )
        except Exception as error:  # noqa: BLE001 - start-up goes on without it
            logger.warning("Could not register the Telegram webhook (%s).", type(error).__name__)
        finally:
            await bot.session.close()

    def _incoming(self, update: Update) -> Incoming | None:
        """The message to answer, or None for updates that need no answer."""
        if self._is_edited_message(update):
            return None  # answering an edit again would repeat the conversation
        if self._is_button(update):
            msg = update.callback_query.message
            data = update.callback_query.data or ""
            text, from_button = data, not data.isdigit()
        else:
            msg = update.message
            if msg is None:
                return None
            text = msg.text if self._is_user_message(msg) else None
            from_button = False
        if msg is None or msg.chat is None or msg.chat.type != "private":
            return None  # never answer in groups, where others would read the conversation
        return Incoming(address=str(msg.chat.id), text=text, from_button=from_button)

    async def _answer(
        self,
        request: Request,
        update: Update,
        incoming: Incoming,
        replies: TelegramReplies,
        on_new_message: OnNewMessage,
    ) -> None:
        if update.callback_query:
            try:
                await replies.answer_callback_query(update.callback_query.id)
            except Exception as error:  # noqa: BLE001 - the answer still goes out
                logger.warning(
                    "Could not acknowledge a Telegram button (%s).", type(error).__name__
                )
        await handle_incoming(request, self.route, incoming, replies, on_new_message)

    def blueprint(self, on_new_message: OnNewMessage) -> Blueprint:
        webhook = Blueprint("telegram_channel", __name__)

        @webhook.listener("after_server_start")
        async def start_registration(app: Sanic, _: asyncio.AbstractEventLoop) -> None:
            if self.config.on and self.webhook_url:
                app.add_task(self.register_webhook())

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json(
                {"telegram": "on" if self.config.on else "off", "pending": deliveries.pending()}
            )

        @webhook.route("/webhook", methods=["POST"])
        async def message(request: Request) -> HTTPResponse:
            if not self.config.on:
                return response.text(self.config.off_message(), status=503)
            if not same_secret(request.headers.get(SECRET_HEADER), self.secret):
                return response.text("Invalid Telegram secret token.", status=403)
            try:
                update = Update(**request.json)
                incoming = self._incoming(update)
            except Exception:  # noqa: BLE001 - malformed updates; the error would quote them
                return response.text("Expected a Telegram update.", status=400)
            if incoming is None or not deliveries.first_delivery("telegram", update.update_id):
                return response.text("ok")
            replies = TelegramReplies(self.access_token, self.server, incoming.address)
            deliveries.answer_later(
                "telegram", self._answer(request, update, incoming, replies, on_new_message)
            )
            return response.text("ok")

        return webhook
