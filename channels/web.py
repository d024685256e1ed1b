"""The website's channels, hardened: REST (/webhooks/rest/webhook) and socket.io (/socket.io).

Subclasses of Rasa's RestInput and SocketIOInput with the same names and URLs, used from
credentials.yml. Before Rasa sees a message they:

- check the request: a JSON object (UTF-8) with a `sender` of 1-128 printable characters and a
  `message` string; `metadata`, if given, a small object; `message_id` (REST), if given, 16-64
  letters, digits, "-" or "_". Anything else gets a 400 with a JSON `{"error": ...}` (REST) or a
  friendly bot message (socket.io). The client cannot choose the input channel, and `?stream=` is
  not offered;
- answer a REST message whose `message_id` the conversation already holds with the replies it got
  then, without running it again: the widget's retry, or the load balancer's after a replica died
  between storing the turn and sending the replies, neither repeats a turn;
- remove control characters and broken Unicode (lone surrogates) and normalise to NFC;
- answer an empty message, one longer than `channels.limits.max_message_chars()`, or one from a
  sender over the rate limit (channels/sender_limits.py), with a short static reply (200, a bot
  message, always with 911 and the hotline) without running NLU on it;
- let a message that starts with "/" through as a button payload only in the forms the bot's
  buttons use (`/intent`, `/intent{"entity": "value"}` for intents and entities of the domain,
  `/faq/<topic>` for a topic the domain answers; channels/payloads.py); any other "/..." text is
  read as ordinary words, so typed input can neither trigger odd intents nor make Rasa log it
  in a warning;
- never answer with silence: if Rasa fails or says nothing, the person gets a static reply with
  911 and the Canadian Human Trafficking Hotline;
- log what happened without the message text.

The socket.io channel also accepts connections only from the configured origins (CORS_ORIGINS,
set from `--cors` by serving/server.py), ignores session ids short enough to guess, and
awaits `enter_room` (Rasa 3.6 does not, so with python-socketio 5 its replies never reach a
client that uses session persistence).
"""

from __future__ import annotations

import hashlib
import inspect
import json
import logging
import os
import re
import unicodedata
import uuid
from dataclasses import dataclass
from typing import Any, Awaitable, Callable, Dict, Iterable

from rasa.core.channels.channel import CollectingOutputChannel, OutputChannel, UserMessage
from rasa.core.channels.rest import RestInput
from rasa.core.channels.socketio import SocketBlueprint, SocketIOInput, SocketIOOutput
from sanic import Blueprint, Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse
from socketio import AsyncServer

from channels import messages
from channels.history import load_history
from channels.limits import max_message_chars
from channels.payloads import as_words, domain_of, faq_topics, is_known_payload
from channels.sender_limits import Verdict, rate_verdict
from components.language_router import conversation_language
from serving.http_surface import token_expires_in_time

logger = logging.getLogger(__name__)

MAX_SENDER_CHARS = 128
MAX_METADATA_BYTES = 2048
MIN_SESSION_ID_CHARS = 16
SESSION_ID = re.compile(rf"^[A-Za-z0-9_-]{{{MIN_SESSION_ID_CHARS},128}}$")
MESSAGE_ID = re.compile(r"^[A-Za-z0-9_-]{16,64}$")
KEPT_CONTROLS = {"\n", "\t"}

