"""After an FAQ answer about the person's own situation: a short way to reach help."""

from __future__ import annotations

import pytest

from actions.follow_up import RESPONSE, TOPIC_NEEDS, YOUTH_LINES_IN_ANSWER, ActionOfferHelp

YOUTH_NUMBER = "1-800-668-6868"
OCTIP_NUMBER = "1-888-712-7974"
VICTIMLINK_NUMBER = "1-800-563-0808"


def faq_tracker(make_tracker, topic: str, text: str = "a question", slots=None):
    tracker = make_tracker(text, intent="faq", slots=slots)
    tracker.latest_message["response_selector"] = {
        "faq": {"response": {"intent_response_key": f"faq/{topic}", "confidence": 0.9}}
    }
    return tracker


async def offer(dispatcher, tracker, domain):
    events = await ActionOfferHelp().run(dispatcher, tracker, domain)
    return events, dispatcher.messages


def test_every_faq_topic_has_the_services_that_fit_it(root):
    topics = {path.stem for path in (root / "data/faq").glob("*.yml")}
    assert set(TOPIC_NEEDS) == topics


async def test_a_sex_worker_asking_about_the_law_gets_services_for_sex_workers(
    dispatcher, make_tracker, domain
):
    tracker = faq_tracker(make_tracker, "sex_work_legality_canada", slots={"location": "Victoria"})
    events, [message] = await offer(dispatcher, tracker, domain)
    assert message["response"] == RESPONSE
    assert "Peers Victoria" in message["services"]
    assert OCTIP_NUMBER not in message["services"]
    assert {"event": "slot", "name": "need", "value": "sex_workers", "timestamp": None} in events


async def test_a_question_about_trafficking_gets_the_trafficking_lines(
    dispatcher, make_tracker, domain
):
    tracker = faq_tracker(make_tracker, "signs_of_trafficking")
    _, [message] = await offer(dispatcher, tracker, domain)
    assert OCTIP_NUMBER in message["services"]


def marked(tracker, *entities):
    tracker.latest_message["entities"] = [
        {"entity": name, "value": value, "start": 0, "end": 1} for name, value in entities
    ]
    return tracker


async def test_a_question_that_tells_of_control_gets_the_trafficking_lines_on_any_topic(
    dispatcher, make_tracker, domain
):
    text = "my husband's uncle takes all my pay, is that against the law"
    tracker = marked(
        faq_tracker(
            make_tracker, "canadian_trafficking_laws", text, slots={"location": "Victoria"}
        ),
        ("situation", "control"),
    )
    events, [message, *_] = await offer(dispatcher, tracker, domain)
    assert OCTIP_NUMBER in message["services"]
    assert "Peers Victoria" not in message["services"]
    assert {"event": "slot", "name": "need", "value": "trafficking", "timestamp": None} in events


@pytest.mark.parametrize(
    ("topic", "said"),
    [
        ("sex_work_legality_canada", ()),
        ("harms_of_conflation", ()),
        ("canadian_trafficking_laws", (("sex_work", "self"),)),
    ],
)
async def test_control_told_on_a_sex_work_topic_or_by_a_sex_worker_adds_one_sex_worker_group(
    dispatcher, make_tracker, domain, topic, said
):
    text = "my manager keeps half and fines us, is that legal"
    tracker = marked(
        faq_tracker(make_tracker, topic, text, slots={"location": "Victoria"}),
        ("situation", "control"),
        *said,
    )
    _, [message, *_] = await offer(dispatcher, tracker, domain)
    assert message["services"].index(OCTIP_NUMBER) < message["services"].index("Peers Victoria")


async def test_a_sex_worker_who_tells_of_control_without_a_place_is_asked_for_it(
    dispatcher, make_tracker, domain
):
    text = "my manager keeps half and fines us, is that legal"
    tracker = marked(
        faq_tracker(make_tracker, "sex_work_legality_canada", text),
        ("situation", "control"),
        ("sex_work", "self"),
    )
    _, [message, asked] = await offer(dispatcher, tracker, domain)
    assert OCTIP_NUMBER in message["services"]
    assert asked["response"] == "utter_ask_location"


