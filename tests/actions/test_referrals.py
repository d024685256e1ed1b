"""Help actions choose services by need and place, through run() on real trackers."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.referrals import (
    ActionExplainReporting,
    ActionGiveEmergencyHelp,
    ActionGiveOctipContact,
    ActionReferSexWorkerSupport,
    ActionReferTrafficking,
    ActionReferYouthSupport,
    ActionUpdateReferral,
)

PLACES = {"bc_city": "Victoria", "other_province": "Calgary", "unknown": "Atlantis", "none": None}
HOTLINE = "1-833-900-1010"
OCTIP = "1-888-712-7974"


async def run(action, dispatcher, tracker, domain):
    events = await action.run(dispatcher, tracker, domain)
    first = dispatcher.messages[0]
    return first, events


def listed(message) -> str:
    return message.get("services", "")


@pytest.mark.parametrize("place", PLACES)
async def test_trafficking_help(place, dispatcher, make_tracker, domain):
    tracker = make_tracker("someone took my passport", slots={"location": PLACES[place]})
    message, events = await run(ActionReferTrafficking(), dispatcher, tracker, domain)
    assert message["response"] == "utter_referral_trafficking"
    assert HOTLINE in listed(message)
    if place == "other_province":
        assert OCTIP not in listed(message), "BC-only OCTIP shown outside BC"
        assert "VictimLinkBC" not in listed(message)
    else:
        assert listed(message).index(OCTIP) < listed(message).index(HOTLINE)
    assert SlotSet("need", "trafficking") in events


@pytest.mark.parametrize("place", PLACES)
async def test_sex_worker_support_never_leads_with_police(place, dispatcher, make_tracker, domain):
    tracker = make_tracker("a bad date hurt me", slots={"location": PLACES[place]})
    message, _ = await run(ActionReferSexWorkerSupport(), dispatcher, tracker, domain)
    text = listed(message)
    assert "911" not in text and "Crime Stoppers" not in text
    assert "PACE" not in text and "Butterfly" not in text
    if place == "bc_city":
        assert text.index("Peers Victoria") < text.index("VictimLinkBC")
        assert "SWAN" not in text, "a Lower Mainland service shown in Victoria"
        assert "Bad Date" in text, "violence was mentioned"
    if place == "other_province":
        assert message["response"] == "utter_referral_sex_workers_elsewhere"
        assert HOTLINE in text and "Peers" not in text and "Bad Date" not in text
    if place in ("unknown", "none"):
        assert "Peers" not in text and "SWAN" not in text
        assert "VictimLinkBC" in text


async def test_bad_date_reporting_only_when_violence_is_mentioned(dispatcher, make_tracker, domain):
    tracker = make_tracker("I'm an escort, any peer support?", slots={"location": "Vancouver"})
    message, _ = await run(ActionReferSexWorkerSupport(), dispatcher, tracker, domain)
    assert "Bad Date" not in listed(message)
    assert "SWAN" in listed(message) and "WISH" in listed(message)


async def test_sex_worker_support_asks_for_the_place_once(dispatcher, make_tracker, domain):
    tracker = make_tracker("I do sex work, where can I get support")
    _, events = await run(ActionReferSexWorkerSupport(), dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["response"] == "utter_ask_location"
    assert SlotSet("location_asked", True) in events

    asked = make_tracker("more support please", slots={"location_asked": True})
    dispatcher.messages.clear()
    await ActionReferSexWorkerSupport().run(dispatcher, asked, domain)
    assert all(m["response"] != "utter_ask_location" for m in dispatcher.messages)


async def test_trafficking_help_does_not_ask_for_the_place(dispatcher, make_tracker, domain):
    await ActionReferTrafficking().run(dispatcher, make_tracker("help"), domain)
    assert all(m["response"] != "utter_ask_location" for m in dispatcher.messages)


@pytest.mark.parametrize("place", PLACES)
async def test_youth_support(place, dispatcher, make_tracker, domain):
    tracker = make_tracker("I'm 15 and need help", slots={"location": PLACES[place]})
    message, _ = await run(ActionReferYouthSupport(), dispatcher, tracker, domain)
    text = listed(message)
    assert "Kids Help Phone" in text and "1-800-668-6868" in text
    assert "sex work" not in text.lower()
    if place == "other_province":
        assert "310-1234" not in text
    else:
        assert "310-1234" in text


@pytest.mark.parametrize("place", PLACES)
async def test_reporting(place, dispatcher, make_tracker, domain):
    tracker = make_tracker("I want to report my neighbour", slots={"location": PLACES[place]})
    message, _ = await run(ActionExplainReporting(), dispatcher, tracker, domain)
    text = listed(message)
    assert HOTLINE in text and "1-800-222-8477" in text
    assert text.index(HOTLINE) < text.index("1-800-222-8477")


@pytest.mark.parametrize("place", PLACES)
async def test_octip_contact(place, dispatcher, make_tracker, domain):
    tracker = make_tracker("octip phone number", slots={"location": PLACES[place]})
    message, _ = await run(ActionGiveOctipContact(), dispatcher, tracker, domain)
    if place == "other_province":
        assert message["response"] == "utter_referral_elsewhere"
        assert OCTIP not in listed(message) and HOTLINE in listed(message)
    else:
        assert OCTIP in listed(message)


async def test_emergency_adds_to_the_static_911_message(dispatcher, make_tracker, domain):
    message, _ = await run(
        ActionGiveEmergencyHelp(), dispatcher, make_tracker("he's going to kill me"), domain
    )
    text = listed(message)
    assert "911" not in text and HOTLINE not in text, "already in utter_emergency"
    assert "VictimLinkBC" in text
    emergency = domain["responses"]["utter_emergency"][0]["text"]
    assert emergency.index("911") < emergency.index(HOTLINE)


async def test_naming_a_place_updates_the_last_referral(dispatcher, make_tracker, domain):
    tracker = make_tracker(
        "Victoria", slots={"need": "sex_workers", "location": "Victoria", "location_asked": True}
    )
    message, events = await run(ActionUpdateReferral(), dispatcher, tracker, domain)
    assert message["response"] == "utter_referral_sex_workers"
    assert "Peers Victoria" in listed(message)
    assert SlotSet("location_asked", True) in events


async def test_an_unknown_place_is_said_plainly(dispatcher, make_tracker, domain):
    tracker = make_tracker("Atlantis", slots={"need": "trafficking", "location": "Atlantis"})
    await ActionUpdateReferral().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_location_unknown"
    assert HOTLINE in dispatcher.messages[1]["services"]


async def test_a_place_without_a_need_asks_what_help(dispatcher, make_tracker, domain):
    await ActionUpdateReferral().run(
        dispatcher, make_tracker("Surrey", slots={"location": "Surrey"}), domain
    )
    assert dispatcher.messages[-1]["response"] == "utter_location_noted"


async def test_every_referral_response_exists_with_a_services_placeholder(domain):
    for need in ("trafficking", "octip", "sex_workers", "youth", "reporting", "emergency"):
        text = domain["responses"][f"utter_referral_{need}"][0]["text"]
        assert "{services}" in text


async def test_web_lists_bold_names_and_sms_plain(dispatcher, make_tracker, domain):
    await ActionReferTrafficking().run(dispatcher, make_tracker("help", channel="rest"), domain)
    assert "**Canadian Human Trafficking Hotline**" in dispatcher.messages[0]["services"]
    dispatcher.messages.clear()
    await ActionReferTrafficking().run(dispatcher, make_tracker("help", channel="twilio"), domain)
    assert "**" not in dispatcher.messages[0]["services"]
