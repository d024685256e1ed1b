"""The held-out danger set through REST (tools/danger.py): each message in its own conversation,
danger with 911 in the first reply message, the rest with any intent but emergency.

The gate alone is scored without a model in tests/components/test_danger_sets.py; this is what
the person gets, the classifier's part included.
"""

from tools import paths
from tools.danger import GATE, SERVED, by_gate, load_gate, load_messages, regressions, served, table
from tools.trackers import tracker_db


def test_the_served_replies_hold_what_was_reached(rasa_url, capsys):
    which = paths.DANGER_HELDOUT
    messages = load_messages(paths.ROOT / which)
    scored = {
        GATE: by_gate(load_gate(), messages),
        SERVED: served(rasa_url, messages, tracker_db()),
    }
    report = table(scored)
    with capsys.disabled():
        print(f"\n{which}\n{report}")
    # Named before the assert: pytest would otherwise print the results, messages included.
    below_floor = regressions(which, SERVED, scored[SERVED])
    assert not below_floor, report
