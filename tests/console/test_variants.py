"""Every version of an answer (English, French, under 18) is named in plain words, edited and
checked on its own, and a changed translation needs a fluent speaker's review again."""

from __future__ import annotations

import pytest

from console import edits
from console.preview import preview
from tools import paths
from tools.checks.translations import fingerprint, unreviewed
from tools.project import load_project
from tools.yaml_io import yaml_parser

ALPHA = "utter_faq/alpha"
ALPHA_FILE = "data/faq/alpha.yml"
ENGLISH, FRENCH, YOUTH, FRENCH_YOUTH = 0, 1, 2, 3
FRENCH_TEXT = "Le sujet alpha, en français."
YOUTH_VERSIONS = (
    "  - condition:\n    - type: slot\n      name: is_minor\n      value: true\n"
    '    text: "Alpha, for someone young."\n'
    "  - condition:\n    - type: slot\n      name: is_minor\n      value: true\n"
    "    - type: slot\n      name: language\n      value: fr\n"
    '    text: "Alpha, pour une personne jeune."\n'
)


@pytest.fixture
def four(tiny):
    """The tiny project with alpha in English, French and both youth versions."""
    path = tiny / ALPHA_FILE
    path.write_text(path.read_text(encoding="utf-8") + YOUTH_VERSIONS, encoding="utf-8")
    return tiny


def saved_texts(root):
    doc = yaml_parser().load((root / ALPHA_FILE).read_text(encoding="utf-8"))
    return [variant["text"] for variant in doc["responses"][ALPHA]]


def condition(name, value):
    return {"type": "slot", "name": name, "value": value}


@pytest.mark.parametrize(
    "conditions, label",
    [
        ([], "English"),
        ([condition("is_minor", True)], "English, for someone under 18"),
        ([condition("language", "fr")], "French"),
        (
            [condition("is_minor", True), condition("language", "fr")],
            "French, for someone under 18",
        ),
        ([condition("language", "es")], "Spanish"),
        ([condition("language", "xx")], 'the language "xx"'),
        ([condition("is_minor", False)], "English, for someone 18 or over"),
        ([condition("situation", "sex_work")], "English, when situation is sex_work"),
        ([condition("situation", None)], "English, when situation is empty"),
    ],
)
def test_each_version_is_named_in_plain_words(conditions, label):
    names = {"en": "English", "fr": "French", "es": "Spanish"}
    assert edits.variation_label({"condition": conditions, "text": "x"}, names) == label


def test_the_answers_list_names_every_version(four):
    listed = {response.name: versions for response, versions in edits.answers(four)}
    assert [(v.index, v.label) for v in listed[ALPHA]] == [
        (ENGLISH, "English"),
        (FRENCH, "French"),
        (YOUTH, "English, for someone under 18"),
        (FRENCH_YOUTH, "French, for someone under 18"),
    ]
    assert [v.label for v in listed["utter_greet"]] == ["English"]


def test_no_version_of_the_real_answers_shows_raw_yaml():
    project = load_project(paths.ROOT)
    labels = {
        v.label
        for name in {r.name for r in project.responses}
        for v in edits.versions(project, name)
    }
    assert {"English", "French", "English, for someone under 18"} <= labels
    assert "French, for someone under 18" in labels
    assert not [label for label in labels if any(mark in label for mark in "{}[]:_")]
    bridge = [v.label for v in edits.versions(project, "utter_language_bridge")]
    assert len(set(bridge)) == len(bridge)
    assert bridge[0] == "English" and bridge[-1] == "English, when no other version fits"


@pytest.mark.parametrize("sent", ["-1", "abc", "1.0", "1e3", "٣", "99999", " 1 2"])
def test_a_variation_index_that_is_not_a_plain_number_is_refused(sent):
    with pytest.raises(ValueError):
        edits.variant_index(sent)