async def test_a_young_person_who_tells_of_control_still_gets_the_youth_lines(
    dispatcher, make_tracker, domain
):
    tracker = marked(
        faq_tracker(make_tracker, "sex_work_legality_canada", slots={"is_minor": True}),
        ("situation", "control"),
    )
    _, [message, *_] = await offer(dispatcher, tracker, domain)
    assert YOUTH_NUMBER in message["services"]
    assert OCTIP_NUMBER not in message["services"]


async def test_without_a_place_it_asks_once_when_local_groups_would_help(
    dispatcher, make_tracker, domain
):
    tracker = faq_tracker(make_tracker, "what_is_sex_work")
    events, messages = await offer(dispatcher, tracker, domain)
    assert [m["response"] for m in messages] == [RESPONSE, "utter_ask_location"]
    assert VICTIMLINK_NUMBER in messages[0]["services"]
    asked = faq_tracker(make_tracker, "what_is_sex_work", slots={"location_asked": True})
    dispatcher.messages.clear()
    _, again = await offer(dispatcher, asked, domain)
    assert [m["response"] for m in again] == [RESPONSE]


@pytest.mark.parametrize("topic", sorted(set(TOPIC_NEEDS) - YOUTH_LINES_IN_ANSWER))
async def test_someone_under_18_always_gets_the_youth_lines(
    dispatcher, make_tracker, domain, topic
):
    tracker = faq_tracker(make_tracker, topic, slots={"is_minor": True})
    _, [message, *_] = await offer(dispatcher, tracker, domain)
    assert YOUTH_NUMBER in message["services"]
    assert "sex worker" not in message["services"].lower()


@pytest.mark.parametrize("topic", sorted(YOUTH_LINES_IN_ANSWER))
async def test_the_youth_answer_is_not_followed_by_the_lines_it_already_gives(
    dispatcher, make_tracker, domain, topic
):
    youth_answer = next(
        v["text"]
        for v in domain["responses"][f"utter_faq/{topic}"]
        if {"name": "is_minor", "type": "slot", "value": True} in (v.get("condition") or [])
        and len(v["condition"]) == 1
    )
    assert YOUTH_NUMBER in youth_answer
    tracker = faq_tracker(make_tracker, topic, slots={"is_minor": True})
    _, messages = await offer(dispatcher, tracker, domain)
    assert messages == []
    pictures = faq_tracker(
        make_tracker, topic, "he says he'll post my nudes", slots={"is_minor": True}
    )
    dispatcher.messages.clear()
    _, [message] = await offer(dispatcher, pictures, domain)
    assert "Cybertip" in message.get("services", "")


async def test_a_french_conversation_gets_the_french_lines(dispatcher, make_tracker, domain):
    tracker = faq_tracker(make_tracker, "signs_of_trafficking", slots={"language": "fr"})
    _, [message, *_] = await offer(dispatcher, tracker, domain)
    french = [
        v
        for v in domain["responses"][RESPONSE]
        if (v.get("condition") or [{}])[0].get("value") == "fr"
    ]
    assert french and OCTIP_NUMBER in message["services"]


async def test_without_an_faq_answer_nothing_is_added(dispatcher, make_tracker, domain):
    tracker = make_tracker("hello", intent="greet")
    events, messages = await offer(dispatcher, tracker, domain)
    assert events == [] and messages == []


async def test_a_young_person_who_tells_of_pictures_also_gets_cybertip(
    dispatcher, make_tracker, domain
):
    tracker = faq_tracker(
        make_tracker,
        "sex_work_legality_canada",
        text="someone has my nudes and says they will post them",
        slots={"is_minor": True},
    )
    _, messages = await offer(dispatcher, tracker, domain)
    assert messages[0]["response"] == RESPONSE and YOUTH_NUMBER in messages[0]["services"]
    assert sum("Cybertip" in (m.get("services") or "") for m in messages) == 1
