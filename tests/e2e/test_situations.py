"""Held-out whole messages through REST, scored on the whole reply: tests/nlu/situations.yml and
the sets by a second and a third writer, tests/nlu/situations_fresh.yml and situations_third.yml.

Issue 12's targets (overall >= 0.95, every under-18 conversation and every danger message with 911
in the first message) are not all met yet: the per-group table, with the targets and the intent
accuracy the server parsed, is printed on every run (`python -m tools.situations` prints the same
outside pytest). What is asserted: no young person ever gets adult framing, and no score falls
below what the assistant has reached (the floors in tools/situations.py).
"""

import pytest

from tools import paths
from tools.situations import (
    SETS,
    Rules,
    adult_framing,
    load_conversations,
    regressions,
    run,
    table,
)
from tools.trackers import tracker_db


@pytest.fixture(scope="module", params=sorted(SETS.values()))
def scored(request, rasa_url):
    which = request.param
    conversations = load_conversations(paths.ROOT / which)
    return which, run(rasa_url, conversations, Rules.load(), tracker_db())


@pytest.fixture
def outcomes(scored):
    return scored[1]


def test_the_whole_replies_hold_what_was_reached(scored, capsys):
    which, outcomes = scored
    # Only the development set's misses are shown: the others stay unread, so they stay held out.
    report = table(outcomes, misses=which == paths.SITUATIONS, which=which)
    with capsys.disabled():
        print(f"\n{which}\n{report}")
    # Named before the assert: pytest would otherwise print the outcomes, messages included.
    below_floor = regressions(outcomes, which)
    assert not below_floor, report


def test_no_young_person_gets_adult_framing(outcomes):
    # A count, not the list: the list quotes the held-out messages, and pytest prints what an
    # assert names.
    framed = len(adult_framing(outcomes))
    assert framed == 0, f"{framed} replies to someone under 18 carried adult framing"
