"""What the conversation store says about the person's previous turn.

The options shown last are read from Rasa's tracker store (through the agent on the Sanic app), not
kept in a second, in-memory copy: see docs/CHANNELS.md ("Why the tracker store").
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Iterable, Tuple

from rasa.shared.core.events import BotUttered, UserUttered
from sanic import Sanic

from channels.options import Button, usable

logger = logging.getLogger(__name__)

LANGUAGE_SLOT = "language"


@dataclass(frozen=True)
class History:
    options: Tuple[Button, ...] = ()  # buttons of the latest answer, in the order shown
    replied_before: bool = False  # the assistant has already answered in this conversation
    language: str | None = None  # the conversation's language slot (None: not set, English)


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


async def load_history(app: Sanic, conversation_id: str) -> History:
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
    )
