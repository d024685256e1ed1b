"""A custom action that cannot reach the action server still sends help to the person."""

from __future__ import annotations

import socket

import pytest
from rasa.core.actions.action import RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from serving import action_fallback


@pytest.fixture(scope="module")
def domain(root) -> Domain:
    return Domain.load(str(root / "domain.yml"))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def test_unreachable_action_server_gives_the_offline_help(domain):
    action_fallback.install()
    endpoint = EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook")
    tracker = DialogueStateTracker.from_events(
        "someone", [UserUttered("I need help", {"name": "request_help_trafficking"})]
    )
    events = await RemoteAction("action_refer_trafficking", endpoint).run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        tracker,
        domain,
    )
    [message] = [e for e in events if isinstance(e, BotUttered)]
    assert "911" in message.text and "1-833-900-1010" in message.text
    assert message.metadata["utter_action"] == "utter_help_offline"


def test_install_is_idempotent():
    action_fallback.install()
    action_fallback.install()
    assert RemoteAction.run is action_fallback._run_or_fall_back
