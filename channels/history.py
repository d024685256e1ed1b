"""What the conversation store says about the person's previous turn.

The options shown last are read from Rasa's tracker store (through the agent on the Sanic app), not
kept in a second, in-memory copy: see docs/CHANNELS.md ("Why the tracker store").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Tuple

from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from channels.options import Button, usable

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"
REPLAYED_FIELDS = ("buttons", "image", "attachment", "custom")


@dataclass(frozen=True)
class History:
    options: Tuple[Button, ...] = ()  # buttons of the latest answer, in the order shown
    replied_before: bool = False  # the assistant has already answered in this conversation
    language: str | None = None  # the conversation's language slot (None: not set, English)
    # the replies already sent to the message with the asked-about id (None: not answered yet)
    earlier_replies: Tuple[Dict[str, Any], ...] | None = None


def latest_options(events: Iterable[Any]) -> Tuple[Button, ...]:
    """Buttons of the last answer since the person's last message (none if it had none)."""
    for event in reversed(list(events)):
        if isinstance(event, UserUttered):
            break
        if isinstance(event, BotUttered):
            buttons = usable((event.data or {}).get("buttons"))
            if buttons:
                return tuple(buttons)
    return ()


def replies_to(events: Iterable[Any], message_id: str) -> Tuple[Dict[str, Any], ...] | None:
    """The bot messages that answered the person's message `message_id`, in the form Rasa's
    REST channel sends them; None if no message with that id is stored."""
    replies: List[Dict[str, Any]] | None = None
    for event in events:
        if isinstance(event, UserUttered):
            if replies is not None:
                break
            if event.message_id == message_id:
                replies = []
        elif replies is not None and isinstance(event, BotUttered):
            data = event.data or {}
            reply = {"text": event.text, **{k: data.get(k) for k in REPLAYED_FIELDS}}
            replies.append({k: v for k, v in reply.items() if v is not None})
    return None if replies is None else tuple(replies)


async def load_history(app: Sanic, conversation_id: str, message_id: str | None = None) -> History:
    """What the store holds for the conversation; with `message_id`, also the replies already
    sent to that message, so a repeated request is answered without running it again."""
    agent = getattr(app.ctx, "agent", None)
    store = getattr(agent, "tracker_store", None)
    if store is None:
        return History()
    try:
        tracker: Any | None = await store.retrieve(conversation_id)
    except Exception:
        logger.exception("Could not read the conversation from the tracker store.")
        return History(replied_before=True)
    if tracker is None:
        return History()
    events = list(tracker.events)
    language = tracker.get_slot(LANGUAGE_SLOT) if LANGUAGE_SLOT in tracker.slots else None
    return History(
        options=latest_options(events),
        replied_before=any(isinstance(event, BotUttered) for event in events),
        language=language if isinstance(language, str) else None,
        earlier_replies=replies_to(events, message_id) if message_id else None,
    )
