"""The held-out situations file is well formed, and the whole-reply rules judge what they should."""

from __future__ import annotations

from collections import Counter

import pytest
import yaml

from tools import paths
from tools.project import load_project
from tools.situations import (
    GROUP_OF_INTENT,
    GROUPS,
    HELP_INTENTS,
    LANGUAGE_FLOORS,
    TEXT_SPEAK,
    Conversation,
    Outcome,
    Rules,
    Turn,
    Verdict,
    adult_framing,
    bars,
    bridge_messages,
    failures,
    heldout_conversations,
    language_bars,
    language_failures,
    language_regressions,
    language_table,
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


@pytest.mark.parametrize("which", sorted(paths.SITUATION_SETS.values()))
def test_the_file_is_well_formed_and_covers_every_group(rules, which):
    conversations = load_conversations(paths.ROOT / which)
    labels = set(load_project().labels())
    # a held-out set is big enough to measure by, and small enough for make test; the development
    # set only has to find misses, and holds two writers' batches
    fewest, most = (120, 580) if which == paths.SITUATIONS_DEV else (160, 250)
    assert fewest <= sum(len(c.turns) for c in conversations) <= most
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


def french(intent: str) -> Conversation:
    return heldout_message("fr", intent)


def heldout_message(language: str, intent: str) -> Conversation:
    return Conversation(
        GROUP_OF_INTENT.get(intent, ""), (Turn("un message", intent),), language=language
    )


def bridge_text(domain: dict, language: str) -> str:
    return next(
        v["text"]
        for v in domain["responses"]["utter_language_bridge"]
        if any(c.get("value") == language for c in v.get("condition") or [])
    )


FRENCH_HELDOUT_SETS = sorted(set(paths.OTHER_LANGUAGE_SETS["fr"].values()) - {paths.DEV_FR})


@pytest.mark.parametrize("which", FRENCH_HELDOUT_SETS)
def test_each_french_heldout_set_is_well_formed_and_covers_every_intent(which):
    conversations = heldout_conversations("fr", which=which)
    counts = Counter(c.expected for c in conversations)
    faq_topics = {f"faq/{p.stem}" for p in (paths.ROOT / paths.FAQ_DIR).glob("*.yml")}
    assert all(counts[topic] >= 6 for topic in faq_topics), counts
    assert all(counts[intent] >= 8 for intent in HELP_INTENTS), counts
    assert counts["emergency"] >= 20 and counts["out_of_scope"] >= 15
    assert set(counts) <= set(load_project().labels()) | {"out_of_scope"}
    assert all(c.language == "fr" for c in conversations)


def test_the_french_development_set_is_french_and_labelled_with_known_intents():
    conversations = heldout_conversations("fr", which=paths.DEV_FR)
    counts = Counter(c.expected for c in conversations)
    assert 80 <= len(conversations) <= 300 and counts["emergency"] >= 30, counts
    assert set(counts) <= set(load_project().labels()) | {"out_of_scope"}
    assert all(c.language == "fr" for c in conversations)


def test_a_reply_in_another_language_than_the_message_fails(rules):
    hotline = phone(rules, "canadian_human_trafficking_hotline")
    english = f"You are not alone. Call the hotline: {hotline}. It is free and open all day."
    assert judge(rules, french("request_help_trafficking"), english) == ("reply in en, not fr",)
    in_french = f"Vous n'êtes pas seul. Appelez la ligne : {hotline}. C'est gratuit, jour et nuit."
    assert judge(rules, french("request_help_trafficking"), in_french) == ()
    # The situations (English) are not judged on the reply's language.
    assert judge(rules, said("trafficking_disclosure"), in_french) == ()


def test_the_bridge_reply_is_generic_for_a_language_the_assistant_answers_in(rules, domain):
    reasons = judge(rules, french("faq/what_is_octip"), bridge_text(domain, "fr"))
    assert reasons == ("generic reply (the bridge reply)",)


def test_an_out_of_scope_message_may_get_the_out_of_scope_reply(rules, domain):
    text = domain["responses"]["utter_out_of_scope"][-1]["text"]
    assert judge(rules, heldout_message("en", "out_of_scope"), text) == ()
    assert judge(rules, heldout_message("en", "greet"), text)[0].startswith("generic reply")


def test_a_bridge_language_needs_its_own_bridge_reply_with_the_hotline(rules, domain):
    spanish = bridge_text(domain, "es")
    assert rules.bridge_reasons("es", [{"text": spanish}]) == []
    assert rules.bridge_reasons("ru", [{"text": spanish}]) == ["not the ru bridge reply"]
    both_forms = bridge_text(domain, "zh")
    assert rules.bridge_reasons("zh_hant", [{"text": both_forms}]) == []
    hotline = phone(rules, "canadian_human_trafficking_hotline")
    assert rules.bridge_reasons("es", [{"text": "Llame al 911."}]) == [
        "not the es bridge reply",
        f"no {hotline}",
    ]


def outcome(expected: str, reasons=(), parsed=None) -> Outcome:
    conversation = french(expected)
    return Outcome(
        conversation, "s", [], Verdict(not reasons, tuple(reasons)), [parsed or expected]
    )


def test_the_language_bars_count_intents_911_first_and_the_reply_language():
    good = [outcome("faq/what_is_octip") for _ in range(60)] + [outcome("emergency")]
    assert language_failures(good) == []
    assert "all" in language_table(good)
    wrong_intent = good + [outcome("faq/what_is_octip", parsed="other_language")] * 4
    assert language_failures(wrong_intent)[0].startswith("intent accuracy")
    late_911 = good + [outcome("emergency", ("911 is not in the first message",))]
    assert language_failures(late_911) == ["emergency recall (911 first): 0.500 < 1.0"]
    english = good + [outcome("greet", ("reply in en, not fr",))] * 2
    assert language_failures(english)[0].startswith("reply in the language")
    unmeasured = [Outcome(french("greet"), "s", [], Verdict(True), [])]
    assert language_failures(unmeasured)[0].endswith("not measured < 0.95")


def test_the_language_floors_sit_below_the_targets_and_catch_a_fall():
    good = [outcome("faq/what_is_octip") for _ in range(60)] + [outcome("emergency")]
    assert language_regressions(good) == []
    assert set(LANGUAGE_FLOORS) == set(paths.OTHER_LANGUAGE_SETS["fr"].values())
    for floors in LANGUAGE_FLOORS.values():
        for (_, _, target), floor in zip(language_bars(good), floors, strict=True):
            assert floor <= target
    fallen = good + [outcome("faq/what_is_octip", parsed="other_language")] * 20
    assert language_regressions(fallen)[0].startswith("intent accuracy")


def test_bridge_messages_leave_out_the_languages_the_assistant_answers_in():
    languages = {language for _, language in bridge_messages()}
    assert not languages & set(paths.HELDOUT_BY_LANGUAGE)
    assert {"pa", "zh_hans", "zh_hant", "tl", "ko", "vi", "es", "fa", "ar", "hi", "uk", "ru"} <= (
        languages
    )


def test_a_french_heldout_line_in_the_training_data_is_reported(tiny):
    from tools.checks.examples import heldout_in_training

    (tiny / paths.HELDOUT_FR).write_text(
        'version: "3.1"\nnlu:\n- intent: faq/alpha\n  examples: |\n'
        "    - alpha question third\n    - c'est quoi alpha\n",
        encoding="utf-8",
    )
    [problem] = heldout_in_training(load_project(tiny))
    assert paths.HELDOUT_FR in problem.message and "alpha question third" in problem.message