def test_a_variation_that_does_not_exist_is_refused_and_nothing_saved(four):
    assert edits.variant_index(None) == 0 and edits.variant_index("3") == FRENCH_YOUTH
    for missing in (4, -1):
        with pytest.raises(IndexError):
            edits.read_answer(four, ALPHA, missing)
    before = (four / ALPHA_FILE).read_bytes()
    with pytest.raises(edits.EditRefused, match="no variation 4"):
        edits.save_answer(four, ALPHA, "Alpha, in new words.", 4)
    with pytest.raises(edits.EditRefused, match="no variation"):
        edits.save_answer(four, ALPHA, "Alpha, in new words.", -1)  # never the last one
    assert (four / ALPHA_FILE).read_bytes() == before


def test_saving_the_french_version_changes_only_it(four):
    saved = edits.save_answer(four, ALPHA, "Alpha, en nouveaux mots.\r\nAppelez le 911.", FRENCH)
    assert (saved.label, saved.language) == ("French", "fr")
    assert [v.label for v in saved.versions][FRENCH] == "French"
    assert saved_texts(four) == [
        "Alpha is the first topic.",
        "Alpha, en nouveaux mots.\nAppelez le 911.",
        "Alpha, for someone young.",
        "Alpha, pour une personne jeune.",
    ]
    assert edits.read_answer(four, ALPHA).review is None  # English needs no translation review


def test_the_french_preview_writes_sms_options_in_french():
    buttons = [{"title": "Où trouver de l'aide ?", "payload": "/request_help"}]
    shown = preview("Alpha, en français.", buttons, "fr")
    assert shown.sms_parts == ['Alpha, en français.\n\nRépondez 1 pour "Où trouver de l\'aide ?"']


def test_an_edited_french_text_needs_a_fluent_speakers_review_again(four):
    review = four / paths.TRANSLATION_REVIEW
    review.parent.mkdir(parents=True, exist_ok=True)
    review.write_text(
        "translations:\n  - response: utter_faq/alpha\n    language: fr\n    name: French\n"
        f'    fingerprint: "{fingerprint(FRENCH_TEXT)}"\n'
        "    reviewed_by: Amélie\n    reviewed_on: 2026-11-01\n",
        encoding="utf-8",
    )
    before = edits.read_answer(four, ALPHA, FRENCH).review
    assert (before.language_name, before.reviewed_by) == ("French", "Amélie")
    after = edits.save_answer(four, ALPHA, "Alpha, en nouveaux mots.", FRENCH).review
    assert (after.language_name, after.reviewed_by) == ("French", "")
    warnings = [w.message for w in unreviewed(load_project(four))]
    assert 'The French text of "utter_faq/alpha" changed after Amélie reviewed it.' in warnings
    assert edits.read_answer(four, ALPHA, FRENCH_YOUTH).review.reviewed_by == ""


def test_saving_a_youth_version_changes_only_it(four):
    saved = edits.save_answer(four, ALPHA, "Alpha, for someone under 18. Call 911.", YOUTH)
    assert saved.label == "English, for someone under 18"
    assert saved_texts(four)[YOUTH] == "Alpha, for someone under 18. Call 911."
    assert saved_texts(four)[ENGLISH] == "Alpha is the first topic."


@pytest.mark.parametrize(
    "variant, text",
    [
        (YOUTH, "Sex workers have rights too. Call 911."),
        (YOUTH, "Selling your own sex is not a crime in Canada."),
        (FRENCH_YOUTH, "Les travailleuses du sexe ont des droits."),
    ],
)
def test_a_youth_version_with_adult_framing_is_refused(four, variant, text):
    before = (four / ALPHA_FILE).read_bytes()
    with pytest.raises(edits.EditRefused, match="adult sex-work framing"):
        edits.save_answer(four, ALPHA, text, variant)
    assert (four / ALPHA_FILE).read_bytes() == before


def test_the_adult_version_may_name_sex_work_and_numbers_still_come_from_the_directory(four):
    edits.save_answer(four, ALPHA, "Sex workers have rights too.", ENGLISH)
    with pytest.raises(edits.EditRefused, match="not in the service directory"):
        edits.save_answer(four, ALPHA, "Appelez le 1-800-555-0199.", FRENCH_YOUTH)
