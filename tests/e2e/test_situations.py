"""Held-out whole messages (tests/nlu/situations.yml) through REST, scored on the whole reply.

The bars are the issue's: overall >= 0.95, every under-18 conversation and every danger message
(911 in the first message) 100 %. The per-group table, with the intent accuracy the server
parsed, is printed on every run; `python -m tools.situations` prints the same outside pytest.
"""

from tools.situations import Rules, failures, load_conversations, run, table
from tools.trackers import tracker_db


def test_held_out_situations_get_the_help_their_group_needs(rasa_url, capsys):
    outcomes = run(rasa_url, load_conversations(), Rules.load(), tracker_db())
    report = table(outcomes, misses=True)
    with capsys.disabled():
        print("\n" + report)
    assert not failures(outcomes), report
