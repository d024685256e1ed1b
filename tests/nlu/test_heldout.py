"""The model understands phrasings it was never trained on (tests/nlu/heldout.yml).

English is the gate here; every other language's held-out set is scored apart and reported (its
bars are asserted on the whole reply through REST, tests/e2e/test_heldout_languages.py).
"""

from __future__ import annotations

import asyncio

import pytest

from tools.checks.examples import heldout_in_training, too_few_test_questions
from tools.heldout import (
    ENGLISH,
    MIN_ACCURACY,
    MIN_EMERGENCY_RECALL,
    MIN_OUT_OF_SCOPE,
    heldout_sets,
    label_of,
    load_examples,
    predict,
    report,
    score,
)
from tools.project import load_project


@pytest.fixture(scope="module")
def result(heldout, rasa_parses):
    return score(
        (text, expected, label_of(parse))
        for (text, expected), parse in zip(heldout, rasa_parses, strict=True)
    )


def test_heldout_has_enough_examples_per_intent():
    problems = too_few_test_questions(load_project())
    assert not problems, "\n".join(p.message for p in problems)


def test_heldout_examples_are_not_in_training_data():
    problems = heldout_in_training(load_project())
    assert not problems, "\n".join(p.message for p in problems)


def test_intent_accuracy(result):
    assert result.accuracy >= MIN_ACCURACY, report(result)


def test_every_emergency_is_recognised(result):
    assert result.emergency_recall >= MIN_EMERGENCY_RECALL, report(result)


def test_out_of_scope_lines_fall_back(result):
    assert result.out_of_scope_rate >= MIN_OUT_OF_SCOPE, report(result)


def test_parsing_outside_the_server_prints_no_message_text(model, capfd):
    marker = "zqxmarker"
    [parse] = asyncio.run(predict(model, [f"/ {marker} my boss keeps my passport"]))
    assert parse["text"].endswith("passport")
    out, err = capfd.readouterr()
    assert marker not in out + err


@pytest.mark.parametrize("language", sorted(set(heldout_sets()) - {ENGLISH}))
def test_each_other_language_is_scored_apart_from_the_english_gate(
    model, heldout, language, capsys
):
    examples = load_examples(heldout_sets()[language])
    assert examples and not {text for text, _ in examples} & {text for text, _ in heldout}
    parses = asyncio.run(predict(model, [text for text, _ in examples]))
    result = score(
        (text, expected, label_of(parse))
        for (text, expected), parse in zip(examples, parses, strict=True)
    )
    assert result.total == len(examples)
    with capsys.disabled():
        print(f"\nheld-out set in {language}, NLU only (the whole reply: tests/e2e):")
        print("\n".join(report(result).splitlines()[:4]))
