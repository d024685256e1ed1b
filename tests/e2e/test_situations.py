"""Held-out whole messages (tests/nlu/situations.yml) through REST, scored on the whole reply.

Issue 12's targets (overall >= 0.95, every under-18 conversation and every danger message with 911
in the first message) are not all met yet: the per-group table, with the targets and the intent
accuracy the server parsed, is printed on every run (`python -m tools.situations` prints the same
outside pytest). What is asserted: no young person ever gets adult framing, and no score falls
below what the assistant has reached (the floors in tools/situations.py).
"""

import pytest

from tools.situations import (
    Rules,
    adult_framing,
    load_conversations,
    regressions,
    run,
    table,
)
from tools.trackers import tracker_db


@pytest.fixture(scope="module")
def outcomes(rasa_url):
    return run(rasa_url, load_conversations(), Rules.load(), tracker_db())


def test_the_whole_replies_hold_what_was_reached(outcomes, capsys):
    report = table(outcomes, misses=True)
    with capsys.disabled():
        print("\n" + report)
    assert not regressions(outcomes), report


def test_no_young_person_gets_adult_framing(outcomes):
    assert not adult_framing(outcomes)
