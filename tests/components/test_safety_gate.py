"""The danger backstop, topic payloads and the answer-confidence check, without a model."""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from components.safety_gate import SafetyGate


@pytest.fixture(scope="module")
def gate(root) -> SafetyGate:
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"].endswith("SafetyGate"))
    return SafetyGate({**SafetyGate.get_default_config(), **step})


def message(text, intent="faq", confidence=0.9, topic=None, topic_confidence=0.9):
    data = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    ranking = [
        {"intent_response_key": f"faq/{t}", "confidence": 0.1}
        for t in ("what_is_sex_work", "smuggling_vs_trafficking")
    ]
    data["response_selector"] = {
        "faq": {
            "response": {
                "intent_response_key": f"faq/{topic}" if topic else None,
                "confidence": topic_confidence,
                "utter_action": f"utter_faq/{topic}",
                "responses": [],
            },
            "ranking": ranking,
        }
    }
    return Message(data=data)


@pytest.mark.parametrize(
    "text",
    [
        "he has a knife and says he'll kill me",
        "im locked in a room and cant get out",
        "someone is following me right now",
        "SOS",
        "help!!!",
        "my life is in danger",
        "they're outside my door",
    ],
)
def test_danger_becomes_emergency_whatever_the_classifier_said(gate, text):
    [result] = gate.process([message(text, intent="greet", confidence=0.99)])
    assert result.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert result.get("intent_ranking")[0]["name"] == "emergency"
    assert result.get("safety_gate") == "danger_pattern"


@pytest.mark.parametrize(
    "text",
    [
        "a client hurt me last week, where can I get support",
        "is forced labour trafficking?",
        "do I call 911 to report trafficking?",
        "my employer keeps my passport locked in his office",
        "can I get in trouble for selling sex near a school",
    ],
)
def test_past_events_and_questions_are_left_to_the_classifier(gate, text):
    [result] = gate.process([message(text, intent="request_help_trafficking")])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_a_topic_payload_selects_that_answer(gate):
    [result] = gate.process([message("/faq/smuggling_vs_trafficking", intent="greet")])
    assert result.get("intent") == {"name": "faq", "confidence": 1.0}
    response = result.get("response_selector")["faq"]["response"]
    assert response["intent_response_key"] == "faq/smuggling_vs_trafficking"
    assert response["utter_action"] == "utter_faq/smuggling_vs_trafficking"


def test_an_unknown_topic_payload_falls_back(gate):
    [result] = gate.process([message("/faq/not_a_topic", intent="greet")])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_an_unsure_faq_answer_falls_back(gate):
    [result] = gate.process([message("hmm", topic="what_is_sex_work", topic_confidence=0.05)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_confident_faq_answer_is_kept(gate):
    [result] = gate.process([message("what is sex work", topic="what_is_sex_work")])
    assert result.get("intent")["name"] == "faq"
