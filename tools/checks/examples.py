"""Example questions: each in one place only, enough of them, and none copied from the test set."""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List

import numpy as np

from tools.paths import HELDOUT
from tools.problems import Problem
from tools.project import Example, Project
from tools.text import similarity

MIN_EXAMPLES = 20
MIN_TEST_QUESTIONS = 5  # as tests/nlu/test_heldout.py requires
NEAR_DUPLICATE = 0.9  # see tools.text.similarity; the closest distinct questions score about 0.85
# Never trained: nlu_fallback comes from the fallback, inform_age from components/youth_gate.py,
# other_language and choose_language from components/language_router.py.
INTENTS_WITHOUT_EXAMPLES = {"nlu_fallback", "inform_age", "other_language", "choose_language"}


def _where(example: Example) -> str:
    return f"{example.file} line {example.line} ({example.intent})"


def in_two_intents(project: Project) -> List[Problem]:
    first: Dict[str, Example] = {}
    problems = []
    for example in project.examples:
        seen = first.setdefault(example.key, example)
        if seen.intent != example.intent:
            problems.append(
                Problem(
                    example.file,
                    example.line,
                    f'The example "{example.plain}" ({example.intent}) is also an example of '
                    f"{seen.intent}: {_where(seen)}.",
                    "An example can teach only one meaning. Keep it under the topic it belongs "
                    "to and delete the other copy.",
                )
            )
    return problems


def written_twice(project: Project) -> List[Problem]:
    """The same example twice under one intent, e.g. in its English and its French list.

    Rasa drops a copy within one list, but keeps the list's language on each example, so copies
    in two lists are both trained and the example counts double.
    """
    first: Dict[tuple, Example] = {}
    problems = []
    for example in project.examples:
        seen = first.setdefault((example.intent, example.text), example)
        if seen is not example:
            problems.append(
                Problem(
                    example.file,
                    example.line,
                    f'The example "{example.plain}" ({example.intent}) is written twice: also '
                    f"at {seen.file} line {seen.line}.",
                    "Delete one of the two copies.",
                )
            )
    return problems


def _candidate_pairs(examples: List[Example]) -> List[tuple]:
    """Pairs of examples from different intents that share enough letters to be worth comparing."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    keys = [e.key for e in examples]
    vectors = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 3), use_idf=False).fit_transform(
        keys
    )
    close = (vectors @ vectors.T).tocoo()
    # Most pairs share some letters: filter in numpy, not one pair at a time in Python.
    keep = (close.row < close.col) & (close.data >= 0.5)
    rows, cols = close.row[keep], close.col[keep]
    intents = np.array([e.intent for e in examples], dtype=object)
    differ = intents[rows] != intents[cols]
    return list(zip(rows[differ].tolist(), cols[differ].tolist(), strict=True))


def near_duplicates(project: Project, threshold: float = NEAR_DUPLICATE) -> List[Problem]:
    examples = [e for e in project.examples if e.key]
    if len(examples) < 2:
        return []
    problems = []
    for i, j in _candidate_pairs(examples):
        a, b = examples[i], examples[j]
        if a.key == b.key:
            continue  # reported by in_two_intents
        score = similarity(a.key, b.key)
        if score >= threshold:
            problems.append(
                Problem(
                    b.file,
                    b.line,
                    f'The example "{b.plain}" ({b.intent}) is almost the same as "{a.plain}" '
                    f"in {_where(a)} (similarity {score:.2f}).",
                    "Nearly identical questions under two topics confuse the assistant. Delete "
                    "one, or reword them so each clearly belongs to its own topic.",
                )
            )
    return problems


def too_few(project: Project, minimum: int = MIN_EXAMPLES) -> List[Problem]:
    counts: Dict[str, int] = defaultdict(int)
    for example in project.examples:
        counts[example.intent] += 1
    problems = []
    for intent, count in sorted(counts.items()):
        if count < minimum:
            block = project.intent_block(intent)
            problems.append(
                Problem(
                    block.file if block else "data",
                    block.line if block else None,
                    f'"{intent}" has only {count} example questions; it needs at least {minimum}.',
                    "Add more ways people might ask this: different words, short forms, "
                    "common spelling mistakes, first and third person.",
                )
            )
    for intent, line in project.domain_intents.items():
        if intent in INTENTS_WITHOUT_EXAMPLES or intent in counts:
            continue
        if any(name.startswith(f"{intent}/") for name in counts):
            continue  # the retrieval intent: its examples are under faq/<topic>
        problems.append(
            Problem(
                "domain.yml",
                line,
                f'The intent "{intent}" is listed in domain.yml but has no example questions.',
                f"Add a file data/nlu/{intent}.yml with at least {minimum} examples, or remove "
                "the intent from domain.yml (and from the rules that use it).",
            )
        )
    return problems


def heldout_in_training(project: Project) -> List[Problem]:
    test_questions = {e.key: e for e in project.test_questions()}
    problems = []
    for example in project.examples:
        test = test_questions.get(example.key)
        if test:
            problems.append(
                Problem(
                    example.file,
                    example.line,
                    f'The example "{example.plain}" is also a test question in {test.file} line '
                    f"{test.line}.",
                    "Test questions must stay new to the assistant, or the test cannot show "
                    "whether it understands. Delete it here or write a different example.",
                )
            )
    return problems


def too_few_test_questions(project: Project, minimum: int = MIN_TEST_QUESTIONS) -> List[Problem]:
    counts: Dict[str, int] = defaultdict(int)
    for question in project.heldout:
        counts[question.intent] += 1
    problems = []
    for intent in sorted({e.intent for e in project.examples}):
        if counts[intent] < minimum:
            block = project.intent_block(intent)
            problems.append(
                Problem(
                    HELDOUT,
                    None,
                    f'"{intent}" has {counts[intent]} test questions in {HELDOUT}; it needs at '
                    f"least {minimum}, or the test cannot tell whether the assistant "
                    f"understands it (examples in {block.file if block else 'data'}).",
                    f'Add "- intent: {intent}" with {minimum} new questions to {HELDOUT}, worded '
                    "differently from the examples (best written by a colleague who has not "
                    "read them).",
                )
            )
    return problems


def check(project: Project) -> List[Problem]:
    return [
        *in_two_intents(project),
        *written_twice(project),
        *near_duplicates(project),
        *too_few(project),
        *heldout_in_training(project),
        *too_few_test_questions(project),
    ]
