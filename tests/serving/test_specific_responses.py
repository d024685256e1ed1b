"""The response generator of endpoints.yml: the most specific matching variation wins.

The project's own responses are checked for every combination of language and age: a minor
never draws an adult variation of a response that has a youth one, and a French conversation
never draws an English variation of a response that has a French one.
"""

from __future__ import annotations

import inspect
import itertools

import pytest
from rasa.core.nlg import NaturalLanguageGenerator, TemplatedNaturalLanguageGenerator
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.importers.importer import TrainingDataImporter

from serving.specific_responses import SpecificResponseGenerator, candidates

LANGUAGES = ("en", "fr", None)
AGES = (True, False, None)


def slot_condition(name: str, value) -> dict:
    return {"type": "slot", "name": name, "value": value}


RESPONSES = {
    "utter_answer": [
        {"text": "adult en"},
        {"text": "youth en", "condition": [slot_condition("is_minor", True)]},
        {"text": "adult fr", "condition": [slot_condition("language", "fr")]},
        {
            "text": "youth fr",
            "condition": [slot_condition("is_minor", True), slot_condition("language", "fr")],
        },
    ]
}


@pytest.fixture(scope="module")
def project_domain(root) -> Domain:
    importer = TrainingDataImporter.load_from_config(
        str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
    )
    return importer.get_domain()


@pytest.mark.parametrize(
    ("slots", "expected"),
    [
        ({"is_minor": True, "language": "fr"}, "youth fr"),
        ({"is_minor": True, "language": "en"}, "youth en"),
        ({"is_minor": None, "language": "fr"}, "adult fr"),
        ({"is_minor": None, "language": "en"}, "adult en"),
    ],
)
def test_the_most_specific_variation_is_always_drawn(slots, expected):
    generator = SpecificResponseGenerator(responses=RESPONSES)
    drawn = {
        generator._random_response_for("utter_answer", "rest", slots)["text"] for _ in range(50)
    }
    assert drawn == {expected}


def test_rasa_alone_would_draw_adult_french_for_a_french_minor():
    rasa_generator = TemplatedNaturalLanguageGenerator(RESPONSES)
    slots = {"is_minor": True, "language": "fr"}
    drawn = {
        rasa_generator._random_response_for("utter_answer", "rest", slots)["text"]
        for _ in range(200)
    }
    assert "adult fr" in drawn


def test_the_overridden_method_is_still_rasas():
    """The generator replaces one method of Rasa's: it must still exist, with this signature."""
    rasa_method = TemplatedNaturalLanguageGenerator._random_response_for
    assert list(inspect.signature(rasa_method).parameters) == [
        "self",
        "utter_action",
        "output_channel",
        "filled_slots",
    ]
    source = inspect.getsource(TemplatedNaturalLanguageGenerator.generate_from_slots)
    assert "self._random_response_for(" in source


def test_endpoints_yml_names_the_generator(root, project_domain):
    endpoints = AvailableEndpoints.read_endpoints(str(root / "endpoints.yml"))
    generator = NaturalLanguageGenerator.create(endpoints.nlg, project_domain)
    assert isinstance(generator, SpecificResponseGenerator)
    assert generator.responses == project_domain.responses


def has_condition(variation: dict, name: str, value) -> bool:
    return any(
        c.get("name") == name and c.get("value") == value for c in variation.get("condition") or []
    )


def test_no_response_gives_a_minor_adult_text_or_a_french_speaker_english(project_domain):
    problems = []
    for name, variations in project_domain.responses.items():
        has_youth = any(has_condition(v, "is_minor", True) for v in variations)
        has_french = any(has_condition(v, "language", "fr") for v in variations)
        for language, minor in itertools.product(LANGUAGES, AGES):
            slots = {"language": language, "is_minor": minor}
            for channel in (None, "rest"):
                drawn = candidates(project_domain.responses, name, channel, slots)
                if (
                    minor
                    and has_youth
                    and not all(has_condition(v, "is_minor", True) for v in drawn)
                ):
                    problems.append(f"{name}: a minor ({language}) can get an adult variation")
                if (
                    language == "fr"
                    and has_french
                    and not all(has_condition(v, "language", "fr") for v in drawn)
                ):
                    problems.append(
                        f"{name}: a French conversation (minor={minor}) can get English"
                    )
    assert not sorted(set(problems))
