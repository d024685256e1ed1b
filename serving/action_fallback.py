"""When a custom action fails, the Rasa server sends a static help message instead of silence.

Rasa 3.6 logs a failed custom action (action server down, timed out or erroring)
and carries on without a reply. `install()` wraps Rasa's RemoteAction so that
the person gets `utter_help_offline` (911, the hotline and other 24/7 lines),
which the Rasa server can send by itself. serving/patches.py installs it.
"""

from __future__ import annotations

import logging
from typing import Any, List

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import Event

FALLBACK_RESPONSE = "utter_help_offline"
logger = logging.getLogger(__name__)

_remote_run = RemoteAction.run


async def _run_or_fall_back(
    self: RemoteAction, output_channel: Any, nlg: Any, tracker: Any, domain: Any
) -> List[Event]:
    try:
        return await _remote_run(self, output_channel, nlg, tracker, domain)
    except ActionExecutionRejection:
        raise
    except Exception as error:
        logger.error(
            "Custom action '%s' failed (%s); sending %s instead.",
            self.name(),
            type(error).__name__,
            FALLBACK_RESPONSE,
        )
        return await RemoteAction._utter_responses(
            [{"response": FALLBACK_RESPONSE}], output_channel, nlg, tracker
        )


def install() -> None:
    """Makes every custom action fall back to the static help message (idempotent)."""
    RemoteAction.run = _run_or_fall_back
