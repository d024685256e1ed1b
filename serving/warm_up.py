"""After Rasa loads the model: stop if there is none (instead of serving silence), else warm up.

Plain `rasa run` serves without a model when loading fails: the assistant would then say nothing.
The warm-up parses one message so that TensorFlow's one-off graph building happens before the
first person writes, not during their first message. With a model server there may be no model
yet at start (one is published later), so the server then waits instead of stopping.
"""

from __future__ import annotations

import sys
from typing import Any, Dict

EXIT_BAD_MODEL = 2
WARM_UP_TEXT = "hello, what is human trafficking?"


def refuse(reason: str) -> None:
    print(f"Rasa server not started: {reason}.", file=sys.stderr, flush=True)
    sys.exit(EXIT_BAD_MODEL)


def replacements(_setting: str, require_model: bool = False, **_context: Any) -> Dict[str, Any]:
    """serving/patches.py: Rasa's load_agent_on_start, then the model check and the warm-up."""
    import rasa.core.run

    load = rasa.core.run.load_agent_on_start

    async def load_check_warm_up(*args: Any, **kwargs: Any) -> Any:
        agent = await load(*args, **kwargs)
        if not agent.is_ready():
            if require_model:
                refuse("the model could not be loaded (see the error above)")
            return agent
        await agent.parse_message(WARM_UP_TEXT)
        return agent

    return {"rasa.core.run:load_agent_on_start": load_check_warm_up}
