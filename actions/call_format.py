"""The shape of an action call (what Rasa posts to the action server) that the actions rely on.

rasa_sdk hands the posted JSON to the actions as it is: a call whose tracker is a string, whose
events are not a list or whose slot holds a number where the actions expect text makes an action
fail with a 500. Such a call is the caller's mistake, so the action server checks the call
against this schema first and answers one that does not fit with a 400 (scripts/action_server.py).
Only the fields the actions read are constrained; Rasa sends more, and those pass as they are.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import Any, Dict

import yaml
from jsonschema.validators import Draft7Validator

from tools import paths

# JSON types of the slot types in domain.yml; a slot of any other type may hold any value.
SLOT_TYPES = {
    "text": ["string", "null"],
    "categorical": ["string", "null"],
    "bool": ["boolean", "null"],
    "float": ["number", "null"],
    "list": ["array", "null"],
}

OPTIONAL_TEXT = {"type": ["string", "null"]}
OBJECT = {"type": "object"}
ENTITY = {
    "type": "object",
    "properties": {"entity": OPTIONAL_TEXT},
}
ENTITIES = {"type": ["array", "null"], "items": ENTITY}
PARSE_DATA = {
    "type": ["object", "null"],
    "properties": {
        "text": OPTIONAL_TEXT,
        "intent": {"type": ["object", "null"]},
        "entities": ENTITIES,
        "response_selector": {
            "type": ["object", "null"],
            # the retrieval intents' names, then each one's selection
            "properties": {"all_retrieval_intents": {"type": "array"}},
            "additionalProperties": {
                "type": ["object", "null"],
                "properties": {
                    "response": {
                        "type": ["object", "null"],
                        "properties": {"intent_response_key": OPTIONAL_TEXT},
                    }
                },
            },
        },
        "metadata": {"type": ["object", "null"]},
    },
}
EVENT = {
    "type": "object",
    "required": ["event"],
    "properties": {
        "event": {"type": "string"},
        "text": OPTIONAL_TEXT,
        "name": OPTIONAL_TEXT,
        "parse_data": PARSE_DATA,
        "metadata": {"type": ["object", "null"], "properties": {"utter_action": OPTIONAL_TEXT}},
        "input_channel": OPTIONAL_TEXT,
    },
}


def schema(slot_types: Dict[str, str]) -> Dict[str, Any]:
    """The call's schema, for slots of these domain types."""
    slots = {
        name: {"type": SLOT_TYPES[kind]} for name, kind in slot_types.items() if kind in SLOT_TYPES
    }
    return {
        "type": "object",
        "required": ["next_action", "tracker"],
        "properties": {
            "next_action": {"type": "string", "minLength": 1},
            "sender_id": OPTIONAL_TEXT,
            "version": OPTIONAL_TEXT,
            "domain": {
                "type": "object",
                "properties": {"responses": OBJECT},
            },
            "tracker": {
                "type": "object",
                "required": ["sender_id"],
                "properties": {
                    "sender_id": {"type": "string"},
                    "slots": {"type": "object", "properties": slots},
                    "latest_message": PARSE_DATA,
                    "events": {"type": "array", "items": EVENT},
                    "paused": {"type": ["boolean", "null"]},
                    "followup_action": OPTIONAL_TEXT,
                    "active_loop": {"type": ["object", "null"]},
                    "latest_action_name": OPTIONAL_TEXT,
                },
            },
        },
    }


def domain_slot_types(domain_path: Path) -> Dict[str, str]:
    domain = yaml.safe_load(domain_path.read_text(encoding="utf-8")) or {}
    return {
        name: (spec or {}).get("type", "any") for name, spec in (domain.get("slots") or {}).items()
    }


@lru_cache(maxsize=1)
def _validator() -> Draft7Validator:
    spec = schema(domain_slot_types(paths.ROOT / paths.DOMAIN))
    Draft7Validator.check_schema(spec)
    return Draft7Validator(spec)


def call_problem(call: Any) -> str | None:
    """The rule of the schema that the call breaks, e.g. `tracker/events/items/type`; None when
    the call fits. It names a place in the schema, not in the call, so it never holds a value or
    a key the caller sent."""
    error = next(_validator().iter_errors(call), None)
    if error is None:
        return None
    return "/".join(
        str(part)
        for part in error.schema_path
        if part not in ("properties", "additionalProperties")
    )
