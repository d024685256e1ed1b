"""Checks each reply of the action server against Rasa's format with a validator built once.

Rasa 3.6 checks every reply with `jsonschema.validate(reply, spec)`, which first checks the spec
itself against JSON Schema's metaschema: that check of a constant is most of the time the Rasa
server spends on a custom action. Here the spec is checked once, when the first reply arrives;
every reply is still validated against it, and one that does not fit raises the same error,
with the same added explanation, as in Rasa.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Dict

from jsonschema.exceptions import best_match
from jsonschema.validators import validator_for
from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL


@lru_cache(maxsize=1)
def _validator() -> Any:
    spec = RemoteAction.action_response_format_spec()
    kind = validator_for(spec)
    kind.check_schema(spec)
    return kind(spec)


def _validate_action_result(self: RemoteAction, result: Dict[str, Any]) -> bool:
    error = best_match(_validator().iter_errors(result))
    if error is None:
        return True
    error.message += (
        f". Failed to validate Action server response from API, "
        f"make sure your response from the Action endpoint is valid. "
        f"For more information about the format visit "
        f"{DOCS_BASE_URL}/custom-actions"
    )
    raise error


def replacements(_setting: str, **_context: object) -> dict:
    """serving/patches.py: the reply format checked once, each reply against it."""
    _validator.cache_clear()
    return {
        "rasa.core.actions.action:RemoteAction._validate_action_result": _validate_action_result
    }
