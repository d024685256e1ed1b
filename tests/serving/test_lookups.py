"""serving/lookups.py remembers answers that are the same as Rasa's, every time."""

from __future__ import annotations

import pytest
import rasa.shared.utils.common
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, Event, SlotSet, UserUttered

from serving import lookups

TYPE_NAMES = sorted(
    {cls.type_name for cls in rasa.shared.utils.common.all_subclasses(Event)} - {"event"}
)


@pytest.fixture
def remembered():
    lookups.install(on=True)
    yield
    lookups.install(on=False)


def test_every_event_type_resolves_to_rasas_class(remembered):
    for _ in range(2):  # first looked up, then remembered
        for name in TYPE_NAMES:
            assert Event.resolve_by_type(name) is lookups._rasa_resolve_by_type(name)


def test_unknown_names_behave_as_in_rasa(remembered):
    assert Event.resolve_by_type("topic") is None
    assert Event.resolve_by_type("no such event", default=SlotSet) is SlotSet
    with pytest.raises(ValueError, match="Unknown event name"):
        Event.resolve_by_type("no such event")


def test_events_read_back_unchanged(remembered):
    events = [UserUttered("hello", {"name": "greet", "confidence": 0.9}), ActionExecuted("x")]
    assert [Event.from_parameters(e.as_dict()) for e in events] == events


def test_domain_emptiness_is_rasas(remembered):
    full = Domain.from_yaml("version: '3.1'\nintents: [greet]")
    for domain in (full, Domain.empty(), full):
        assert domain.is_empty() == lookups._rasa_is_empty(domain)
    assert Domain.empty().is_empty() and not full.is_empty()
