"""Answer and service edits: checked like `make check` before saving, nothing saved when refused."""

from __future__ import annotations

import pytest

from console import edits
from console.preview import preview
from tools.text import reading_grade
from tools.yaml_io import yaml_parser

ALPHA = "utter_faq/alpha"


def answer_text(root, name=ALPHA, rel="data/faq/alpha.yml"):
    doc = yaml_parser().load((root / rel).read_text(encoding="utf-8"))
    return doc["responses"][name][0]["text"]


def test_a_number_not_in_the_directory_is_refused_and_nothing_saved(tiny):
    before = (tiny / "data/faq/alpha.yml").read_bytes()
    with pytest.raises(edits.EditRefused) as refused:
        edits.save_answer(tiny, ALPHA, "Call 1-800-555-0199 for alpha.")
    assert "not in the service directory" in refused.value.problems[0]
    assert (tiny / "data/faq/alpha.yml").read_bytes() == before


def test_a_closed_services_number_is_refused(tiny):
    with pytest.raises(edits.EditRefused, match="status is closed"):
        edits.save_answer(tiny, ALPHA, "Call 1-800-555-0100 for alpha.")


@pytest.mark.parametrize("bad", ["\x00", "\x07", "\x1b", "\ufeff", "\u2028", "\ud800"])
def test_characters_that_cannot_be_saved_are_refused(tiny, bad):
    before = (tiny / "data/faq/alpha.yml").read_bytes()
    with pytest.raises(edits.EditRefused, match="cannot be saved"):
        edits.save_answer(tiny, ALPHA, f"Alpha{bad} text.")
    assert (tiny / "data/faq/alpha.yml").read_bytes() == before


def test_an_empty_or_too_long_answer_is_refused(tiny):
    with pytest.raises(edits.EditRefused, match="empty"):
        edits.save_answer(tiny, ALPHA, "  \r\n ")
    with pytest.raises(edits.EditRefused, match="120"):
        edits.save_answer(tiny, ALPHA, "word " * 130)


def test_quotes_colons_and_hashes_are_saved_as_text_with_the_layout_kept(tiny):
    path = tiny / "data/faq/alpha.yml"
    path.write_text("# kept comment\n" + path.read_text(encoding="utf-8"), encoding="utf-8")
    text = 'Alpha: "the first" # topic.\r\nCall 1-833-900-1010, open 24/7.'
    edits.save_answer(tiny, ALPHA, text)
    assert answer_text(tiny) == 'Alpha: "the first" # topic.\nCall 1-833-900-1010, open 24/7.'
    written = path.read_text(encoding="utf-8")
    assert written.startswith("# kept comment\n")
    assert '    - title: "And beta?"' in written


def test_an_existing_problem_elsewhere_does_not_block_an_edit(tiny, edit):
    edit(tiny, "data/faq/beta.yml", "Beta is the second topic.", "Beta: call 1-800-555-0199.")
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    assert answer_text(tiny) == "Alpha, in new words."


def test_a_service_is_edited_validated_and_closed(tiny, recently):
    saved = edits.save_service(
        tiny,
        "hotline",
        {
            "hours": "Mon-Fri 9-5",
            "languages": "English, French",
            "coverage": "bc",
            "status": "active",
            "source": "the service's site",
            "last_verified": recently,
        },
    )
    assert saved["hours"] == "Mon-Fri 9-5" and saved["coverage"] == "bc"
    with pytest.raises(edits.EditRefused):
        edits.save_service(tiny, "hotline", {"last_verified": "last tuesday"})
    with pytest.raises(edits.EditRefused, match="status"):
        edits.save_service(tiny, "hotline", {"status": "maybe"})
    assert edits.service(tiny, "hotline")["last_verified"] == recently


def test_closing_a_service_an_answer_still_quotes_is_refused(tiny):
    # utter_help quotes the hotline's number: closing it would leave a dead number in an answer.
    with pytest.raises(edits.EditRefused):
        edits.close_service(tiny, "hotline")
    assert edits.service(tiny, "hotline")["status"] == "active"


def test_closing_a_service_takes_it_out_of_referrals(tiny, edit, recently):
    from actions.directory import load_directory

    edit(tiny, "data/referrals/services.yml", "status: closed", "status: active")
    edit(tiny, "data/referrals/services.yml", "It closed.", "It helps.")
    fields = {
        "source": "its site",
        "last_verified": recently,
        "hours": "24/7",
        "hours_fr": "24 h sur 24",
        "languages": "English",
        "languages_fr": "anglais",
    }
    edits.save_service(tiny, "old_service", fields)
    assert "old_service" in {
        s.id
        for s in load_directory(tiny / "data/referrals/services.yml", ["vancouver"]).choose(
            "sex_workers", None, 10
        )
    }
    edits.close_service(tiny, "old_service")
    path = tiny / "data/referrals/services.yml"
    directory = load_directory(path, ["vancouver", "fraser_valley"])
    assert "old_service" not in {s.id for s in directory.choose("sex_workers", None, 10)}


def test_preview_on_the_website_and_as_sms():
    buttons = [{"title": "Get help", "payload": "/request_help"}]
    shown = preview("In danger? Call 911.\nThe hotline is open 24/7.", buttons)
    assert shown.web_lines == ["In danger? Call 911.", "The hotline is open 24/7."]
    assert shown.buttons == ["Get help"]
    assert shown.sms_parts == [
        'In danger? Call 911.\nThe hotline is open 24/7.\n\nReply 1 for "Get help"'
    ]
    assert shown.sms_segments == 1 and shown.length_ok and shown.grade_ok


def test_reading_grade_tells_plain_from_hard_text():
    assert reading_grade("You can call. It is free. We can help you.") < 3
    hard = (
        "Comprehensive multidisciplinary interventions necessitate interorganizational "
        "coordination, notwithstanding jurisdictional considerations."
    )
    assert reading_grade(hard) > 12
    assert reading_grade("") == 0
