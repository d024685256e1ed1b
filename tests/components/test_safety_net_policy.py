"""When a custom action says nothing (action server down), the static hotline message follows."""

from __future__ import annotations

import pytest
from rasa.engine.graph import ExecutionContext
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from components.safety_net_policy import SafetyNetPolicy


@pytest.fixture(scope="module")
def domain(root) -> Domain:
    return Domain.load(str(root / "domain.yml"))


@pytest.fixture
def policy(tmp_path) -> SafetyNetPolicy:
    return SafetyNetPolicy(
        SafetyNetPolicy.get_default_config(),
        LocalModelStorage(tmp_path),
        Resource("safety_net"),
        ExecutionContext(graph_schema=None),
    )


def tracker(domain, *events) -> DialogueStateTracker:
    return DialogueStateTracker.from_events(
        "someone",
        [
            ActionExecuted("action_listen"),
            UserUttered("I need help", {"name": "request_help_trafficking"}),
            *events,
        ],
        slots=domain.slots,
    )


def predicted(policy, domain, tracker) -> str | None:
    probabilities = policy.predict_action_probabilities(tracker, domain).probabilities
    if max(probabilities) == 0:
        return None
    return domain.action_names_or_texts[probabilities.index(max(probabilities))]


def test_silent_custom_action_gets_the_offline_message(policy, domain):
    silent = tracker(domain, ActionExecuted("action_refer_trafficking"))
    assert predicted(policy, domain, silent) == "utter_help_offline"


def test_then_it_listens(policy, domain):
    after = tracker(
        domain,
        ActionExecuted("action_refer_trafficking"),
        ActionExecuted("utter_help_offline"),
        BotUttered("Sorry..."),
    )
    assert predicted(policy, domain, after) == "action_listen"


def test_a_custom_action_that_answered_is_left_alone(policy, domain):
    answered = tracker(
        domain, ActionExecuted("action_refer_trafficking"), BotUttered("Here are services")
    )
    assert predicted(policy, domain, answered) is None


def test_built_in_actions_are_left_alone(policy, domain):
    assert predicted(policy, domain, tracker(domain, ActionExecuted("action_listen"))) is None
