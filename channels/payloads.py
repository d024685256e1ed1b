"""Which "/..." messages are button payloads, and what typed "/..." text becomes.

Rasa reads any message that starts with "/" as intent syntax (`/intent{"entity": "value"}`) and,
when that syntax is broken or names something the domain does not have, writes the whole message
into a warning. So only the forms the bot's own buttons send reach Rasa as payloads, checked
against the loaded domain; any other "/..." text is read as ordinary words.
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

from sanic import Sanic

PAYLOAD = re.compile(r"^/(?P<intent>[a-z_]+)(?P<entities>\{.*\})?$", re.DOTALL)
FAQ_PAYLOAD = re.compile(r"^/faq/(?P<topic>[a-z0-9_]+)$")
FAQ_RESPONSE_PREFIX = "utter_faq/"
MAX_ENTITY_VALUE_CHARS = 100


def domain_of(app: Sanic | None) -> Any:
    """The loaded model's domain, or None while no model is loaded."""
    agent = getattr(getattr(app, "ctx", None), "agent", None) if app else None
    return getattr(agent, "domain", None)


def faq_topics(domain: Any) -> set | None:
    """The FAQ topics the domain answers (None when there is no domain to check against)."""
    responses = getattr(domain, "responses", None)
    if responses is None:
        return None
    return {
        name[len(FAQ_RESPONSE_PREFIX) :]
        for name in responses
        if name.startswith(FAQ_RESPONSE_PREFIX)
    }


def is_known_payload(
    text: str,
    intents: Iterable[str] | None = None,
    entities: Iterable[str] | None = None,
    topics: Iterable[str] | None = None,
) -> bool:
    """True for the payload forms the bot's buttons use (checked against the domain if given)."""
    faq = FAQ_PAYLOAD.match(text)
    if faq:
        return topics is None or faq.group("topic") in set(topics)
    match = PAYLOAD.match(text)
    if not match:
        return False
    if intents is not None and match.group("intent") not in set(intents):
        return False
    raw = match.group("entities")
    if raw is None:
        return True
    try:
        values = json.loads(raw)
    except (ValueError, RecursionError):
        return False
    allowed = None if entities is None else set(entities)
    return (
        isinstance(values, dict)
        and all(allowed is None or key in allowed for key in values)
        and all(
            isinstance(value, str) and len(value) <= MAX_ENTITY_VALUE_CHARS
            for value in values.values()
        )
    )


def is_domain_payload(text: str, domain: Any) -> bool:
    """`is_known_payload` checked against a loaded domain (or the forms only, without one)."""
    return is_known_payload(
        text,
        intents=getattr(domain, "intents", None),
        entities=getattr(domain, "entities", None),
        topics=faq_topics(domain),
    )


def as_words(text: str) -> str:
    """Typed text that starts with "/" without its slashes, so Rasa reads it as words."""
    return text.lstrip("/ ").strip() if text.startswith("/") else text
