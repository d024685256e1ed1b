"""The publishing gate: the held-out test scores a new model must reach before people get it.

The thresholds are the held-out NLU test's own (tools/heldout.py): accuracy on the in-scope test
questions counting FAQ topics separately, every emergency recognised, and off-topic messages
answered as out of scope (or with the fallback) rather than with an FAQ answer.
"""

from __future__ import annotations

from typing import Any, Dict, List

from tools.heldout import MIN_ACCURACY, MIN_EMERGENCY_RECALL, MIN_OUT_OF_SCOPE

RULES = (
    (
        "accuracy",
        MIN_ACCURACY,
        "in-scope test questions understood (FAQ topics counted separately)",
    ),
    ("emergency_recall", MIN_EMERGENCY_RECALL, "emergency messages recognised as emergencies"),
    ("out_of_scope_rate", MIN_OUT_OF_SCOPE, "off-topic messages kept out of the answers"),
)


def gate_failures(heldout: Dict[str, Any]) -> List[str]:
    """Plain sentences for each threshold the held-out summary misses (empty: it passes)."""
    failures = []
    if not heldout or not heldout.get("n"):
        return ["the held-out test has no results"]
    for key, minimum, meaning in RULES:
        value = heldout.get(key)
        if value is None:
            failures.append(f"{meaning}: no test questions of this kind")
        elif value < minimum:
            failures.append(f"{meaning}: {value:.1%}, needs at least {minimum:.0%}")
    return failures


def gate_lines(heldout: Dict[str, Any]) -> List[tuple]:
    """(meaning, value, minimum, passed) for each rule, for reports."""
    return [
        (
            meaning,
            heldout.get(key),
            minimum,
            heldout.get(key) is not None and heldout.get(key) >= minimum,
        )
        for key, minimum, meaning in RULES
    ]