TOPIC_BUTTONS = [
    {"title": "What is trafficking?", "payload": "/faq/what_is_human_trafficking"},
    {"title": "Sex work vs trafficking", "payload": "/faq/sex_work_vs_trafficking"},
    {"title": "Where can I get help?", "payload": "/request_help_trafficking"},
]
# Every static reply ends with 911 and the hotline, from the service directory
# (channels/messages.py), as on the messaging channels; in French for a French conversation.
STATIC_TEXTS = {
    "en": {
        "empty": "I didn't get a question. You can type one, or choose a topic.",
        "too_long": (
            "That message is too long for me. Please send a shorter question "
            "(up to {limit} characters)."
        ),
        "unreadable": "Sorry, I couldn't read that message. Please try again.",
        "too_fast": (
            "You are sending messages very fast. Please wait a minute, then send your question "
            "again."
        ),
        "failure": "Sorry, something went wrong on my side.",
    },
    "fr": {
        "empty": "Je n'ai pas reçu de question. Écrivez-en une, ou choisissez un sujet.",
        "too_long": (
            "Ce message est trop long pour moi. Envoyez une question plus courte "
            "(jusqu'à {limit} caractères)."
        ),
        "unreadable": "Désolé, je n'ai pas pu lire ce message. Essayez de nouveau.",
        "too_fast": (
            "Vous envoyez des messages très vite. Attendez une minute, puis envoyez votre "
            "question de nouveau."
        ),
        "failure": "Désolé, quelque chose n'a pas marché de mon côté.",
    },
}
TOPIC_BUTTONS_FR = [
    {"title": "C'est quoi la traite ?", "payload": "/faq/what_is_human_trafficking"},
    {"title": "Travail du sexe ou traite ?", "payload": "/faq/sex_work_vs_trafficking"},
    {"title": "Où trouver de l'aide ?", "payload": "/request_help_trafficking"},
]
TOPIC_BUTTONS_IN = {"en": TOPIC_BUTTONS, "fr": TOPIC_BUTTONS_FR}


class InputError(Exception):
    """A request the channel refuses, with the reason given to the client."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status = status


@dataclass(frozen=True)
class Screened:
    """What to do with a message: `kind` is "ok" (run it), "empty" or "too_long"."""

    kind: str
    text: str = ""


# --- checks (pure functions) -----------------------------------------------------------------


def clean_text(text: str) -> str:
    """Drops control characters (except newline and tab) and lone surrogates; NFC."""
    kept = (
        ch for ch in text if ch in KEPT_CONTROLS or unicodedata.category(ch) not in ("Cc", "Cs")
    )
    return unicodedata.normalize("NFC", "".join(kept))


def check_sender(value: Any) -> str:
    if not isinstance(value, str):
        raise InputError("'sender' must be a string")
    if not 1 <= len(value) <= MAX_SENDER_CHARS or not value.isprintable():
        raise InputError(f"'sender' must be 1 to {MAX_SENDER_CHARS} printable characters")
    return value


def check_message(value: Any) -> str:
    if not isinstance(value, str):
        raise InputError("'message' must be a string")
    return value


def check_message_id(value: Any) -> str | None:
    """The client's id for this message (optional), the same on every retry of it."""
    if value is None:
        return None
    if not isinstance(value, str) or not MESSAGE_ID.match(value):
        raise InputError("'message_id' must be 16 to 64 letters, digits, '-' or '_'")
    return value


def check_metadata(value: Any) -> Dict[str, Any] | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise InputError("'metadata' must be an object")
    if len(json.dumps(value)) > MAX_METADATA_BYTES:
        raise InputError(f"'metadata' must be under {MAX_METADATA_BYTES} bytes")
    return value


def parse_rest_body(body: bytes) -> Dict[str, Any]:
    """The JSON object of a REST request, or InputError."""
    try:
        data = json.loads(body.decode("utf-8"))
    except UnicodeDecodeError:
        raise InputError("the body must be UTF-8 encoded JSON") from None
    except (ValueError, RecursionError):
        raise InputError("the body must be a JSON object") from None
    if not isinstance(data, dict):
        raise InputError("the body must be a JSON object")
    return data


def screen(
    text: str,
    intents: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
    limit: int | None = None,
    topics: Iterable[str] | None = None,
) -> Screened:
    """Decides whether Rasa should see the message, and in what form."""
    limit = max_message_chars() if limit is None else limit
    if len(text) > limit:
        return Screened("too_long")
    text = clean_text(text).strip()
    if not is_known_payload(text, intents, entities, topics):
        text = as_words(text)
    if not text:
        return Screened("empty")
    return Screened("ok", text)


