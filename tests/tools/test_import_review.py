"""`make import-review`: labelled rows go to the right file; bad rows stop the import by row."""

from __future__ import annotations

import csv

from tools.import_review import main
from tools.project import load_project


def write_rows(path, rows):
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.writer(handle)
        writer.writerow(["text", "predicted_intent", "confidence", "date", "label"])
        for text, label in rows:
            writer.writerow([text, "nlu_fallback", "0.30", "2026-11-20", label])
    return path


def snapshot(root):
    return {p: p.read_text(encoding="utf-8") for p in sorted((root / "data").rglob("*.yml"))}


def test_labelled_rows_are_added_to_their_topic_or_intent_file(tiny, tmp_path, capsys):
    before = snapshot(tiny)
    rows = write_rows(
        tmp_path / "r.csv",
        [
            ("how does alpha work exactly", "alpha"),
            ("  is beta   a thing  ", "faq/beta"),
            ("I need someone to help me get out", "request_help"),
            ("what about the weather", ""),
            ("tell me a joke", "skip"),
        ],
    )
    assert main([str(rows), "--root", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "Added 3 example(s):" in out and "1 row(s) had no label" in out
    after = snapshot(tiny)
    changed = {p.relative_to(tiny).as_posix() for p in after if after[p] != before[p]}
    assert changed == {"data/faq/alpha.yml", "data/faq/beta.yml", "data/nlu/request_help.yml"}
    alpha = tiny / "data/faq/alpha.yml"
    # The layout is kept: the only change is the new line at the end of the examples.
    assert after[alpha] == before[alpha].replace(
        "    - alpha question twentieth\n",
        "    - alpha question twentieth\n    - how does alpha work exactly\n",
    )
    examples = {(e.intent, e.text) for e in load_project(tiny).examples}
    assert ("faq/beta", "is beta a thing") in examples
    assert ("request_help", "I need someone to help me get out") in examples


def test_unknown_labels_are_rejected_by_row_and_nothing_is_written(tiny, tmp_path, capsys):
    before = snapshot(tiny)
    rows = write_rows(
        tmp_path / "r.csv",
        [
            ("how does alpha work exactly", "alpha"),
            ("what is gamma", "gamma_topic"),
            ("is alfa real", "alfa"),
            ("my name is [NAME]", "greet"),
        ],
    )
    assert main([str(rows), "--root", str(tiny)]) == 1
    out = capsys.readouterr().out
    assert "Nothing was imported: 3 row(s) need fixing" in out
    assert 'Row 3: "gamma_topic" is not a topic or intent.' in out
    assert 'Row 4: "alfa" is not a topic or intent. Did you mean "alpha"?' in out
    assert "Row 5: the text still contains [NAME]." in out
    assert snapshot(tiny) == before


def test_duplicates_and_test_questions_are_skipped(tiny, tmp_path, capsys):
    rows = write_rows(
        tmp_path / "r.csv",
        [
            ("Alpha question first!", "beta"),
            ("good morning to you", "greet"),
            ("a brand new question about alpha", "alpha"),
            ("a brand new question about alpha", "alpha"),
        ],
    )
    assert main([str(rows), "--root", str(tiny)]) == 0
    out = capsys.readouterr().out
    assert "Added 1 example(s):" in out
    assert 'Skipped row 2: "Alpha question first!" is already an example of faq/alpha.' in out
    assert 'Skipped row 3: "good morning to you" is a test question' in out
    assert "Skipped row 5" in out and "appears twice in this file" in out


def test_a_file_without_a_label_column_is_refused(tiny, tmp_path, capsys):
    path = tmp_path / "r.csv"
    path.write_text("text\nhello\n", encoding="utf-8")
    assert main([str(path), "--root", str(tiny)]) == 1
    assert "needs the columns 'text' and 'label'" in capsys.readouterr().out


def test_place_names_are_marked_for_intents_that_use_them(tiny, tmp_path):
    (tiny / "data/nlu/inform_location.yml").write_text(
        'version: "3.1"\nnlu:\n- intent: inform_location\n  examples: |\n'
        "    - I'm in [Vancouver](location)\n",
        encoding="utf-8",
    )
    rows = write_rows(tmp_path / "r.csv", [("we live near vancouver now", "inform_location")])
    assert main([str(rows), "--root", str(tiny)]) == 0
    text = (tiny / "data/nlu/inform_location.yml").read_text(encoding="utf-8")
    assert text.endswith("    - we live near [vancouver](location) now\n")


def test_a_held_out_situation_is_never_imported(tiny, tmp_path, capsys):
    (tiny / "tests/nlu/situations.yml").write_text(
        "conversations:\n  - group: danger\n    intent: greet\n    text: hello there friend\n",
        encoding="utf-8",
    )
    rows = write_rows(tmp_path / "r.csv", [("Hello there, friend", "greet")])
    before = snapshot(tiny)
    assert main([str(rows), "--root", str(tiny)]) == 0
    assert 'Skipped row 2: "Hello there, friend" is a test question' in capsys.readouterr().out
    assert snapshot(tiny) == before


FRENCH_ROW = "comment fonctionne alpha exactement, s'il vous plaît"


def test_english_rows_go_to_the_english_list_and_french_rows_to_the_french_list(tiny, tmp_path):
    before = (tiny / "data/faq/alpha.yml").read_text(encoding="utf-8")
    rows = write_rows(
        tmp_path / "r.csv", [("how does alpha work exactly", "alpha"), (FRENCH_ROW, "alpha")]
    )
    assert main([str(rows), "--root", str(tiny)]) == 0
    after = (tiny / "data/faq/alpha.yml").read_text(encoding="utf-8")
    english, french = (
        "    - alpha question twentieth\n",
        "    - je voudrais savoir alpha, dixième fois\n",
    )
    assert after == before.replace(
        english, f"{english}    - how does alpha work exactly\n"
    ).replace(french, f"{french}    - {FRENCH_ROW}\n")
    added = {e.text: e.language for e in load_project(tiny).examples if e.intent == "faq/alpha"}
    assert added["how does alpha work exactly"] == "en" and added[FRENCH_ROW] == "fr"


def test_a_french_row_starts_the_french_list_when_there_is_none(tiny, tmp_path):
    greet = tiny / "data/nlu/greet.yml"
    before = greet.read_text(encoding="utf-8")
    assert "language:" not in before
    rows = write_rows(
        tmp_path / "r.csv",
        [
            ("bonjour, est-ce que je peux vous poser une question", "greet"),
            ("bonsoir, j'aimerais avoir des renseignements s'il vous plaît", "greet"),
        ],
    )
    assert main([str(rows), "--root", str(tiny)]) == 0
    assert greet.read_text(encoding="utf-8") == before + (
        "- intent: greet\n  metadata:\n    language: fr\n  examples: |\n"
        "    - bonjour, est-ce que je peux vous poser une question\n"
        "    - bonsoir, j'aimerais avoir des renseignements s'il vous plaît\n"
    )
    project = load_project(tiny)
    assert [b.language for b in project.blocks if b.file == "data/nlu/greet.yml"] == ["en", "fr"]
    assert project.intent_block("greet", "fr").line == 25


def test_a_topic_without_a_french_list_gets_one_before_its_answers(tiny, tmp_path):
    path = tiny / "data/faq/alpha.yml"
    text = path.read_text(encoding="utf-8")
    start, end = text.index("- intent: faq/alpha\n  metadata:"), text.index("responses:")
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    rows = write_rows(tmp_path / "r.csv", [(FRENCH_ROW, "alpha")])
    assert main([str(rows), "--root", str(tiny)]) == 0
    french_list = "- intent: faq/alpha\n  metadata:\n    language: fr\n  examples: |\n"
    assert path.read_text(encoding="utf-8") == (
        f"{text[:start]}{french_list}    - {FRENCH_ROW}\n{text[end:]}"
    )
