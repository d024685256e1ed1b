"""Loading a newly published model without pausing conversations.

Rasa 3.6 pulls a new model from the model server and loads it inside its event loop, so while a
model loads (20 seconds to a few minutes on a busy 2-core server) no message is answered. With
`load_models_in_background()` called before Rasa starts (serving/patches.py), the download
stays in the event loop and the loading runs in a worker thread: people keep getting answers from
the old model until the new one is ready, then the agent switches in one step.
"""

from __future__ import annotations

import asyncio
import logging

logger = logging.getLogger(__name__)


async def update_model_from_server(model_server, agent) -> None:
    """rasa.core.agent._update_model_from_server, with the loading moved to a thread."""
    import aiohttp
    from rasa.core import agent as rasa_agent
    from rasa.nlu.utils import is_url
    from rasa.utils.common import TempDirectoryPath, get_temp_dir_name

    if not is_url(model_server.url):
        raise aiohttp.InvalidURL(model_server.url)
    with TempDirectoryPath(get_temp_dir_name()) as directory:
        try:
            new_fingerprint = await rasa_agent._pull_model_and_fingerprint(
                model_server, agent.fingerprint, directory
            )
            if new_fingerprint:
                await asyncio.get_running_loop().run_in_executor(
                    None,
                    rasa_agent._load_and_set_updated_model,
                    agent,
                    directory,
                    new_fingerprint,
                )
                logger.info("Now answering with model %s.", new_fingerprint)
        except Exception:  # as Rasa does: keep the old model whatever went wrong
            logger.exception("Failed to update model. The previous model will stay loaded.")


def load_models_in_background() -> None:
    from rasa.core import agent as rasa_agent

    rasa_agent._update_model_from_server = update_model_from_server
