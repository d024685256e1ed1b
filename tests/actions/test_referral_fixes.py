"""Referral fixes from the content review: what each list says, and that no list is ever empty."""

from __future__ import annotations

import re

import pytest
import yaml

from actions.context import VIOLENCE, conditions
from actions.directory import NEEDS
from actions.referrals import ActionUpdateReferral, ReferralAction

HOTLINE = "1-833-900-1010"
ACTIONS = {action.need: action for action in ReferralAction.__subclasses__()}
# BC places with and without local services, the whole province, Yukon, other provinces,
# "outside BC", a place the assistant does not know, and no place at all.
PLACES = [
    "Vancouver",
    "Surrey",
    "Victoria",
    "Prince George",
    "Kelowna",
    "BC",
    "Whitehorse",
    "Calgary",
    "Toronto",
    "outside BC",
    "Atlantis",
    None,
]


def test_every_need_has_its_action():
    assert set(ACTIONS) == set(NEEDS)


def rendered(message, domain) -> str:
    """The text the person reads: the domain's response filled in as Rasa does."""
    template = domain["responses"][message["response"]][0]["text"]
    return template.format(services=message.get("services", ""))


def assert_no_dead_end(text: str) -> None:
    lines = text.split("\n")
    for index, line in enumerate(lines):
        if line.rstrip().endswith(":"):
            following = lines[index + 1] if index + 1 < len(lines) else ""
            assert following.startswith("•"), f"a colon followed by nothing: {text!r}"
    assert re.search(r"\b911\b|\d-\d{3}-\d{3}-\d{4}|\d{3}-\d{4}|[\w.-]+\.(ca|net|org)\b", text)


async def referral(need, dispatcher, make_tracker, domain, text="help", place=None, slots=None):
    tracker = make_tracker(text, slots={"location": place, **(slots or {})})
    await ACTIONS[need]().run(dispatcher, tracker, domain)
    return dispatcher.messages[0]


@pytest.mark.parametrize("text", ["i need help", "a client assaulted me"])
@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("need", ACTIONS)
async def test_every_need_and_place_ends_in_a_way_to_reach_help(
    need, place, text, dispatcher, make_tracker, domain
):
    message = await referral(need, dispatcher, make_tracker, domain, text, place)
    template = domain["responses"][message["response"]][0]["text"]
    if "{services}" in template:
        assert message["services"].startswith("•"), "a list response with an empty list"
    assert_no_dead_end(rendered(message, domain))


@pytest.mark.parametrize("need", ACTIONS)
async def test_no_empty_list_even_when_nothing_in_the_directory_covers_the_place(
    need, dispatcher, make_tracker, domain, root, tmp_path, monkeypatch
):
    raw = yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))
    raw["services"] = [s for s in raw["services"] if s["coverage"] != "canada"]
    stripped = tmp_path / "services.yml"
    stripped.write_text(yaml.safe_dump(raw), encoding="utf-8")
    monkeypatch.setenv("REFERRAL_DIRECTORY", str(stripped))
    message = await referral(need, dispatcher, make_tracker, domain, place="Calgary")
    assert message["response"] == "utter_referral_none"
    text = rendered(message, domain)
    assert_no_dead_end(text)
    assert HOTLINE in text and "911" in text, "the static lines reach people outside BC"


async def test_emergency_outside_bc_is_not_an_empty_list(dispatcher, make_tracker, domain):
    message = await referral("emergency", dispatcher, make_tracker, domain, place="outside BC")
    text = rendered(message, domain)
    assert "you can reach:\n" not in text and not text.rstrip().endswith(":")
    assert HOTLINE in text


@pytest.mark.parametrize(
    ("need", "place", "service", "about"),
    [
        ("reporting", "Vancouver", "Crime Stoppers", "cannot report their own case anonymously"),
        ("reporting", "Vancouver", "Helpline for Children", "For reporting a child"),
        ("youth", "Victoria", "Helpline for Children", "For reporting a child"),
        ("sex_workers", "Surrey", "SWAN", "migrant and immigrant women in indoor sex work"),
        ("trafficking", "Vancouver", "OCTIP", "supports police and prosecutors"),
        ("octip", None, "OCTIP", "supports police and prosecutors"),
    ],
)
async def test_about_line_is_shown_where_it_changes_the_choice(
    need, place, service, about, dispatcher, make_tracker, domain
):
    message = await referral(need, dispatcher, make_tracker, domain, place=place)
    line = next(line for line in message["services"].splitlines() if service in line)
    assert about in line


