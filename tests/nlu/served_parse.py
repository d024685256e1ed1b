"""Parses texts as the Rasa server does: with components/serving.py installed, all at once.

Run by test_served_predictions.py in its own process (the changes are process-wide):
`python -m tests.nlu.served_parse MODEL OUT.json < texts.json` writes the parses to OUT.json.
"""

from __future__ import annotations

import asyncio
import importlib.util
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def launcher_tensorflow_defaults() -> dict:
    spec = importlib.util.spec_from_file_location("launcher", ROOT / "scripts/rasa_server.py")
    launcher = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(launcher)
    return launcher.TENSORFLOW_DEFAULTS


async def parse_all(model: str, texts: list) -> list:
    from rasa.core.agent import Agent
    from rasa.core.channels.channel import UserMessage

    agent = Agent.load(model)
    await agent.parse_message("warm up")
    return await asyncio.gather(
        *(agent.processor.parse_message(UserMessage(text)) for text in texts)
    )


def main() -> None:
    for key, value in launcher_tensorflow_defaults().items():
        os.environ.setdefault(key, value)
    from components import serving

    serving.install()
    parses = asyncio.run(parse_all(sys.argv[1], json.load(sys.stdin)))
    Path(sys.argv[2]).write_text(json.dumps(parses, default=float))


if __name__ == "__main__":
    main()
