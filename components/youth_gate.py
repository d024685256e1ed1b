"""Youth context: a stated age under 18, or a minor context, found by patterns.

When a message says the person concerned is under 18 ("i'm 16", "15 y/o",
"grade 9", "my daughter is 15", "a minor"), the gate adds the entity `minor`
(value true). The slot `is_minor` is filled from it and stays set for the rest
of the session, so the Rasa server picks the youth variation of each response
(`condition: - type: slot`). This never depends on the classifier.

A message that is mostly an age statement ("im 15 btw") becomes intent
`inform_age`, so the person gets the youth answer with its numbers at once,
even after an adult question earlier in the conversation.

Patterns live in config.yml. The safety gate runs after this one, so danger
still overrides `inform_age`.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.safety_gate import (
    EMERGENCY_INTENT,
    MINOR_ENTITY,
    PatternComponent,
    compile_patterns,
    intent_name,
    mark_french,
    set_intent,
    without_accents,
)

AGE_INTENT = "inform_age"
WORD = re.compile(r"[a-z0-9']+")


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR, is_trainable=False)
class YouthGate(PatternComponent):
    """Marks messages about someone under 18, and turns bare age statements into `inform_age`."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "minor_age": "",
            "not_an_age": "",
            "minor_patterns": [],
            "past_minor_patterns": [],
            "adult_now_patterns": [],
            "minor_patterns_fr": [],
            "past_minor_patterns_fr": [],
            "adult_now_patterns_fr": [],
            "minor_age_fr": "",
            "filler_words": "",
            "max_other_words": 2,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        parts = {"{age}": config["minor_age"], "{not_an_age}": config["not_an_age"]}
        self._minor = compile_patterns(config["minor_patterns"], parts)
        self._past = compile_patterns(config["past_minor_patterns"], parts)
        self._adult_now = compile_patterns(config["adult_now_patterns"], parts)
        parts_fr = {**parts, "{age}": config["minor_age_fr"]}
        self._minor_fr = compile_patterns(config["minor_patterns_fr"], parts_fr)
        self._past_fr = compile_patterns(config["past_minor_patterns_fr"], parts_fr)
        self._adult_now_fr = compile_patterns(config["adult_now_patterns_fr"], parts_fr)
        self._filler = set(config["filler_words"].lower().split())
        self._max_other_words = int(config["max_other_words"])

    def minor_spans(self, text: str) -> List[re.Match]:
        """Where the message says the person concerned is, or was, under 18.

        A past age ("I was 16 when he started...") counts as a minor context:
        the person may still be under 18 now, and youth framing given to an
        adult about something that happened when they were a child is still
        true, while adult sex-work framing given to a child is harmful. Only a
        current adult age in the same message ("I'm 24 now") sets it aside.
        """
        return _spans(text, self._minor, self._past, self._adult_now) + self.french_spans(text)

    def french_spans(self, text: str) -> List[re.Match]:
        """The same in French; the spans fit the text (accents are removed one for one)."""
        return _spans(without_accents(text), self._minor_fr, self._past_fr, self._adult_now_fr)

    def is_mostly_age(self, text: str, spans: List[re.Match]) -> bool:
        rest = list(without_accents(text))
        for span in spans:
            rest[span.start() : span.end()] = " " * (span.end() - span.start())
        others = [w for w in WORD.findall("".join(rest)) if w not in self._filler]
        return len(others) <= self._max_other_words

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            if text.startswith("/"):
                continue
            spans = self.minor_spans(text)
            if not spans:
                continue
            first = min(spans, key=lambda m: m.start())
            entity = {
                ENTITY_ATTRIBUTE_TYPE: MINOR_ENTITY,
                ENTITY_ATTRIBUTE_VALUE: True,
                ENTITY_ATTRIBUTE_START: first.start(),
                ENTITY_ATTRIBUTE_END: first.end(),
                EXTRACTOR: self.__class__.__name__,
            }
            message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)
            if self.french_spans(text):
                mark_french(message, self.__class__.__name__)
            if intent_name(message) != EMERGENCY_INTENT and self.is_mostly_age(text, spans):
                set_intent(message, AGE_INTENT, 1.0, reason="age_statement")
        return messages


def _spans(text: str, minor: List[Any], past: List[Any], adult_now: List[Any]) -> List[re.Match]:
    spans = [m for pattern in minor for m in pattern.finditer(text)]
    if not any(pattern.search(text) for pattern in adult_now):
        spans += [m for pattern in past for m in pattern.finditer(text)]
    return spans
