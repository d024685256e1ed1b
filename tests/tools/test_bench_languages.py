"""`make bench`'s second-language cost: the model trained without the French examples, on the tiny
project (tests/tools/conftest.py), with the code path `make bench` uses."""

from __future__ import annotations

import pytest

from bench.train import ENGLISH_ONLY, english_only_data, ensure_model, inputs
from tools.heldout import language_examples

# More examples in alpha's French list (the one marked `language: fr`).
FRENCH_EXAMPLES = "    - c'est quoi alpha au juste\n    - pouvez-vous m'expliquer le sujet alpha\n"
# French in the English list: the language router's detector finds it.
UNMARKED_FRENCH = "    - est-ce que le sujet alpha concerne aussi les travailleurs étrangers\n"
LAST_ENGLISH = "    - alpha question twentieth\n"


@pytest.fixture
def bilingual(tiny, edit):
    edit(tiny, "data/faq/alpha.yml", "responses:", FRENCH_EXAMPLES + "responses:")
    edit(tiny, "data/faq/alpha.yml", LAST_ENGLISH, LAST_ENGLISH + UNMARKED_FRENCH)
    return tiny


def french_in_the_tiny_project(project) -> int:
    """The tiny project's own French examples (conftest.french_examples: ten per topic), plus
    the three this module adds."""
    return 10 * len(list((project / "data/faq").glob("*.yml"))) + 3


def example_lines(path) -> list:
    return [line.strip()[2:] for line in path.read_text().splitlines() if line.startswith("    - ")]


def test_the_english_copy_leaves_out_marked_and_detected_french(bilingual, tmp_path):
    kept, left_out = english_only_data(bilingual / "data", tmp_path / "data")
    assert left_out == french_in_the_tiny_project(bilingual)
    alpha = (tmp_path / "data/faq/alpha.yml").read_text()
    assert alpha.count("- alpha question") == 20 and "alpha au juste" not in alpha
    assert "étrangers" not in alpha and "Alpha is the first topic." in alpha
    assert "language: fr" not in alpha and alpha.count("- intent: faq/alpha") == 1
    # the French answer stays: only examples are left out
    assert "Le sujet alpha, en français." in alpha
    # lookup tables and other files are copied as they are
    places = (bilingual / "data/nlu/location_lookup.yml").read_text()
    assert (tmp_path / "data/nlu/location_lookup.yml").read_text() == places
    assert kept == 5 * 20  # the five intents' examples; place names are not counted


def test_the_english_model_inputs_are_the_filtered_copy(bilingual, tmp_path):
    given = inputs(ENGLISH_ONLY, bilingual, tmp_path)
    assert (
        given.data == tmp_path / ENGLISH_ONLY / "data"
        and given.left_out == french_in_the_tiny_project(bilingual)
    )
    assert inputs("project", bilingual, tmp_path).data == bilingual / "data"


def test_the_tiny_project_trains_with_and_without_french(bilingual, tmp_path):
    logged = []
    both = ensure_model("project", logged.append, bilingual, tmp_path)
    english = ensure_model(ENGLISH_ONLY, logged.append, bilingual, tmp_path)
    assert both.path.exists() and english.path.exists()
    assert both.trained_now and english.trained_now and english.train_s > 0
    assert "3 French examples left out" in "\n".join(logged)
    again = ensure_model(ENGLISH_ONLY, logged.append, bilingual, tmp_path)
    assert not again.trained_now


def test_language_sets_read_both_layouts(tmp_path):
    flat = tmp_path / "flat.yml"
    flat.write_text("fr:\n  - bonjour\nen:\n  - help\n", encoding="utf-8")
    assert language_examples(flat) == [("bonjour", "fr"), ("help", "en")]
    held = tmp_path / "held.yml"
    held.write_text("short:\n  merci: fr\nlanguages:\n  es:\n    - hola amigo\n", encoding="utf-8")
    assert language_examples(held) == [("merci", "fr"), ("hola amigo", "es")]
