"""A person under 18 never gets the adult sex-worker services, through run() on real trackers."""

from __future__ import annotations

import pytest
from rasa_sdk.events import SlotSet

from actions.referrals import (
    ActionExplainReporting,
    ActionGiveEmergencyHelp,
    ActionReferSexWorkerSupport,
    ActionReferTrafficking,
    ActionUpdateReferral,
)

YOUTH_CONTACTS = ("Kids Help Phone", "1-800-668-6868", "text CONNECT to 686868")
BC_HELPLINE = "310-1234"
ADULT_ONLY = ("Peers", "SWAN", "WISH", "Bad Date", "Butterfly")


def assert_youth_services(message, in_bc=True):
    assert message["response"] == "utter_referral_youth"
    assert (BC_HELPLINE in message["services"]) == in_bc, "the Helpline for Children is BC only"
    for contact in YOUTH_CONTACTS:
        assert contact in message["services"]
    for name in ADULT_ONLY:
        assert name not in message["services"]


@pytest.mark.parametrize("place", ["Vancouver", "Victoria", "Calgary", None])
async def test_a_minor_asking_for_sex_worker_support_gets_youth_services(
    place, dispatcher, make_tracker, domain
):
    tracker = make_tracker(
        "im 17 and do sugar dating, who can help",
        slots={"is_minor": True, "location": place},
    )
    events = await ActionReferSexWorkerSupport().run(dispatcher, tracker, domain)
    assert_youth_services(dispatcher.messages[0], in_bc=place != "Calgary")
    assert SlotSet("need", "youth") in events
    assert all(m.get("response") != "utter_ask_location" for m in dispatcher.messages)


async def test_online_pressure_brings_cybertip(dispatcher, make_tracker, domain):
    tracker = make_tracker("a guy online wants pics, im 15", slots={"is_minor": True})
    await ActionReferSexWorkerSupport().run(dispatcher, tracker, domain)
    assert "Cybertip" in dispatcher.messages[0]["services"]


async def test_a_place_given_later_keeps_the_youth_services(dispatcher, make_tracker, domain):
    tracker = make_tracker(
        "Vancouver", slots={"is_minor": True, "need": "sex_workers", "location": "Vancouver"}
    )
    await ActionUpdateReferral().run(dispatcher, tracker, domain)
    assert_youth_services(dispatcher.messages[0])


async def test_an_adult_still_gets_sex_worker_services(dispatcher, make_tracker, domain):
    tracker = make_tracker("I'm an escort, any peer support?", slots={"location": "Vancouver"})
    await ActionReferSexWorkerSupport().run(dispatcher, tracker, domain)
    assert dispatcher.messages[0]["response"] == "utter_referral_sex_workers"
    assert "SWAN" in dispatcher.messages[0]["services"]


@pytest.mark.parametrize(
    "action", [ActionReferTrafficking, ActionExplainReporting, ActionGiveEmergencyHelp]
)
async def test_every_other_referral_for_a_minor_ends_with_the_youth_lines(
    action, dispatcher, make_tracker, domain
):
    tracker = make_tracker("my niece is 16 and a man is selling her", slots={"is_minor": True})
    await action().run(dispatcher, tracker, domain)
    assert dispatcher.messages[-1]["response"] == "utter_youth_lines"
    youth_lines = domain["responses"]["utter_youth_lines"][0]["text"]
    for contact in (*YOUTH_CONTACTS, BC_HELPLINE):
        assert contact in youth_lines


@pytest.mark.parametrize("action", [ActionReferTrafficking, ActionExplainReporting])
async def test_a_trafficking_or_reporting_list_ends_with_the_youth_lines_for_anyone(
    action, dispatcher, make_tracker, domain
):
    # a young person often gives no sign of their age
    await action().run(dispatcher, make_tracker("he keeps my passport"), domain)
    assert dispatcher.messages[-1]["response"] == "utter_youth_lines"


async def test_an_adult_sex_worker_referral_has_no_youth_lines(dispatcher, make_tracker, domain):
    tracker = make_tracker("I'm an escort, any peer support?", slots={"location": "Vancouver"})
    await ActionReferSexWorkerSupport().run(dispatcher, tracker, domain)
    assert all(m.get("response") != "utter_youth_lines" for m in dispatcher.messages)


@pytest.mark.parametrize(
    "text",
    [
        "a much older guy from my school keeps picking me up and he says i owe him",
        "she lives in a group home and a man drives her to other cities",
        "un gars plus vieux que moi garde mon argent",
        "my little sister stays at his place and he takes her phone",
        "my parents dont know and he says i owe him for the room",
    ],
)
async def test_signs_of_youth_short_of_an_age_add_the_youth_lines(
    text, dispatcher, make_tracker, domain
):
    await ActionReferTrafficking().run(dispatcher, make_tracker(text), domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_referral_trafficking", "nothing is taken away"
    assert "utter_youth_lines" in responses


async def test_pictures_and_a_minor_bring_cybertip_after_the_youth_lines(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker(
        "my 15 year old is being pushed to send pics to a man", slots={"is_minor": True}
    )
    await ActionExplainReporting().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses.index("utter_youth_lines") < responses.index("utter_referral_images")
    [images] = [m for m in dispatcher.messages if m["response"] == "utter_referral_images"]
    assert "Cybertip.ca" in images["services"] and "1-866-658-9022" in images["services"]


async def test_an_adult_who_mentions_pictures_does_not_get_cybertip(
    dispatcher, make_tracker, domain
):
    text = "my boss says he will post my pics if i quit"
    await ActionReferTrafficking().run(dispatcher, make_tracker(text), domain)
    assert "utter_referral_images" not in [m["response"] for m in dispatcher.messages]
