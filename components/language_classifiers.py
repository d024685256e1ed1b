"""One intent classifier and one FAQ answer selector per language, in one model.

The word features (spaCy `en`, MiniLM) are English. One classifier trained on English and
French together lost English accuracy to the French examples, while French gained from the
English ones (docs/PERFORMANCE.md, "One model or one per language"). So each language gets its
own DIET classifier and response selector, sharing the featurizers: the English ones learn from
the English examples only, the French ones from both (`train_on`; an example's language is the
`language` metadata of its intent's block in data/, English when there is none). Both run on
every message and leave their results aside; `LanguageChoice` then keeps the one for the
message's language as the language router's detector reads it, or, when the detector is not
sure ("ok", a place name), the English one.
"""

from __future__ import annotations

from typing import Any, Dict, List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.nlu.classifiers.diet_classifier import DIETClassifier
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.nlu.selectors.response_selector import ResponseSelector
from rasa.shared.nlu.constants import (
    ENTITIES,
    INTENT,
    INTENT_RANKING_KEY,
    METADATA,
    METADATA_INTENT,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language_router import ANSWERED_LANGUAGES, ENGLISH, detect_language
from components.safety_gate import PatternComponent

LANGUAGE_KEY = "language"
TRAIN_ON_KEY = "train_on"
# Where each language's results wait for LanguageChoice, and the language it chose.
INTENT_RESULTS = "intent_by_language"
RESPONSE_RESULTS = "response_by_language"
CHOSEN = "classifier_language"


def example_language(message: Message) -> str:
    """The language of a training example: its intent block's `language` metadata."""
    metadata = (message.get(METADATA) or {}).get(METADATA_INTENT) or {}
    return metadata.get(LANGUAGE_KEY) or ENGLISH


def only_languages(training_data: TrainingData, languages: List[str]) -> TrainingData:
    """The training data with only these languages' examples (lookups and synonyms kept)."""
    return TrainingData(
        training_examples=[
            example
            for example in training_data.training_examples
            if example_language(example) in languages
        ],
        entity_synonyms=training_data.entity_synonyms,
        regex_features=training_data.regex_features,
        lookup_tables=training_data.lookup_tables,
        responses=training_data.responses,
    )


def languages_to_learn(config: Dict[str, Any]) -> List[str]:
    """The languages whose examples a classifier learns from: `train_on`, or its own."""
    return list(config.get(TRAIN_ON_KEY) or [config[LANGUAGE_KEY]])


def _stash(message: Message, key: str, language: str, result: Dict[str, Any]) -> None:
    message.set(key, {**(message.get(key) or {}), language: result})


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER,
        DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR,
    ],
    is_trainable=True,
)
class LanguageDIETClassifier(DIETClassifier):
    """DIET trained on one language's examples; its intent, ranking and entities wait aside."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**DIETClassifier.get_default_config(), LANGUAGE_KEY: ENGLISH, TRAIN_ON_KEY: []}

    def train(self, training_data: TrainingData) -> Resource:
        return super().train(
            only_languages(training_data, languages_to_learn(self.component_config))
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            before = {key: message.get(key) for key in (INTENT, INTENT_RANKING_KEY)}
            entities = list(message.get(ENTITIES) or [])
            super().process([message])
            result = {
                INTENT: message.get(INTENT),
                INTENT_RANKING_KEY: message.get(INTENT_RANKING_KEY) or [],
                ENTITIES: (message.get(ENTITIES) or [])[len(entities) :],
            }
            for key, value in before.items():
                message.set(key, value)
            message.set(ENTITIES, entities)
            if self.model is not None:
                _stash(message, INTENT_RESULTS, self.component_config[LANGUAGE_KEY], result)
        return messages


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=True)
class LanguageResponseSelector(ResponseSelector):
    """The response selector trained on one language's examples; its choice waits aside."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {**ResponseSelector.get_default_config(), LANGUAGE_KEY: ENGLISH, TRAIN_ON_KEY: []}

    def train(self, training_data: TrainingData) -> Resource:
        return super().train(
            only_languages(training_data, languages_to_learn(self.component_config))
        )

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            before = dict(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {})
            super().process([message])
            after = message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}
            message.set(RESPONSE_SELECTOR_PROPERTY_NAME, before)
            if self.model is not None:
                result = {key: value for key, value in after.items() if key not in before}
                _stash(message, RESPONSE_RESULTS, self.component_config[LANGUAGE_KEY], result)
        return messages


def choose_language(text: str, results: Dict[str, Dict[str, Any]]) -> str | None:
    """The language whose results a message gets: the detected one, else English (the
    classifiers are not comparable on text outside their language), else whichever has any."""
    if not results:
        return None
    detection = detect_language(text)
    if detection is not None and detection.language in results:
        return detection.language
    return ENGLISH if ENGLISH in results else next(iter(results))


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageChoice(PatternComponent):
    """Gives each message the results of its language's classifier (`part: intent`) or
    response selector (`part: response`), as if that one alone had run."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {"part": INTENT}

    def __init__(self, config: Dict[str, Any]) -> None:
        self._part = config["part"]

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            if self._part == INTENT:
                self._choose_intent(message)
            else:
                self._choose_response(message)
        return messages

    @staticmethod
    def _choose_intent(message: Message) -> None:
        results = message.get(INTENT_RESULTS) or {}
        language = choose_language(message.get(TEXT) or "", results)
        if language is None:
            return
        chosen = results[language]
        message.set(CHOSEN, language)
        message.set(INTENT, chosen[INTENT], add_to_output=True)
        message.set(INTENT_RANKING_KEY, chosen[INTENT_RANKING_KEY], add_to_output=True)
        if chosen[ENTITIES]:
            entities = [*(message.get(ENTITIES) or []), *chosen[ENTITIES]]
            message.set(ENTITIES, entities, add_to_output=True)

    @staticmethod
    def _choose_response(message: Message) -> None:
        results = message.get(RESPONSE_RESULTS) or {}
        language = message.get(CHOSEN)
        if language not in results:
            language = next((lang for lang in ANSWERED_LANGUAGES if lang in results), None)
        if language is None:
            return
        selected = {**(message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}), **results[language]}
        message.set(RESPONSE_SELECTOR_PROPERTY_NAME, selected, add_to_output=True)
