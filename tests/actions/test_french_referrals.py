"""The danger, youth and help paths list their services in French when the conversation is
in French, through run() on real trackers; contacts come from the one directory."""

from __future__ import annotations

import re

import pytest
import yaml

from actions.directory import check_directory
from actions.formatting import format_service
from actions.places import load_gazetteer
from actions.referrals import (
    ActionGiveEmergencyHelp,
    ActionReferTrafficking,
    ActionReferYouthSupport,
)

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


@pytest.mark.parametrize(
    "response",
    [
        "utter_emergency",
        "utter_referral_emergency",
        "utter_referral_trafficking",
        "utter_referral_youth",
        "utter_youth_lines",
        "utter_youth_info",
        "utter_help_offline",
    ],
)
def test_each_french_path_response_has_one_french_variation(domain, response):
    french = [
        variant
        for variant in domain["responses"][response]
        if variant.get("condition") == [{"type": "slot", "name": "language", "value": "fr"}]
    ]
    assert len(french) == 1
    english = next(v for v in domain["responses"][response] if not v.get("condition"))
    assert set(NUMBER.findall(french[0]["text"])) >= set(NUMBER.findall(english["text"]))
    assert ("{services}" in french[0]["text"]) == ("{services}" in english["text"])


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
