"""Masking measured on labelled messages: what leaks, what is hidden for nothing."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
import yaml

from tools import paths
from tools.masking import PHONE, default_masker
from tools.masking_score import masked_regions, parse_line, read_set, score

DATA = Path(__file__).parent / "data"
LABELLED = read_set(DATA / "masking_set.txt")
UNSEEN = read_set(DATA / "masking_unseen.txt")
# Every kind of detail is hidden every time, except names: a name that is also an English word,
# in lower case or at the start of a sentence, can get through.
NAME_RECALL = {"masking_set": 0.95, "masking_unseen": 0.75}


def test_the_labelled_set_is_big_enough_and_covers_every_kind_of_detail():
    assert len(LABELLED) >= 200
    kinds = {category for item in LABELLED for _, _, category in item.details}
    assert kinds == {
        "PHONE", "EMAIL", "HANDLE", "NAME", "ADDRESS", "PLATE", "BIRTHDATE", "POSTAL", "SIN", "URL"
    }  # fmt: skip
    assert sum(not item.details for item in LABELLED) >= 100


@pytest.mark.parametrize(("name", "items"), [("masking_set", LABELLED), ("masking_unseen", UNSEEN)])
def test_recall_and_precision(name, items):
    result = score(default_masker().mask, items)
    for category in result.details:
        floor = NAME_RECALL[name] if category == "NAME" else 1.0
        assert result.recall(category) >= floor, (category, result.leaks)
    assert result.total_precision == 1.0, result.needless
    assert result.clean_lines_changed == 0, result.needless


def _directory_numbers():
    document = yaml.safe_load((paths.ROOT / paths.SERVICES).read_text(encoding="utf-8"))
    for entry in document["services"]:
        yield from (str(n) for n in entry.get("phone") or [])
        if entry.get("text"):
            yield str(entry["text"]["number"])


@pytest.mark.parametrize("number", sorted(set(_directory_numbers())))
def test_numbers_from_the_directory_stay_readable_in_every_spelling(number):
    masker = default_masker()
    spellings = {number, number.replace("-", " "), number.replace("-", ".")}
    if len(number.replace("-", "")) == 11:
        spellings.add("+" + number.replace("-", " "))
    for spelling in spellings:
        assert masker.mask(f"is {spelling} the right number") == f"is {spelling} the right number"


def test_a_made_up_name_in_the_training_examples_is_still_a_name():
    # "Tasha" is in data/ as an example's name; service and app names there are words.
    assert default_masker().mask("my friend Tasha says hi") == "my friend [NAME] says hi"
    assert default_masker().mask("does VictimLinkBC help") == "does VictimLinkBC help"


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("SIN 046 454 286", "SIN [ID]"),
        ("PHN 9876 543 210", "PHN [ID]"),
        ("DOB 2008-11-14", "DOB [BIRTHDATE]"),
        ("plate ABC 123", "plate [PLATE]"),
    ],
)
def test_capital_cues_hide_the_whole_number(text, masked):
    assert default_masker().mask(text) == masked


def test_a_number_one_digit_away_from_the_directory_is_hidden():
    assert default_masker().mask("call 1-833-900-1011") == f"call {PHONE}"


@pytest.mark.parametrize(
    "text",
    [
        "I called him yesterday",
        "he said call me later",
        "Ask for help",
        "Will you call 911 for me",
        "2019 2020 and 2021 were bad",
        "my sc is broken",
        "i have OnlyFans is that sex work",
        "I have one or two clients a week, five or six hours",
        "Battered Women's Support Services",
        "i signed up for it tho",
    ],
)
def test_ordinary_words_after_a_cue_are_kept(text):
    assert default_masker().mask(text) == text


def test_the_measure_finds_a_leak_and_a_needless_placeholder():
    item = parse_line("call {{PHONE|604-555-0199}} or ask Mo")
    result = score(lambda text: text.replace("Mo", "[NAME]"), [item])
    assert result.recall("PHONE") == 0.0 and result.leaks
    assert result.precision("[NAME]") == 0.0 and result.needless
    assert masked_regions("call 604-555-0199", "call [PHONE]") == [(5, 17, "[PHONE]")]


HOSTILE = {
    "dots": "a.a." * 5000,
    "spelled dots": "x dot " * 4000,
    "apps": "snap " * 5000,
    "names": "Jessica said " * 2000,
    "digits": "1 " * 10000,
}


@pytest.mark.parametrize("kind", sorted(HOSTILE))
def test_hostile_input_is_masked_quickly(kind):
    text = HOSTILE[kind]
    started = time.perf_counter()
    default_masker().mask(text)
    assert time.perf_counter() - started < 3