async def test_a_short_list_for_sms_still_fits(dispatcher, make_tracker, domain):
    tracker = make_tracker("sex worker support", slots={"location": "Victoria"}, channel="twilio")
    await ACTIONS["sex_workers"]().run(dispatcher, tracker, domain)
    for line in dispatcher.messages[0]["services"].splitlines():
        assert len(line) <= 320, line


@pytest.mark.parametrize("place", ["Prince George", "Kelowna", "BC", "Whitehorse"])
async def test_sex_worker_in_a_place_without_local_service(place, dispatcher, make_tracker, domain):
    message = await referral(
        "sex_workers", dispatcher, make_tracker, domain, "i do sex work", place
    )
    assert message["response"] == "utter_referral_sex_workers_none_local"
    assert "I don't know of a sex-worker group in your area" in rendered(message, domain)
    assert "VictimLinkBC" in message["services"]
    assert "OCTIP" not in message["services"] and HOTLINE not in message["services"]


@pytest.mark.parametrize("place", ["Calgary", "Toronto", "outside BC"])
async def test_sex_worker_outside_bc_is_told_plainly(place, dispatcher, make_tracker, domain):
    message = await referral(
        "sex_workers", dispatcher, make_tracker, domain, "i do sex work", place
    )
    text = rendered(message, domain)
    assert message["response"] == "utter_referral_sex_workers_elsewhere"
    assert "I don't know of a sex-worker group where you are" in text
    assert "911" in text and "forcing or controlling" in text
    assert "OCTIP" not in text


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", ["i do sex work", "a bad date hurt me"])
async def test_sex_worker_lists_never_hold_only_trafficking_services(
    place, text, dispatcher, make_tracker, domain
):
    message = await referral("sex_workers", dispatcher, make_tracker, domain, text, place)
    if message["response"] == "utter_referral_sex_workers_elsewhere":
        return  # outside BC: said plainly, the hotline offered only for force or control
    names = message["services"]
    assert "OCTIP" not in names and HOTLINE not in names
    assert "VictimLinkBC" in names or "Peers" in names or "SWAN" in names


@pytest.mark.parametrize("place", PLACES)
@pytest.mark.parametrize("text", ["i do sex work", "a bad date hurt me"])
async def test_peer_groups_first_is_said_only_when_one_is_listed_first(
    place, text, dispatcher, make_tracker, domain
):
    message = await referral("sex_workers", dispatcher, make_tracker, domain, text, place)
    if "Peer and community groups are listed first" in rendered(message, domain):
        first = message["services"].splitlines()[0]
        assert any(name in first for name in ("Peers", "SWAN", "WISH", "Bad Date")), first


def violent_examples(root):
    raw = yaml.safe_load((root / "data/nlu/request_sex_worker_support.yml").read_text())
    examples = [
        line[2:].strip()
        for block in raw["nlu"]
        if block.get("intent") == "request_sex_worker_support"
        for line in block["examples"].splitlines()
        if line.strip()
    ]
    return examples


VIOLENT = [
    "a client hit me, where can i get help",
    "the john wouldn't pay and got rough with me",
    "i do cam work and a guy is threatening to leak my face",
    "a regular client is stalking me",
    "a client took the condom off without asking, what can i do",
    "i was assaulted by a john but i dont want to call the police",
    "sugar daddy got aggressive with me, where can i get help",
    "how can I warn the other girls about a dangerous client?",
    "a date robbed me after",
    "my friend is an escort and got hurt by a client, where can she get support",
    "a trick pulled a knife on me last week, who do i tell that isnt cops",
]


def test_the_violent_examples_are_the_projects_own(root):
    assert set(VIOLENT) <= set(violent_examples(root))


