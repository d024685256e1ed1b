"""A newly published model is loaded in a worker thread: the event loop keeps answering."""

from __future__ import annotations

import asyncio
import threading
import time

import rasa.core.agent as rasa_agent
from rasa.utils.endpoints import EndpointConfig

from serving.model_swap import load_models_in_background, update_model_from_server


class FakeAgent:
    fingerprint = "old"


async def test_the_model_loads_in_a_thread_while_the_loop_keeps_running(monkeypatch):
    loaded = {}

    async def pull(server, fingerprint, directory):
        return "new"

    def load(agent, directory, fingerprint):
        loaded["thread"] = threading.current_thread()
        time.sleep(0.5)  # a slow model load
        agent.fingerprint = fingerprint

    monkeypatch.setattr(rasa_agent, "_pull_model_and_fingerprint", pull)
    monkeypatch.setattr(rasa_agent, "_load_and_set_updated_model", load)
    ticks = 0

    async def answer_people():
        nonlocal ticks
        while True:
            ticks += 1
            await asyncio.sleep(0.05)

    helper = asyncio.create_task(answer_people())
    agent = FakeAgent()
    await update_model_from_server(EndpointConfig("http://127.0.0.1:1/model"), agent)
    helper.cancel()
    assert agent.fingerprint == "new"
    assert loaded["thread"] is not threading.main_thread()
    assert ticks >= 5  # the loop ran during the half-second load


async def test_a_failed_load_keeps_the_old_model(monkeypatch):
    async def pull(server, fingerprint, directory):
        return "new"

    def broken(agent, directory, fingerprint):
        raise ValueError("not a model")

    monkeypatch.setattr(rasa_agent, "_pull_model_and_fingerprint", pull)
    monkeypatch.setattr(rasa_agent, "_load_and_set_updated_model", broken)
    agent = FakeAgent()
    await update_model_from_server(EndpointConfig("http://127.0.0.1:1/model"), agent)
    assert agent.fingerprint == "old"


def test_rasa_uses_it_once_installed(monkeypatch):
    monkeypatch.setattr(
        rasa_agent, "_update_model_from_server", rasa_agent._update_model_from_server
    )
    load_models_in_background()
    assert rasa_agent._update_model_from_server is update_model_from_server
