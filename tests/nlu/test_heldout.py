"""The model understands phrasings it was never trained on (tests/nlu/heldout.yml)."""

from __future__ import annotations

import glob
import re

import pytest

from tools.heldout import (
    MIN_ACCURACY,
    MIN_EMERGENCY_RECALL,
    MIN_OUT_OF_SCOPE,
    evaluate_model,
    latest_model,
    load_examples,
    report,
)

MIN_PER_INTENT = 5


def normalise(text: str) -> str:
    return re.sub(r"[^a-z0-9 ]", "", text.lower()).strip()


@pytest.fixture(scope="module")
def result():
    return evaluate_model(latest_model())


def test_heldout_has_enough_examples_per_intent(root):
    counts: dict = {}
    for _, label in load_examples():
        counts[label] = counts.get(label, 0) + 1
    trained = set()
    for path in glob.glob(str(root / "data/faq/*.yml")) + glob.glob(str(root / "data/nlu/*.yml")):
        trained |= {label for _, label in load_examples(path)}
    assert trained <= set(counts), f"no held-out examples for {sorted(trained - set(counts))}"
    assert all(n >= MIN_PER_INTENT for n in counts.values()), counts


def test_heldout_examples_are_not_in_training_data(root):
    training = set()
    for path in glob.glob(str(root / "data/faq/*.yml")) + glob.glob(str(root / "data/nlu/*.yml")):
        training |= {normalise(text) for text, _ in load_examples(path)}
    leaked = [text for text, _ in load_examples() if normalise(text) in training]
    assert not leaked, f"held-out examples found in training data: {leaked}"


def test_intent_accuracy(result):
    assert result.accuracy >= MIN_ACCURACY, report(result)


def test_every_emergency_is_recognised(result):
    assert result.emergency_recall >= MIN_EMERGENCY_RECALL, report(result)


def test_out_of_scope_lines_fall_back(result):
    assert result.out_of_scope_rate >= MIN_OUT_OF_SCOPE, report(result)
