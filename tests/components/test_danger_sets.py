"""The danger sets by the safety gate alone (tools/danger.py): with no model, a message about
danger now gets 911 first, and one that only sounds like it keeps its own answer.

The development sets' misses are read and fixed. The held-out set is only scored: its floors hold
what the patterns reached on messages nobody on the team has read.
"""

import pytest

from tools import paths
from tools.danger import FLOORS, GATE, TARGET_DANGER, by_gate, load_messages, regressions, table


@pytest.fixture(scope="module", params=sorted(paths.DANGER_SETS.values()))
def scored(request, gate):
    which = request.param
    return which, by_gate(gate, load_messages(paths.ROOT / which))


def test_the_gate_alone_holds_what_was_reached(scored, capsys):
    which, results = scored
    report = table({GATE: results})
    with capsys.disabled():
        print(f"\n{which}\n{report}")
    below_floor = regressions(which, GATE, results)
    assert not below_floor, report


def test_every_set_has_both_languages_and_both_kinds():
    for which in paths.DANGER_SETS.values():
        kinds = {(m.language, m.danger) for m in load_messages(paths.ROOT / which)}
        assert kinds == {("en", True), ("en", False), ("fr", True), ("fr", False)}, which


def test_no_floor_is_above_the_target():
    for floors in FLOORS.values():
        assert all(floor <= TARGET_DANGER for floor in floors.values())
