"""What every messaging connector does with a message it has verified, around the dialogue.

In order: channel keywords that opt out (STOP) are handled first; a sender over the rate limit
(channels/sender_limits.py) gets a short static reply and skips the dialogue; non-text and
too-long messages get a fixed reply; HELP, START and Telegram's /start and /help are handled
here; a reply that picks a numbered option becomes that option's payload; a button payload is
kept only if the loaded domain knows it, and typed text that starts with "/" is read as words
(Rasa would otherwise read it as intent syntax and quote it in a warning); the message goes to
the dialogue under a pseudonymous conversation id; if the dialogue sends nothing (no model
loaded yet, or it failed), the person gets the static "trouble" reply with 911 and the hotline;
the first answer of a conversation on SMS and WhatsApp is followed by the privacy note.

Fixed texts and numbered options are in the conversation's language (English or French): the
language slot of the stored conversation, or the language this message is confidently in, as the
language router decides it (components/language_router.py).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Awaitable, Callable

from rasa.core.channels.channel import UserMessage
from sanic.request import Request

from channels import messages
from channels.danger import is_danger
from channels.history import load_history
from channels.identity import pseudonym
from channels.keywords import GREET_PAYLOAD, Keyword, no_keyword
from channels.limits import max_message_chars
from channels.options import select_option
from channels.payloads import as_words, domain_of, is_domain_payload
from channels.replies import FormattedReplies
from channels.sender_limits import Verdict, rate_verdict
from components.language_router import conversation_language

logger = logging.getLogger(__name__)

OnNewMessage = Callable[[UserMessage], Awaitable[Any]]


@dataclass(frozen=True)
class Route:
    """How one channel treats incoming messages."""

    input_channel: str  # the channel name recorded in the conversation ("twilio", "telegram", ...)
    id_prefix: str  # start of the pseudonymous conversation id ("sms", "whatsapp", ...)
    keyword: Callable[[str], Keyword | None] = no_keyword
    confirm_stop: bool = False  # reply to STOP ourselves (no carrier does it on WhatsApp)
    stop_hint: bool = False  # the HELP answer says "Reply STOP ..."
    privacy_note: str = ""  # kind of privacy note sent after the first answer ("sms", "whatsapp")


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
    keyword = None if incoming.from_button or not text else route.keyword(text)
    limit = max_message_chars()
    # Before the conversation is read (STOP, a sender over the rate limit): this message alone.
    replies.language = conversation_language(None, text[:limit])
    if keyword is Keyword.STOP:
        if route.confirm_stop:
            await replies.say(messages.stopped(replies.language))
        return
    sender = pseudonym(route.id_prefix, incoming.address)
    verdict = rate_verdict(route.input_channel, sender)
    if verdict is Verdict.FIRST_OVER:
        await replies.say(messages.too_fast(replies.language))
        return
    if verdict is Verdict.STILL_OVER:
        if is_danger(text):
            await replies.say(messages.danger_only(replies.language))
        return
    history = await load_history(request.app, sender)
    replies.language = conversation_language(history.language, text[:limit])
    if len(text) > limit:
        await replies.say(messages.too_long(limit, replies.language))
        return
    if keyword is Keyword.HELP:
        await replies.say(messages.help_text(route.stop_hint, replies.language))
        return
    if keyword is Keyword.START:
        text = GREET_PAYLOAD
    elif incoming.from_button:
        if not is_domain_payload(text, domain_of(request.app)):
            text = as_words(text)
    else:
        text = as_words(text)
    if not text:
        await replies.say(messages.unsupported(replies.language))
        return

    chosen = None if incoming.from_button or keyword else select_option(text, history.options)
    if chosen:
        text = str(chosen["payload"])
    message = UserMessage(text, replies, sender, input_channel=route.input_channel)
    sent_before = replies.parts_sent
    try:
        await on_new_message(message)
    except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
        logger.error(
            "The dialogue failed on a %s message (%s).", route.input_channel, type(error).__name__
        )
        logger.debug("Dialogue failure details", exc_info=True)
        await replies.say(messages.trouble(replies.language))
        return
    if replies.parts_sent == sent_before:
        logger.error(
            "No reply on %s (is the model loaded?); sent the static help reply.",
            route.input_channel,
        )
        await replies.say(messages.trouble(replies.language))
        return
    if route.privacy_note and not history.replied_before:
        await replies.say(messages.privacy_note(route.privacy_note, replies.language))
