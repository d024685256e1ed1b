"""What every messaging connector does with a message it has verified, around the dialogue.

In order: non-text and too-long messages get a fixed reply; channel keywords (STOP, HELP, START,
Telegram's /start and /help) are handled here; a reply that picks a numbered option becomes that
option's payload; the message goes to the dialogue under a pseudonymous conversation id; the first
answer of a conversation on SMS and WhatsApp is followed by the privacy note.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic.request import Request

from channels import messages
from channels.history import load_history
from channels.identity import conversation_id
from channels.keywords import GREET_PAYLOAD, Keyword, no_keyword
from channels.limits import max_message_chars
from channels.options import select_option
from channels.replies import FormattedReplies

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    """How one channel treats incoming messages."""

    input_channel: str  # the channel name recorded in the conversation ("twilio", "telegram", ...)
    id_prefix: str  # start of the pseudonymous conversation id ("sms", "whatsapp", ...)
    id_key: str  # the channel secret that keys the pseudonymous id
    keyword: Callable[[str], Keyword | None] = no_keyword
    confirm_stop: bool = False  # reply to STOP ourselves (no carrier does it on WhatsApp)
    stop_hint: bool = False  # the HELP answer says "Reply STOP ..."
    privacy_note: str = ""  # sent after the first answer of a conversation


@dataclass(frozen=True)
class Incoming:
    """A verified message: who to answer, and what they sent."""

    address: str  # phone number, Telegram chat id or Messenger page-scoped id
    text: str | None  # None for a photo, sticker, voice note or location
    from_button: bool = False  # the text is already a button's payload


async def handle_incoming(
    request: Request,
    route: Route,
    incoming: Incoming,
    replies: FormattedReplies,
    on_new_message: OnNewMessage,
) -> None:
    try:
        await _handle(request, route, incoming, replies, on_new_message)
    finally:
        await replies.close()


async def _handle(
    request: Request,
    route: Route,
    incoming: Incoming,
    replies: FormattedReplies,
    on_new_message: OnNewMessage,
) -> None:
    text = (incoming.text or "").strip()
    if not text:
        await replies.say(messages.unsupported())
        return
    limit = max_message_chars()
    if len(text) > limit:
        await replies.say(messages.too_long(limit))
        return
    keyword = None if incoming.from_button else route.keyword(text)
    if keyword is Keyword.STOP:
        if route.confirm_stop:
            await replies.say(messages.stopped())
        return
    if keyword is Keyword.HELP:
        await replies.say(messages.help_text(stop_hint=route.stop_hint))
        return
    if keyword is Keyword.START:
        text = GREET_PAYLOAD

    sender = conversation_id(route.id_prefix, incoming.address, route.id_key)
    history = await load_history(request.app, sender)
    chosen = None if incoming.from_button or keyword else select_option(text, history.options)
    if chosen:
        text = str(chosen["payload"])
    message = UserMessage(text, replies, sender, input_channel=route.input_channel)
    try:
        await on_new_message(message)
    except Exception:
        logger.exception("The dialogue failed on a %s message.", route.input_channel)
        await replies.say(messages.trouble())
        return
    if route.privacy_note and not history.replied_before:
        await replies.say(route.privacy_note)