@pytest.mark.parametrize("text", VIOLENT)
async def test_every_violent_sex_worker_example_gets_bad_date_and_the_911_choice(
    text, dispatcher, make_tracker, domain
):
    message = await referral("sex_workers", dispatcher, make_tracker, domain, text, "Victoria")
    assert "Bad Date" in message["services"]
    responses = [m["response"] for m in dispatcher.messages]
    assert "utter_referral_sex_workers_violence" in responses
    choice = domain["responses"]["utter_referral_sex_workers_violence"][0]["text"]
    assert "911" in choice and "choice" in choice


@pytest.mark.parametrize(
    "text",
    [
        "he assaulted me",
        "a client has been stalking me",
        "he stalked me home",
        "the guy got aggressive",
        "a dangerous client",
        "he removed the condom without consent",
        "a client was stealthing",
        "how do i warn the other girls about this guy",
        "he grabbed my arm and wouldn't let me leave",
        "a client recorded me without asking",
        "some creep keeps harassing me online",
        "he doxxed me",
        "i think he spiked my drink",
        "un client me harcèle",
    ],
)
def test_violence_words(text):
    assert VIOLENCE.search(text)


@pytest.mark.parametrize(
    "text",
    [
        "im a SW looking for peer support",
        "housing help for sex workers",
        "my landlord is pushing me to move out, help for sex workers?",
        "i want to leave the industry and find other work",
    ],
)
async def test_no_bad_date_or_911_line_without_violence(text, dispatcher, make_tracker, domain):
    message = await referral("sex_workers", dispatcher, make_tracker, domain, text, "Victoria")
    assert "Bad Date" not in message["services"]
    assert all(m["response"] != "utter_referral_sex_workers_violence" for m in dispatcher.messages)


async def test_violence_said_before_the_place_still_counts(dispatcher, make_tracker, domain):
    earlier = [{"event": "user", "text": "a client choked me last night"}]
    tracker = make_tracker(
        "Victoria",
        slots={"need": "sex_workers", "location": "Victoria", "location_asked": True},
        events=earlier,
    )
    assert "violence" in conditions(tracker)
    await ActionUpdateReferral().run(dispatcher, tracker, domain)
    assert "Bad Date" in dispatcher.messages[0]["services"]


def test_referral_wording_says_only_what_the_facts_support(domain):
    responses = domain["responses"]
    texts = {name: variants[0]["text"] for name, variants in responses.items()}
    everything = "\n".join(texts.values())
    assert "free and confidential" not in texts["utter_referral_trafficking"]
    assert "that is trafficking" not in everything
    assert "come first" not in everything
    for name, text in texts.items():
        if name.startswith("utter_referral_sex_workers") and name.endswith(("workers", "local")):
            assert "can be trafficking" in text


def test_temporary_resident_permit_is_described_accurately(domain):
    text = domain["responses"]["utter_what_happens"][0]["text"]
    for words in ("may be able to", "foreign national", "180 days", "renewed"):
        assert words in text
    assert "special permit" not in text


def said_sex_work(text: str, value: str = "self") -> dict:
    """A user event as the Rasa server stores it once the safety gate marked sex work."""
    entity = {"entity": "sex_work", "value": value, "start": 0, "end": len(text)}
    return {"event": "user", "text": text, "parse_data": {"text": text, "entities": [entity]}}


async def emergency_replies(dispatcher, make_tracker, domain, earlier, text, slots=None):
    tracker = make_tracker(text, intent="emergency", slots=slots, events=earlier)
    await ACTIONS["emergency"]().run(dispatcher, tracker, domain)
    return dispatcher.messages


async def test_an_adult_sex_worker_hurt_now_also_gets_bad_date_reporting_after_911(
    dispatcher, make_tracker, domain
):
    earlier = [said_sex_work("i see clients at my place")]
    replies = await emergency_replies(
        dispatcher, make_tracker, domain, earlier, "he is choking me", {"location": "Victoria"}
    )
    [bad_date] = [m for m in replies if m["response"] == "utter_referral_bad_date"]
    assert "Bad Date" in bad_date["services"]
    assert "police" in domain["responses"]["utter_referral_bad_date"][0]["text"]


