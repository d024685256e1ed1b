"""Every referral is in French when the conversation is in French, through run() on real
trackers; contacts come from the one directory, so the numbers are the English ones."""

from __future__ import annotations

import re

import pytest
import yaml
from rasa_sdk.executor import CollectingDispatcher

from actions.directory import check_directory
from actions.formatting import format_service
from actions.places import load_gazetteer
from actions.referrals import (
    ActionExplainReporting,
    ActionGiveEmergencyHelp,
    ActionGiveOctipContact,
    ActionReferSexWorkerSupport,
    ActionReferTrafficking,
    ActionReferYouthSupport,
)
from serving.specific_responses import candidates

NUMBER = re.compile(r"\d[\d-]{2,}\d")
ENGLISH_WORDS = ("call ", "Call ", "text ", "chat at", ", or ", "24/7", "toll-free", "languages")


def assert_french(services):
    for word in ENGLISH_WORDS:
        assert word not in services, f"English '{word}' in: {services}"


async def test_french_danger_follow_up_lists_services_in_french(dispatcher, make_tracker, domain):
    tracker = make_tracker("il va me tuer", intent="emergency", slots={"language": "fr"})
    await ActionGiveEmergencyHelp().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_referral_emergency"
    assert "VictimLinkBC" in first["services"] and "1-800-563-0808" in first["services"]
    assert "Soutien et références" in first["services"]
    assert_french(first["services"])


async def test_french_control_message_gets_trafficking_services_in_french(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker(
        "mon patron garde mon passeport",
        intent="request_help_trafficking",
        slots={"language": "fr"},
    )
    await ActionReferTrafficking().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_referral_trafficking"
    assert "appelez le 1-833-900-1010" in first["services"].lower()
    assert "Ce n'est pas la police, ni l'immigration." in first["services"]
    assert_french(first["services"])


async def test_french_minor_gets_youth_services_in_french(dispatcher, make_tracker, domain):
    tracker = make_tracker(
        "j'ai 15 ans et je veux faire de l'escorte",
        intent="request_youth_support",
        slots={"language": "fr", "is_minor": True, "location": "Vancouver"},
    )
    await ActionReferYouthSupport().run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]
    assert first["response"] == "utter_referral_youth"
    assert "textez CONNECT au 686868" in first["services"]
    assert "310-1234" in first["services"]
    assert_french(first["services"])


async def test_english_conversation_keeps_english_services(dispatcher, make_tracker, domain):
    tracker = make_tracker("my boss has my passport", slots={"language": "en"})
    await ActionReferTrafficking().run(dispatcher, tracker, domain)
    assert "call 1-833-900-1010" in dispatcher.messages[0]["services"].lower()


async def test_other_bridge_language_gets_english_service_lines(dispatcher, make_tracker, domain):
    tracker = make_tracker("ayuda", slots={"language": "es"})
    await ActionReferTrafficking().run(dispatcher, tracker, domain)
    assert "call 1-833-900-1010" in dispatcher.messages[0]["services"].lower()


FRENCH = {"type": "slot", "name": "language", "value": "fr"}
YOUTH = {"type": "slot", "name": "is_minor", "value": True}
# Answers a person chooses by language rather than reads in the conversation's language.
BY_LANGUAGE = ("utter_language_bridge",)


@pytest.fixture(scope="module")
def domain_file(root):
    """domain.yml alone: the FAQ answers' French texts are checked with the FAQ topics."""
    return yaml.safe_load((root / "domain.yml").read_text(encoding="utf-8"))


def variations(domain, response, *conditions):
    """The variations of a response with exactly these conditions."""
    return [
        variant
        for variant in domain["responses"][response]
        if sorted(map(str, variant.get("condition") or [])) == sorted(map(str, conditions))
    ]


def responses(domain):
    return sorted(name for name in domain["responses"] if name not in BY_LANGUAGE)


