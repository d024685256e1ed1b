"""The held-out situations file is well formed, and the whole-reply rules judge what they should."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from tools import paths
from tools.project import load_project
from tools.situations import (
    GROUPS,
    TEXT_SPEAK,
    Conversation,
    Outcome,
    Rules,
    Turn,
    adult_framing,
    bars,
    failures,
    load_conversations,
    regressions,
)


@pytest.fixture(scope="module")
def rules() -> Rules:
    return Rules.load()


@pytest.fixture(scope="module")
def domain() -> dict:
    return yaml.safe_load((paths.ROOT / paths.DOMAIN).read_text(encoding="utf-8"))


def phone(rules: Rules, service_id: str) -> str:
    return rules.directory.get(service_id).phone[0]


def said(group: str, about: str = "", under_18: bool = False) -> Conversation:
    return Conversation(group, (Turn("a message", "an_intent"),), about=about, under_18=under_18)


def judge(rules: Rules, conversation: Conversation, *texts: str, buttons=()) -> tuple:
    replies = [{"text": text} for text in texts]
    replies[-1]["buttons"] = [{"title": t, "payload": p} for t, p in buttons]
    return rules.judge(conversation, replies).reasons


def test_the_file_is_well_formed_and_covers_every_group(rules):
    conversations = load_conversations()
    labels = set(load_project().labels())
    assert 180 <= sum(len(c.turns) for c in conversations) <= 250
    assert set(Counter(c.group for c in conversations)) == set(GROUPS)
    services = {s.id for s in rules.directory.services}
    for c in conversations:
        assert c.group in GROUPS, c
        if c.group == TEXT_SPEAK:
            assert c.about in GROUPS and c.about != TEXT_SPEAK, c
        else:
            assert not c.about, c
        assert all(t.text and t.intent in labels for t in c.turns), c
        assert -len(c.turns) <= c.score_from < len(c.turns), c
        assert set(c.must) | set(c.must_not) <= services, c
    multi_turn_minors = [c for c in conversations if c.is_minor and len(c.turns) > 1]
    assert {c.first_scored for c in multi_turn_minors} == {0, 1}, "age first and age later"


def test_the_generic_replies_are_read_from_the_domain(rules, domain):
    for name in ("utter_fallback", "utter_out_of_scope"):
        text = domain["responses"][name][0]["text"]
        assert judge(rules, said("trafficking_disclosure"), text)[0].startswith("generic reply")


def test_a_disclosure_needs_octip_or_the_hotline_and_not_the_fallback(rules, domain):
    fallback = domain["responses"]["utter_fallback"][0]["text"]
    assert judge(rules, said("trafficking_disclosure"), f"Call {phone(rules, 'octip')}.") == ()
    assert judge(rules, said("trafficking_disclosure"), "You can ask me anything.") == (
        "no OCTIP or trafficking hotline",
    )
    assert "generic reply" in judge(rules, said("trafficking_disclosure"), fallback)[0]


def test_worry_about_someone_needs_a_number_other_than_911(rules):
    assert judge(rules, said("worried_other"), "Call 911.") == ("no referral number",)
    hotline = phone(rules, "canadian_human_trafficking_hotline")
    assert judge(rules, said("worried_other"), f"The hotline: {hotline}.") == ()


def test_a_minor_gets_a_youth_line_and_never_adult_framing(rules):
    minor = said("minor")
    kids = f"Kids Help Phone: call {phone(rules, 'kids_help_phone')}."
    assert judge(rules, minor, kids) == ()
    assert judge(rules, said("text_speak", about="minor"), "Here is a list.")[0].startswith(
        "no youth line"
    )
    peers = rules.directory.get("peers_victoria")
    assert "adult sex-worker service: peers_victoria" in judge(rules, minor, kids, peers.web)
    assert "adult framing: 'sex workers'" in judge(rules, minor, kids + " Support for sex workers.")
    assert judge(rules, minor, kids + " You are never a 'sex worker', and never to blame.") == ()
    assert judge(rules, minor, kids + " Young people are not sex workers.") == ()
    legal = "Selling your own sexual services is not a crime in most circumstances."
    assert judge(rules, minor, kids, legal)[0].startswith("adult framing")
    assert judge(rules, minor, kids, buttons=[("Is it legal?", "/faq/sex_work_legality_canada")])
    assert judge(rules, said("worried_other", under_18=True), f"Call {phone(rules, 'octip')}.")


def test_danger_needs_911_in_the_first_message(rules):
    assert judge(rules, said("danger"), "Stay calm.", "Call 911.") == (
        "911 is not in the first message",
    )
    assert judge(rules, said("text_speak", about="danger"), "If you are in danger, call 911.") == ()


def test_a_sex_worker_is_not_given_only_trafficking_services(rules):
    worker = said("sex_worker")
    victimlink = rules.directory.get("victimlinkbc").name
    octip = phone(rules, "octip")
    bad_date = rules.directory.get("bc_bad_date_reporting").name
    assert judge(rules, worker, f"Try {victimlink}.") == ()
    assert judge(rules, worker, f"OCTIP: {octip}. {victimlink}.") == ("only trafficking services",)
    assert judge(rules, worker, f"OCTIP: {octip}. {bad_date}.") == ()
    assert judge(rules, worker, f"OCTIP: {octip}.") == ("no service for sex workers",)


def test_outside_bc_saying_plainly_that_no_group_is_known_is_right(rules, domain):
    worker = said("sex_worker")
    plain = domain["responses"]["utter_referral_sex_workers_elsewhere"][0]["text"].split("\n")[0]
    hotline = phone(rules, "canadian_human_trafficking_hotline")
    assert judge(rules, worker, plain.replace("{services}", f"Hotline: {hotline}")) == ()
    assert judge(rules, worker, f"Hotline: {hotline}") == ("no service for sex workers",)


def test_must_and_must_not_name_services_by_any_contact(rules):
    conversation = Conversation(
        "sex_worker", (Turn("x", "y"),), must=("bc_bad_date_reporting",), must_not=("wish_drop_in",)
    )
    bad_date = rules.directory.get("bc_bad_date_reporting")
    assert judge(rules, conversation, f"Report it at {bad_date.web}.") == ()
    wish = rules.directory.get("wish_drop_in")
    assert judge(rules, conversation, f"{wish.name}.") == (
        "missing bc_bad_date_reporting",
        "names wish_drop_in",
    )


def test_an_empty_reply_fails(rules):
    assert rules.judge(said("sex_worker"), []).reasons == ("no reply",)


def test_adult_framing_is_found_only_for_young_people_and_floors_sit_below_targets(rules):
    kids = f"Kids Help Phone: call {phone(rules, 'kids_help_phone')}."
    framed = [{"text": kids + " Support for sex workers."}]
    outcomes = [
        Outcome(who, "s", [framed], rules.judge(who, framed))
        for who in (said("minor"), said("sex_worker"))
    ]
    [found] = adult_framing(outcomes)
    assert found.endswith("adult framing: 'sex workers'")
    assert regressions(outcomes) and failures(outcomes)
    for _, _, target, floor in bars(outcomes):
        assert floor <= target