def allowed_origins() -> list | None:
    """Origins from CORS_ORIGINS (space or comma separated); None means same origin only."""
    origins = [o for o in re.split(r"[\s,]+", os.environ.get("CORS_ORIGINS", "")) if o]
    if "*" in origins:
        return ["*"]
    return origins or None


def conversation_tag(sender_id: str) -> str:
    """A short, one-way tag for a conversation in logs (not the id itself)."""
    return hashlib.sha256(sender_id.encode("utf-8", "replace")).hexdigest()[:10]


# --- answering ---------------------------------------------------------------------------------


def static_reply(kind: str, language: str = "en") -> Dict[str, Any]:
    """The channel's own reply, in French for a French conversation, otherwise in English."""
    language = language if language in STATIC_TEXTS else "en"
    text = STATIC_TEXTS[language][kind].format(limit=max_message_chars())
    return {
        "text": f"{text}\n{messages.danger_only(language)}",
        "buttons": TOPIC_BUTTONS_IN[language],
    }


class CountingSocketIOOutput(SocketIOOutput):
    """Rasa's socket.io output that counts the messages it sends."""

    def __init__(self, sio: AsyncServer, bot_message_evt: str) -> None:
        super().__init__(sio, bot_message_evt)
        self.sent = 0

    async def send_response(self, recipient_id: str, message: Dict[str, Any]) -> None:
        self.sent += 1
        await super().send_response(recipient_id, message)


def _sent(output: OutputChannel) -> int:
    if isinstance(output, CollectingOutputChannel):
        return len(output.messages)
    return getattr(output, "sent", 0)


async def answer(
    on_new_message: Callable[[UserMessage], Awaitable[Any]],
    output: OutputChannel,
    sender_id: str,
    text: str,
    metadata: Dict[str, Any] | None,
    channel: str,
    domain: Any = None,
    language: str | None = None,
    message_id: str | None = None,
) -> None:
    """Runs the message through Rasa, or replies by itself; something is always sent.

    `language`: the conversation's stored language; the replies sent here follow it, or the
    language this message is confidently in."""
    language = conversation_language(language, text[: max_message_chars()])
    verdict = screen(
        text,
        intents=getattr(domain, "intents", None),
        entities=getattr(domain, "entities", None),
        topics=faq_topics(domain),
    )
    tag = conversation_tag(sender_id)
    if verdict.kind == "ok" and rate_verdict(channel, sender_id) is not Verdict.OK:
        verdict = Screened("too_fast")
    if verdict.kind != "ok":
        logger.info("%s: %s message from %s, static reply", channel, verdict.kind, tag)
        await output.send_response(sender_id, static_reply(verdict.kind, language))
        return
    try:
        await on_new_message(
            UserMessage(
                verdict.text,
                output,
                sender_id,
                input_channel=channel,
                metadata=metadata,
                message_id=message_id,
            )
        )
    except Exception as error:  # noqa: BLE001 - whatever failed, the person gets an answer
        logger.error(
            "%s: handling a message from %s failed (%s); sent the static help reply",
            channel,
            tag,
            type(error).__name__,
        )
        logger.debug("%s: failure details", channel, exc_info=True)
        await output.send_response(sender_id, static_reply("failure", language))
        return
    if _sent(output) == 0:
        logger.error(
            "%s: no reply for %s (is the model loaded?); sent the static help reply",
            channel,
            tag,
        )
        await output.send_response(sender_id, static_reply("failure", language))


# --- REST ---------------------------------------------------------------------------------------


