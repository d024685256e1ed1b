"""The youth gate: a stated age under 18 or a minor context sets `minor`, without a model."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.safety_gate import SafetyGate
from components.youth_gate import YouthGate
from tools.pipeline import configured


@pytest.fixture(scope="module")
def gate(root) -> YouthGate:
    return configured(YouthGate, root)


@pytest.fixture(scope="module")
def safety(root) -> SafetyGate:
    return configured(SafetyGate, root)


def message(text, intent="faq", confidence=0.9):
    return Message(data={"text": text, "intent": {"name": intent, "confidence": confidence}})


def minor_entities(result):
    return [e for e in result.get("entities") or [] if e["entity"] == "minor"]


@pytest.mark.parametrize(
    "text",
    [
        "i'm 16",
        "15yo",
        "15 y/o",
        "im fifteen",
        "grade 9",
        "in high school",
        "a minor",
        "im a minor",
        "underage",
        "my 14 year old",
        "my daughter is 15",
        "Im Sixteen btw",
        "i just turned 16",
        "i'm not 18 yet",
        "my son, 14",
        "16 f",
        "f16",
        "15/m",
        "16f here",
    ],
)
def test_a_bare_age_under_18_sets_minor_and_becomes_inform_age(gate, text):
    [result] = gate.process([message(text, intent="greet", confidence=0.99)])
    [entity] = minor_entities(result)
    assert entity["value"] is True
    assert result.get("intent") == {"name": "inform_age", "confidence": 1.0}
    assert result.get("safety_gate") == "age_statement"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("I'm 16 and I do escorting, is that legal?", "faq"),
        ("im 17 and want support with sugar dating", "request_sex_worker_support"),
        ("my friend is 15 and her bf makes her see guys", "request_youth_support"),
        ("is it legal to pay a 16 year old for sex", "faq"),
        ("I'm 25 and my daughter is 15, she has an older boyfriend", "request_youth_support"),
        (
            "my little bro is 14 n some guy online keeps asking him for pics",
            "request_youth_support",
        ),
        ("my foster kid, 13, keeps getting gifts from an older man", "request_youth_support"),
        ("my cuz is 15 n some older dude keeps picking her up", "request_youth_support"),
        ("my stepsister is 14 and her bf is like 25", "request_youth_support"),
        ("my classmate is 16 and a guy sets up dates for her", "report_trafficking"),
        ("hs student here, a guy from insta wants to be my manager", "request_youth_support"),
        ("she's still in hs and her bf sells her pics", "report_trafficking"),
        ("my niece (15) has an older bf who posts her online", "request_youth_support"),
        ("is it illegal for me to do OF if im 18 in two months", "faq"),
        ("I turn 18 next march, can i start escorting now", "faq"),
        ("she's not 18 till june and he wants her to do dates", "request_youth_support"),
        (
            "ma cousine (16 ans) voit un homme de 30 ans qui lui donne de l'argent",
            "request_youth_support",
        ),
    ],
)
def test_a_question_with_an_age_keeps_its_intent_and_sets_minor(gate, text, intent):
    [result] = gate.process([message(text, intent=intent)])
    assert minor_entities(result)
    assert result.get("intent")["name"] == intent


@pytest.mark.parametrize(
    "text",
    [
        "18",
        "19",
        "25",
        "i'm 18",
        "im 19",
        "I am 30 years old",
        "over 18",
        "i'm over 18",
        "im an adult",
        "minor injuries",
        "he had a minor injury",
        "i have 15 clients",
        "i've done this for 15 years",
        "im 15 minutes away",
        "i work 16 hours a day",
        "my daughter is 22",
        "i'm 16 weeks pregnant",
        "I'm 24 now but I was 16 when it started",
        "call me back in (15 minutes)",
        "my sister (25) works at a spa",
        "i live 15 m from the station",
        "25 f here",
        "i turned 18 in march",
        "im 18 in every way that counts",
    ],
)
def test_adult_ages_and_other_numbers_do_not_set_minor(gate, text):
    [result] = gate.process([message(text, intent="faq")])
    assert not minor_entities(result)
    assert result.get("intent")["name"] == "faq"


@pytest.mark.parametrize(
    "text",
    ["I was 16 when he started selling me", "when i was 14 my uncle's friend paid me"],
)
def test_a_past_age_under_18_still_sets_minor(gate, text):
    [result] = gate.process([message(text, intent="request_help_trafficking")])
    assert minor_entities(result)
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_a_minor_in_danger_still_gets_emergency_first(gate, safety):
    results = gate.process([message("im 15 and he has a knife", intent="inform_age")])
    [result] = safety.process(results)
    assert result.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert minor_entities(result)


def test_the_classifier_emergency_is_kept_for_an_age_statement(gate):
    [result] = gate.process([message("im 15", intent="emergency", confidence=0.95)])
    assert result.get("intent")["name"] == "emergency"
    assert minor_entities(result)


def test_payloads_are_left_alone(gate):
    [result] = gate.process([message("/faq/what_is_sex_work", intent="faq")])
    assert not minor_entities(result)
    assert result.get("intent")["name"] == "faq"
