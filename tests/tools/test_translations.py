"""`make check` lists translations no fluent speaker has reviewed; an edit resets a review."""

from __future__ import annotations

from tools.check import translation_warnings
from tools.checks.translations import (
    fingerprint,
    translations,
    unreviewed,
    unreviewed_widget_strings,
)
from tools.paths import WIDGET_SCRIPT
from tools.project import Project, load_project


def project_with(text: str, record: dict | None) -> Project:
    variant = {"condition": [{"type": "slot", "name": "language", "value": "es"}], "text": text}
    english = {"condition": [{"type": "slot", "name": "language", "value": "en"}], "text": "OK"}
    project = Project(root=None)
    project.documents["domain.yml"] = {"responses": {"utter_x": [english, variant, {"text": "Hi"}]}}
    review = {"response": "utter_x", "language": "es", "name": "Spanish", **(record or {})}
    project.documents["data/translations/review.yml"] = {"translations": [review]}
    return project


def test_only_texts_for_other_languages_are_translations():
    [found] = translations(project_with("Hola", None))
    assert (found.key, found.text) == ("utter_x/es", "Hola")


def test_a_text_without_a_reviewer_is_listed():
    [warning] = unreviewed(project_with("Hola", {"reviewed_by": None}))
    assert warning.message == 'The Spanish text of "utter_x" is not reviewed yet.'
    assert fingerprint("Hola") in warning.fix


def test_a_reviewed_text_is_not_listed():
    record = {"reviewed_by": "A. Reviewer", "fingerprint": fingerprint("Hola")}
    assert unreviewed(project_with("Hola", record)) == []


def test_editing_a_reviewed_text_resets_its_review():
    record = {"reviewed_by": "A. Reviewer", "fingerprint": fingerprint("Hola")}
    [warning] = unreviewed(project_with("Hola, ¿cómo está?", record))
    assert "changed after A. Reviewer reviewed it" in warning.message


def test_a_youth_text_has_its_own_review_record():
    youth = {
        "condition": [
            {"type": "slot", "name": "is_minor", "value": True},
            {"type": "slot", "name": "language", "value": "es"},
        ],
        "text": "Hola, joven",
    }
    reviewed = {"reviewed_by": "A. Reviewer", "fingerprint": fingerprint("Hola")}
    project = project_with("Hola", reviewed)
    project.documents["domain.yml"]["responses"]["utter_x"].append(youth)
    [warning] = unreviewed(project)
    assert warning.message == 'The es text of "utter_x" (when is_minor) has no review record.'
    record = {"response": "utter_x", "language": "es", "when": "is_minor", "reviewed_by": None}
    project.documents["data/translations/review.yml"]["translations"].append(record)
    [warning] = unreviewed(project)
    assert warning.message == 'The es text of "utter_x" (when is_minor) is not reviewed yet.'


def test_every_translation_in_the_project_has_a_review_record(root):
    project = load_project(root)
    messages = [w.message for w in unreviewed(project)]
    assert not [m for m in messages if "has no review record" in m]


def test_make_check_lists_unreviewed_texts_as_a_warning_not_a_failure(root):
    warnings = translation_warnings(root)
    assert warnings.startswith("Warning:")


def test_unreviewed_widget_strings_are_listed_until_signed_off(tmp_path):
    script = tmp_path / WIDGET_SCRIPT
    script.parent.mkdir(parents=True)
    record = '{"fr": {"name": "French", "reviewed_by": null}, "en": {"reviewed_by": "A"}}'
    script.write_text(f"x\nvar TRANSLATION_REVIEW = {record};\n", encoding="utf-8")
    [problem] = unreviewed_widget_strings(tmp_path)
    assert (problem.file, problem.line) == (WIDGET_SCRIPT, 2)
    assert "French strings are not reviewed" in problem.message
    signed = record.replace("null", '"B"')
    script.write_text(f"var TRANSLATION_REVIEW = {signed};\n", encoding="utf-8")
    assert unreviewed_widget_strings(tmp_path) == []
    assert unreviewed_widget_strings(), "the widget's French strings are not reviewed yet"
