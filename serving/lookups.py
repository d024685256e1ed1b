"""Remembers two answers Rasa 3.6 works out again for every message, though they never change.

- `Event.resolve_by_type` finds an event's class from its type name by listing every subclass
  of `Event` (recursively, checking each for abstract methods): ~20 µs per event, so most of
  the time of reading a conversation back from the tracker store. The class for a name does
  not change once the event classes are imported. Names not found yet, and the `default` and
  error cases, still go through Rasa's code.
- `Domain.is_empty`, asked after every parse, serialises the whole domain and a new empty
  domain to compare them. A loaded domain is not changed while it serves, so the answer is
  kept on the domain object.
"""

from __future__ import annotations

from typing import Dict, Type

from rasa.shared.core.domain import Domain
from rasa.shared.core.events import Event

_rasa_resolve_by_type = Event.resolve_by_type
_rasa_is_empty = Domain.is_empty
_classes: Dict[str, Type[Event]] = {}


def _resolve_by_type(type_name: str, default: Type[Event] | None = None) -> Type[Event] | None:
    found = _classes.get(type_name)
    if found is None:
        found = _rasa_resolve_by_type(type_name, default)
        if found is not None and found is not default and found.type_name == type_name:
            _classes[type_name] = found
    return found


def _is_empty(self: Domain) -> bool:
    empty = self.__dict__.get("_is_empty")
    if empty is None:
        empty = self._is_empty = _rasa_is_empty(self)
    return empty


def install(on: bool = True) -> None:
    """Remembers both answers (`on`) or asks Rasa every time. Idempotent."""
    _classes.clear()
    Event.resolve_by_type = staticmethod(_resolve_by_type if on else _rasa_resolve_by_type)
    Domain.is_empty = _is_empty if on else _rasa_is_empty