async def test_a_client_named_in_danger_with_violence_brings_bad_date_reporting(
    dispatcher, make_tracker, domain
):
    replies = await emergency_replies(
        dispatcher, make_tracker, domain, [], "the client is choking me", {"location": "Surrey"}
    )
    assert any(m["response"] == "utter_referral_bad_date" for m in replies)


@pytest.mark.parametrize(
    "text",
    [
        "the guy who booked me has a knife and wont let me leave",
        "on an outcall and he is hitting me",
        "my new regular is choking me",
        "the punter grabbed my throat and locked the door",
    ],
)
async def test_a_client_in_sex_workers_own_words_brings_bad_date_reporting(
    text, dispatcher, make_tracker, domain
):
    replies = await emergency_replies(dispatcher, make_tracker, domain, [], text, {})
    assert any(m["response"] == "utter_referral_bad_date" for m in replies)


async def test_someone_who_sells_sex_and_tells_of_control_also_gets_sex_worker_groups(
    dispatcher, make_tracker, domain
):
    earlier = [said_sex_work("i do escorting and my manager takes half")]
    tracker = make_tracker(
        "he keeps my id", intent="request_help_trafficking", slots={"location": "Vancouver"}
    )
    tracker.events[:0] = earlier
    await ACTIONS["trafficking"]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_referral_trafficking"
    [too] = [m for m in dispatcher.messages if m["response"] == "utter_referral_sex_workers_too"]
    trafficking_list = dispatcher.messages[0]["services"]
    assert too["services"] and all(
        line not in trafficking_list for line in too["services"].split("\n")
    )


