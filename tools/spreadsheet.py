"""CSV cells that a spreadsheet program shows as text, never runs as a formula.

A spreadsheet treats a cell starting with =, +, -, @, a tab or a carriage return as a formula,
also after leading spaces (OWASP, "CSV Injection"). Such a cell could fetch a web address, run a
command through DDE or change other cells when staff open the review file. An apostrophe in front
makes the cell plain text; `read_cell` removes it again when the file comes back.
"""

from __future__ import annotations

import re

TEXT_MARK = "'"
# Full-width forms too: some spreadsheet programs read them as the ASCII characters.
_FORMULA_START = re.compile(r"^[ \u00a0\u3000]*[=+\-@\t\r\n\uff1d\uff0b\uff0d\uff20]")


def safe_cell(value: str) -> str:
    """`value` as a cell that opens as text."""
    return TEXT_MARK + value if _FORMULA_START.match(value) else value


def read_cell(value: str) -> str:
    """A cell written by `safe_cell`, as it was before (spreadsheets may keep the apostrophe)."""
    if value.startswith(TEXT_MARK) and _FORMULA_START.match(value[len(TEXT_MARK) :]):
        return value[len(TEXT_MARK) :]
    return value