class HardenedRestInput(RestInput):
    """POST /webhooks/rest/webhook with checked input; replies are a JSON list of messages."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[None]]) -> Blueprint:
        module = inspect.getmodule(self)
        webhook = Blueprint(
            f"custom_webhook_{type(self).__name__}", module.__name__ if module else None
        )

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @webhook.route("/webhook", methods=["POST"])
        async def receive(request: Request) -> HTTPResponse:
            try:
                data = parse_rest_body(request.body or b"")
                sender_id = check_sender(data.get("sender"))
                text = check_message(data.get("message"))
                metadata = check_metadata(data.get("metadata"))
                message_id = check_message_id(data.get("message_id"))
            except InputError as error:
                logger.info("rest: refused a request: %s", error.reason)
                return response.json({"error": error.reason}, status=error.status)
            history = await load_history(request.app, sender_id, message_id)
            if history.earlier_replies is not None:
                logger.info(
                    "rest: a repeated message from %s, sent its earlier replies again",
                    conversation_tag(sender_id),
                )
                replies = [{"recipient_id": sender_id, **r} for r in history.earlier_replies]
                return response.json(replies)
            collector = CollectingOutputChannel()
            await answer(
                on_new_message,
                collector,
                sender_id,
                text,
                metadata,
                self.name(),
                domain_of(request.app),
                history.language,
                message_id,
            )
            return response.json(collector.messages)

        return webhook


# --- socket.io ----------------------------------------------------------------------------------


class _AppAwareSocketBlueprint(SocketBlueprint):
    """Keeps a reference to the Sanic app, to find the domain once the model is loaded."""

    def register(self, app: Sanic, options: Dict[str, Any]) -> None:
        self.ctx.app = app
        super().register(app, options)


class HardenedSocketIOInput(SocketIOInput):
    """The socket.io channel with origin checks, checked input and awaited room joins."""

    def blueprint(self, on_new_message: Callable[[UserMessage], Awaitable[Any]]) -> Blueprint:
        sio = AsyncServer(async_mode="sanic", cors_allowed_origins=allowed_origins())
        webhook = _AppAwareSocketBlueprint(sio, self.socketio_path, "socketio_webhook", __name__)
        self.sio = sio
        namespace = self.namespace

        @webhook.route("/", methods=["GET"])
        async def health(_: Request) -> HTTPResponse:
            return response.json({"status": "ok"})

        @sio.on("connect", namespace=namespace)
        async def connect(sid: str, environ: Dict, auth: Dict | None = None) -> bool:
            if not self.jwt_key:
                return True
            token = auth.get("token") if isinstance(auth, dict) else None
            if not isinstance(token, str):
                return False
            from rasa.core.channels.channel import decode_bearer_token

            payload = decode_bearer_token(token, self.jwt_key, self.jwt_algorithm)
            return bool(payload) and token_expires_in_time(payload)

        @sio.on("session_request", namespace=namespace)
        async def session_request(sid: str, data: Any = None) -> None:
            session_id = data.get("session_id") if isinstance(data, dict) else None
            if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
                session_id = uuid.uuid4().hex
            if self.session_persistence:
                await sio.enter_room(sid, session_id, namespace=namespace)
            await sio.emit("session_confirm", session_id, room=sid, namespace=namespace)

        @sio.on(self.user_message_evt, namespace=namespace)
        async def handle_message(sid: str, data: Any = None) -> None:
            output = CountingSocketIOOutput(sio, self.bot_message_evt)
            sender_id = await self._sender_for(sio, sid, data)
            try:
                if not isinstance(data, dict):
                    raise InputError("the message must be an object")
                text = check_message(data.get("message"))
                metadata = check_metadata(data.get(self.metadata_key))
            except InputError as error:
                logger.info("socketio: refused a message: %s", error.reason)
                await output.send_response(sender_id, static_reply("unreadable"))
                return
            app = getattr(webhook.ctx, "app", None)
            language = (await load_history(app, sender_id)).language if app else None
            domain = domain_of(app)
            await answer(
                on_new_message, output, sender_id, text, metadata, self.name(), domain, language
            )

        return webhook

    async def _sender_for(self, sio: AsyncServer, sid: str, data: Any) -> str:
        """The conversation id: the session id if it is valid, else the socket id."""
        if not self.session_persistence:
            return sid
        session_id = data.get("session_id") if isinstance(data, dict) else None
        if not isinstance(session_id, str) or not SESSION_ID.match(session_id):
            logger.info("socketio: message without a valid session_id, using the socket")
            return sid
        if session_id not in sio.rooms(sid, namespace=self.namespace):
            await sio.enter_room(sid, session_id, namespace=self.namespace)
        return session_id
