"""The spaCy pipeline set-up builds (scripts/build_spacy.py): English lemmas, and French lemmas
for French forms, so one classifier sees one word where French writes many."""

from __future__ import annotations

import pytest
import spacy
import yaml


@pytest.fixture(scope="module")
def nlp(root):
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"] == "SpacyNLP")
    return spacy.load(root / step["model"])


def lemmas(nlp, text):
    return [token.lemma_ for token in nlp(text)]


def test_english_words_keep_their_english_lemmas(nlp):
    assert lemmas(nlp, "they were taking passports") == ["they", "be", "take", "passport"]
    assert lemmas(nlp, "sort pays font") == ["sort", "pay", "font"]


@pytest.mark.parametrize(
    ("text", "lemma"),
    [("menacées", "menacer"), ("menacees", "menacer"), ("papiers", "papier"), ("sont", "etre")],
)
def test_french_forms_get_their_lemma_with_or_without_accents(nlp, text, lemma):
    assert lemmas(nlp, text) == [lemma]
