"""components/language_classifiers.py: each language's classifier trains on its own examples, and
each message gets the results of its language's classifier (the trained pair: tests/nlu)."""

from __future__ import annotations

import yaml
from rasa.nlu.constants import RESPONSE_SELECTOR_PROPERTY_NAME
from rasa.shared.nlu.constants import ENTITIES, INTENT, INTENT_RANKING_KEY, TEXT
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from components.language_classifiers import (
    CHOSEN,
    INTENT_RESULTS,
    RESPONSE_RESULTS,
    LanguageChoice,
    choose_language,
    example_language,
    languages_to_learn,
    only_languages,
)
from tools import paths


def example(text: str, intent: str, language: str | None = None) -> Message:
    metadata = {"language": language} if language else None
    return Message.build(text, intent, intent_metadata=metadata)


def result(intent: str, confidence: float, entities=()) -> dict:
    ranked = {"name": intent, "confidence": confidence}
    return {INTENT: ranked, INTENT_RANKING_KEY: [ranked], ENTITIES: list(entities)}


def message_with(text: str, **results) -> Message:
    message = Message(data={TEXT: text})
    message.set(INTENT_RESULTS, results)
    return message


def test_an_example_is_english_unless_its_block_says_otherwise():
    assert example_language(example("hello", "greet")) == "en"
    assert example_language(example("bonjour", "greet", "fr")) == "fr"


def test_each_language_trains_on_its_own_examples_only():
    data = TrainingData(
        [example("hello", "greet"), example("bonjour", "greet", "fr"), example("bye", "goodbye")]
    )
    english = only_languages(data, ["en"]).training_examples
    assert [m.get(TEXT) for m in english] == ["hello", "bye"]
    assert [m.get(TEXT) for m in only_languages(data, ["fr"]).training_examples] == ["bonjour"]
    assert len(only_languages(data, ["en", "fr"]).training_examples) == 3


def test_a_classifier_learns_its_own_language_unless_told_more():
    assert languages_to_learn({"language": "en", "train_on": []}) == ["en"]
    assert languages_to_learn({"language": "fr", "train_on": ["en", "fr"]}) == ["en", "fr"]


def test_the_pipeline_has_a_classifier_and_a_selector_for_each_language():
    pipeline = yaml.safe_load((paths.ROOT / paths.CONFIG).read_text())["pipeline"]
    for kind in ("LanguageDIETClassifier", "LanguageResponseSelector"):
        languages = [c.get("language") for c in pipeline if c["name"].endswith(kind)]
        assert sorted(languages) == ["en", "fr"], kind
    parts = [c.get("part") for c in pipeline if c["name"].endswith("LanguageChoice")]
    assert parts == ["intent", "response"]


def test_a_message_gets_its_detected_languages_results():
    text = "je pense que mon patron garde mon passeport"
    results = {"en": result("faq", 0.9), "fr": result("request_help_trafficking", 0.4)}
    assert choose_language(text, results) == "fr"


def test_an_unsure_message_gets_the_english_classifier():
    results = {"en": result("affirm", 0.5), "fr": result("affirm", 0.95)}
    assert choose_language("ok", results) == "en"
    assert choose_language("ok", {"fr": result("affirm", 0.9)}) == "fr"
    assert choose_language("ok", {}) is None


def test_the_choice_sets_intent_ranking_and_entities_as_if_one_classifier_ran():
    place = {"entity": "location", "value": "Surrey", "start": 0, "end": 6}
    message = message_with(
        "my boss keeps my passport in Surrey",
        en=result("request_help_trafficking", 0.8, [place]),
        fr=result("faq", 0.6),
    )
    message.set(ENTITIES, [{"entity": "minor", "value": True}])
    [chosen] = LanguageChoice({"part": "intent"}).process([message])
    assert chosen.get(INTENT)["name"] == "request_help_trafficking"
    assert chosen.get(INTENT_RANKING_KEY)[0]["confidence"] == 0.8
    assert [e["entity"] for e in chosen.get(ENTITIES)] == ["minor", "location"]
    assert chosen.get(CHOSEN) == "en"


def test_the_answer_selector_follows_the_classifiers_language():
    message = message_with("c'est quoi la traite", fr=result("faq", 0.9), en=result("faq", 0.95))
    message.set(
        RESPONSE_RESULTS,
        {"en": {"faq": {"response": "english"}}, "fr": {"faq": {"response": "french"}}},
    )
    choice = LanguageChoice({"part": "intent"}), LanguageChoice({"part": "response"})
    for step in choice:
        [message] = step.process([message])
    assert message.get(RESPONSE_SELECTOR_PROPERTY_NAME)["faq"]["response"] == "french"


def test_a_message_without_results_is_left_as_it_is():
    message = Message(data={TEXT: "hello"})
    [same] = LanguageChoice({"part": "intent"}).process([message])
    assert same.get(INTENT) is None
