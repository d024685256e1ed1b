"""FAQ answers say what the checked facts say (shared/facts/referrals-and-law.md and the seed)."""

from __future__ import annotations

import pytest


def answer(domain, topic: str, more: bool = False) -> str:
    name = f"utter_more_{topic}" if more else f"utter_faq/{topic}"
    return domain["responses"][name][0]["text"]


def every_answer(domain) -> str:
    return "\n".join(v[0]["text"] for v in domain["responses"].values())


def test_selling_is_not_a_crime_in_most_circumstances(domain):
    text = answer(domain, "sex_work_legality_canada")
    assert "is not a crime in most circumstances" in text
    assert "213(1)" in text and "public place" in text
    assert "Selling your own sexual services is not a crime." not in every_answer(domain)


def test_exploitation_is_an_objective_test(domain):
    text = answer(domain, "canadian_trafficking_laws", more=True)
    assert "279.04" in text and "could reasonably" in text
    assert "could reasonably" in answer(domain, "forms_of_exploitation")
    assert "out of fear for" not in every_answer(domain)


def test_irpa_penalty_is_section_120(domain):
    text = answer(domain, "canadian_trafficking_laws")
    assert "section 118" in text and "penalty (section 120)" in text


def test_signs_say_what_is_not_a_sign_on_its_own(domain):
    text = answer(domain, "signs_of_trafficking")
    for words in ("Sex work", "migrant", "limited English", "massage business", "not signs"):
        assert words in text


@pytest.mark.parametrize(
    ("old", "new", "topic"),
    [
        ("massage parlour", "erotic massage", "what_is_sex_work"),
        ("real trafficking victims", "people who are actually trafficked", "harms_of_conflation"),
    ],
)
def test_wording_replaced(domain, old, new, topic):
    assert old not in every_answer(domain).lower()
    assert new in answer(domain, topic)


def test_youth_answer_says_how_exploitation_differs_from_trafficking(domain):
    text = answer(domain, "youth_sexual_exploitation")
    assert "Not all youth sexual exploitation is trafficking" in text
    assert "It is trafficking when someone recruits, moves, hides or controls" in text
    assert "no force or threats are needed" in text
    assert "310-1234" in text and "1-800-668-6868" in text


def test_consent_answer_carries_the_human_rights_framing(domain):
    text = answer(domain, "consent_and_trafficking")
    assert "human rights violations" in text
    for word in ("Control", "threats", "coercion", "isolation"):
        assert word in text
