"""The review CSV opens as text in a spreadsheet: no cell starts like a formula (CSV injection)."""

from __future__ import annotations

import csv

import pytest
from test_import_review import write_rows
from test_review import NOW, parse, save_conversation

from tools.import_review import main as import_main
from tools.project import load_project
from tools.review import main as review_main
from tools.spreadsheet import read_cell, safe_cell

FORMULAS = [
    '=HYPERLINK("http://evil.example","click")',
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "   =1+1",
    " \t@SUM(A1)",
    "\uff1d1+1",
]


@pytest.mark.parametrize("value", FORMULAS)
def test_a_cell_a_spreadsheet_would_run_is_written_as_text_and_read_back_unchanged(value):
    cell = safe_cell(value)
    assert cell == "'" + value
    assert read_cell(cell) == value


@pytest.mark.parametrize(
    "value", ["is sex work legal", "[NAME] said 911", "'quoted' word", "1-833-900-1010", ""]
)
def test_plain_cells_are_left_alone(value):
    assert safe_cell(value) == value
    assert read_cell(value) == value


async def test_review_export_has_no_formula_cell(tmp_path, tiny):
    db = tmp_path / "trackers.db"
    messages = ["=1+1 is this a trick", "+44 what", "-- help me", "@@ who do i call", "  =2+2"]
    await save_conversation(
        db,
        "person-1",
        [(text, parse("out_of_scope", 0.9), NOW - n) for n, text in enumerate(messages)],
    )
    out = tmp_path / "missed.csv"
    assert review_main(["--root", str(tiny), "--db", str(db), "--out", str(out)]) == 0
    with open(out, newline="", encoding="utf-8-sig") as handle:
        rows = list(csv.reader(handle))
    texts = sorted(row[0] for row in rows[1:])
    assert texts == sorted(
        ["'=1+1 is this a trick", "'+44 what", "'-- help me", "'@@ who do i call", "'=2+2"]
    )
    for row in rows:
        for cell in row:
            assert cell[:1] not in ("=", "+", "-", "@", "\t", "\r"), row


def test_import_removes_the_text_mark(tiny, tmp_path):
    rows = write_rows(tmp_path / "r.csv", [("'=alpha how does it work", "alpha")])
    assert import_main([str(rows), "--root", str(tiny)]) == 0
    examples = {(e.intent, e.text) for e in load_project(tiny).examples}
    assert ("faq/alpha", "=alpha how does it work") in examples
    assert not any(text.startswith("'") for _, text in examples)