async def test_without_a_place_every_sex_worker_group_is_listed_and_the_place_not_asked(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker("he keeps my id", intent="request_help_trafficking")
    tracker.events[:0] = [said_sex_work("i do escorting and my manager takes half")]
    await ACTIONS["trafficking"]().run(dispatcher, tracker, domain)
    [too] = [m for m in dispatcher.messages if m["response"] == "utter_referral_sex_workers_too"]
    for group in ("Peers Victoria", "SWAN Vancouver", "WISH"):
        assert group in too["services"]
    assert "Victoria" in too["services"] and "Lower Mainland" in too["services"]
    assert all(m["response"] != "utter_ask_location" for m in dispatcher.messages)


async def test_in_a_place_without_a_sex_worker_group_every_group_is_still_listed(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker(
        "he takes our money and our phones",
        intent="request_help_trafficking",
        slots={"location": "Kamloops"},
    )
    tracker.events[:0] = [said_sex_work("i do escorting")]
    await ACTIONS["trafficking"]().run(dispatcher, tracker, domain)
    [too] = [m for m in dispatcher.messages if m["response"] == "utter_referral_sex_workers_too"]
    for group in ("Peers Victoria", "SWAN Vancouver", "WISH"):
        assert group in too["services"]


async def test_a_violent_client_told_with_control_brings_bad_date_reporting_after_the_list(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker(
        "the guy who paid me for the night wouldnt let me leave",
        intent="request_help_trafficking",
    )
    await ACTIONS["trafficking"]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_referral_trafficking"
    assert "utter_referral_bad_date" in responses


async def test_a_sex_worker_who_told_of_control_gets_the_trafficking_lines_after_their_own(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker("where can i get support", intent="request_sex_worker_support")
    tracker.events[:0] = [said_sex_work("the boss keeps my id, i cant refuse clients", "control")]
    await ACTIONS["sex_workers"]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0].startswith("utter_referral_sex_workers")
    assert "utter_referral_trafficking" in responses
    assert "1-888-712-7974" in "".join(m.get("services") or "" for m in dispatcher.messages)


async def test_a_sex_worker_who_told_of_no_control_gets_no_trafficking_lines(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker("where can i get support", intent="request_sex_worker_support")
    tracker.events[:0] = [said_sex_work("i do escorting")]
    await ACTIONS["sex_workers"]().run(dispatcher, tracker, domain)
    assert all(m["response"] != "utter_referral_trafficking" for m in dispatcher.messages)


async def test_youth_help_for_someone_of_unknown_age_adds_the_trafficking_lines(
    dispatcher, make_tracker, domain
):
    tracker = make_tracker("they keep my passport", intent="request_youth_support")
    await ACTIONS["youth"]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_referral_youth" and "utter_referral_trafficking" in responses


async def test_youth_help_for_a_minor_is_the_youth_list_only(dispatcher, make_tracker, domain):
    tracker = make_tracker("im 15 and scared", slots={"is_minor": True})
    await ACTIONS["youth"]().run(dispatcher, tracker, domain)
    assert all(m["response"] != "utter_referral_trafficking" for m in dispatcher.messages)


async def test_no_sex_worker_groups_after_a_trafficking_list_for_others_or_a_minor(
    dispatcher, make_tracker, domain
):
    minor = make_tracker("he keeps my id", slots={"is_minor": True, "location": "Vancouver"})
    minor.events[:0] = [said_sex_work("i do escorting and my manager takes half")]
    other = make_tracker("my boss keeps my passport", slots={"location": "Vancouver"})
    for tracker in (minor, other):
        await ACTIONS["trafficking"]().run(dispatcher, tracker, domain)
    assert all(m["response"] != "utter_referral_sex_workers_too" for m in dispatcher.messages)


@pytest.mark.parametrize(
    ("earlier", "text", "slots"),
    [
        ([], "he is choking me", {}),
        ([said_sex_work("i see clients at my place")], "im locked in the room", {}),
        ([said_sex_work("i see clients at my place")], "he is choking me", {"is_minor": True}),
    ],
    ids=["no sex work said", "no violence said", "under 18"],
)
async def test_no_bad_date_reporting_in_danger_without_adult_sex_work_and_violence(
    dispatcher, make_tracker, domain, earlier, text, slots
):
    replies = await emergency_replies(dispatcher, make_tracker, domain, earlier, text, slots)
    assert all(m["response"] != "utter_referral_bad_date" for m in replies)
    assert all("Bad Date" not in (m.get("services") or "") for m in replies)


@pytest.mark.parametrize(
    "text",
    ["he stole my phone after", "he pinned me and wouldnt wear a condom", "the date scammed me"],
)
def test_more_violence_words(text):
    assert VIOLENCE.search(text)


@pytest.mark.parametrize("text", ["my landlord kicked me out", "is it legal to advertise"])
def test_words_that_are_not_violence(text):
    assert not VIOLENCE.search(text)


def with_danger_seen(tracker):
    tracker.latest_message["entities"] = [
        {"entity": "danger", "value": "possible", "extractor": "SafetyGate"}
    ]
    return tracker


@pytest.mark.parametrize("need", ["sex_workers", "trafficking", "youth", "reporting"])
async def test_help_asked_while_danger_was_seen_starts_with_the_911_choice(
    need, dispatcher, make_tracker, domain
):
    tracker = with_danger_seen(
        make_tracker("a client hurt me, where can i go", slots={"location": "Victoria"})
    )
    await ACTIONS[need]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] == "utter_referral_danger_first"
    assert "utter_referral_sex_workers_violence" not in responses, "911 offered once"
    choice = domain["responses"]["utter_referral_danger_first"][0]["text"]
    assert "911" in choice and "choice" in choice


async def test_the_911_choice_is_not_repeated_after_the_emergency_answer(
    dispatcher, make_tracker, domain
):
    tracker = with_danger_seen(make_tracker("he is outside my door"))
    await ACTIONS["emergency"]().run(dispatcher, tracker, domain)
    assert all(m["response"] != "utter_referral_danger_first" for m in dispatcher.messages)


async def test_without_danger_seen_the_services_come_first(dispatcher, make_tracker, domain):
    tracker = make_tracker("a client hurt me, where can i go", slots={"location": "Victoria"})
    await ACTIONS["sex_workers"]().run(dispatcher, tracker, domain)
    responses = [m["response"] for m in dispatcher.messages]
    assert responses[0] != "utter_referral_danger_first"
    assert "utter_referral_sex_workers_violence" in responses
