"""Parses texts as the Rasa server does: with serving/patches.py installed, all at once.

Run by test_served_predictions.py in its own process (the changes are process-wide):
`python -m tests.nlu.served_parse MODEL OUT.json < texts.json` writes the parses to OUT.json.
"""

from __future__ import annotations

import asyncio
import json
import sys
from pathlib import Path


async def parse_all(model: str, texts: list) -> list:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    agent = Agent.load(model)
    await agent.parse_message("warm up")
    return await asyncio.gather(
        *(agent.processor.parse_message(UserMessage(text)) for text in texts)
    )


def main() -> None:
    from serving import patches

    patches.install()
    parses = asyncio.run(parse_all(sys.argv[1], json.load(sys.stdin)))
    Path(sys.argv[2]).write_text(json.dumps(parses, default=float))


if __name__ == "__main__":
    main()