@pytest.mark.parametrize("youth", [False, True], ids=["adult", "youth"])
def test_every_response_has_one_french_variation_with_the_english_numbers(domain_file, youth):
    domain = domain_file
    for response in responses(domain):
        english = variations(domain, response, *([YOUTH] if youth else []))
        if not english:
            continue
        french = variations(domain, response, *([YOUTH, FRENCH] if youth else [FRENCH]))
        assert len(french) == 1, response
        [english_text] = {variant["text"] for variant in english}
        text = french[0]["text"]
        assert set(NUMBER.findall(text)) >= set(NUMBER.findall(english_text)), response
        assert ("{services}" in text) == ("{services}" in english_text), response
        english_payloads = [b["payload"] for b in english[0].get("buttons") or []]
        assert [b["payload"] for b in french[0].get("buttons") or []] == english_payloads, response


def test_services_on_french_paths_need_french_lines(root):
    gazetteer = load_gazetteer(root / "data/referrals/places.yml")
    raw = yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))
    hotline = next(e for e in raw["services"] if e["id"] == "canadian_human_trafficking_hotline")
    del hotline["about_fr"], hotline["note_fr"]
    problems = check_directory(raw, gazetteer.region_ids)
    assert any("'about_fr' is missing" in p for p in problems)
    assert any("'note_fr' is missing" in p for p in problems)


def test_unconfirmed_hours_stay_hidden_in_french(root):
    from actions.context import referral_data

    for service in referral_data().directory.services:
        line = format_service(service, "rest", "fr")
        assert "unconfirmed" not in line.lower(), service.id


def rendered(domain, message, slots):
    """The text a person reads: the most specific variation for the slots, with the services."""
    [variation, *_] = candidates(domain["responses"], message["response"], "rest", slots)
    return variation["text"].replace("{services}", message.get("services") or "")


ACTIONS = [
    ActionReferTrafficking,
    ActionGiveOctipContact,
    ActionReferSexWorkerSupport,
    ActionReferYouthSupport,
    ActionExplainReporting,
    ActionGiveEmergencyHelp,
]


async def run_action(action, make_tracker, domain, slots, text="aide"):
    dispatcher = CollectingDispatcher()
    await action().run(dispatcher, make_tracker(text, slots=slots), domain)
    return [rendered(domain, message, slots) for message in dispatcher.messages]


@pytest.mark.parametrize("action", ACTIONS, ids=lambda a: a().name())
@pytest.mark.parametrize("location", [None, "Vancouver", "Victoria", "Prince George", "Toronto"])
async def test_a_french_conversation_gets_french_referral_text_with_the_english_numbers(
    make_tracker, domain, action, location
):
    english = await run_action(action, make_tracker, domain, {"location": location})
    slots = {"location": location, "language": "fr"}
    french = await run_action(action, make_tracker, domain, slots)
    assert len(french) == len(english)
    for french_text, english_text in zip(french, english, strict=True):
        assert french_text != english_text
        assert set(NUMBER.findall(french_text)) >= set(NUMBER.findall(english_text))
        assert_french(french_text)


async def test_a_french_sex_worker_with_no_local_group_is_told_so_in_french(make_tracker, domain):
    slots = {"location": "Prince George", "language": "fr"}
    [text, *_] = await run_action(
        ActionReferSexWorkerSupport, make_tracker, domain, slots, "un client m'a frappee"
    )
    assert text.startswith("Je ne connais pas de groupe de travailleuses ou travailleurs du sexe")
    assert "Pour avertir les autres travailleuses et travailleurs du sexe" in text


async def test_a_french_minor_asking_for_sex_worker_support_gets_the_french_youth_lines(
    make_tracker, domain
):
    slots = {"language": "fr", "is_minor": True, "location": "Vancouver"}
    texts = await run_action(ActionReferSexWorkerSupport, make_tracker, domain, slots)
    text = "\n".join(texts)
    assert text.startswith("Si vous avez moins de 18 ans, ce n'est pas votre faute")
    assert "textez CONNECT au 686868" in text and "310-1234" in text
    for adult in ("travail du sexe", "travailleuse", "Peers", "SWAN", "WISH", "Bad Date"):
        assert adult not in text, adult


async def test_a_french_minor_gets_the_french_youth_lines_after_other_referrals(
    make_tracker, domain
):
    slots = {"language": "fr", "is_minor": True, "location": "Vancouver"}
    texts = await run_action(ActionReferTrafficking, make_tracker, domain, slots)
    assert texts[0].startswith("Vous n'êtes pas seul.")
    assert texts[1].startswith("Moins de 18 ans ? Kids Help Phone")
