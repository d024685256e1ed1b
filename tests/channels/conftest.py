"""Fixtures for the messaging-channel tests.

Unit tests need nothing. End-to-end tests drive a real Rasa server (latest model in models/) through
its webhooks, with a local stand-in for the providers' APIs; see channel_server.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from channel_server import RasaServers, RunningRasa
from provider_standin import ProviderStandIn

HERE = Path(__file__).resolve().parent


@pytest.fixture(scope="session")
def standin() -> ProviderStandIn:
    server = ProviderStandIn().start()
    yield server
    server.stop()


_servers: list = []


@pytest.fixture(scope="session")
def rasa_servers(standin: ProviderStandIn, tmp_path_factory: pytest.TempPathFactory) -> RasaServers:
    servers = RasaServers(standin, tmp_path_factory.mktemp("channels"))
    _servers.append(servers)
    yield servers
    servers.close()


def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> None:
    """Stops Rasa as soon as the last channel test is done, not at the end of the whole run:
    other test folders start their own servers, and one Rasa process is enough memory."""
    if nextitem is None or nextitem.path.parent != HERE:
        for servers in _servers:
            servers.close()


@pytest.fixture
def rasa(rasa_servers: RasaServers) -> RunningRasa:
    """Rasa with every channel configured (and lowered length limits, to see answers split)."""
    return rasa_servers.use("full")


@pytest.fixture
def bare_rasa(rasa_servers: RasaServers) -> RunningRasa:
    """Rasa with no channel variables set at all."""
    return rasa_servers.use("bare")
