"""The README's layout table matches the tree, and the README stays short.

Every path in the table exists, and every top-level folder that git holds (or would commit) is in
the table, so a moved or added folder shows up here rather than in a confused newcomer.
"""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import List, Set, Tuple

from tools.paths import ROOT

README = ROOT / "README.md"
MAX_README_BYTES = 8 * 1024
CODE = re.compile(r"`([^`]+)`")
PLACEHOLDER = re.compile(r"<[^<>/]+>")


def layout_rows(text: str) -> List[Tuple[str, str]]:
    """(path cell, description cell) of each row of the table under "## Layout"."""
    section = text.split("\n## Layout\n", 1)[1].split("\n## ", 1)[0]
    rows = []
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) < 2 or set(cells[0]) <= {"-"}:
            continue
        if cells[0] == "path":
            continue
        rows.append((cells[0], cells[1]))
    return rows


def table_paths(text: str) -> Set[str]:
    """Every path named in the table's first column."""
    return {path for cell, _ in layout_rows(text) for path in CODE.findall(cell)}


def described_paths(text: str) -> Set[str]:
    """Paths the descriptions name with a folder in them (`web/serve.py`), not commands."""
    return {
        token
        for _, cell in layout_rows(text)
        for token in CODE.findall(cell)
        if "/" in token and " " not in token and not token.startswith("python")
    }


def exists(path: str, root: Path) -> bool:
    """A table path exists; `<topic>` stands for any name and must match at least one file."""
    pattern = PLACEHOLDER.sub("*", path.rstrip("/"))
    if pattern == path.rstrip("/"):
        return (root / pattern).exists()
    return any(root.glob(pattern))


def git_top_level_folders(root: Path) -> Set[str]:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=root,
        capture_output=True,
        check=True,
        text=True,
    ).stdout
    return {name.split("/", 1)[0] for name in listed.split("\0") if "/" in name}


def test_layout_table_is_parsed() -> None:
    rows = layout_rows(README.read_text(encoding="utf-8"))
    assert len(rows) >= 10
    assert all(CODE.search(cell) for cell, _ in rows), "every row names a path in backticks"


def test_every_path_in_the_layout_table_exists() -> None:
    text = README.read_text(encoding="utf-8")
    missing = sorted(p for p in table_paths(text) | described_paths(text) if not exists(p, ROOT))
    assert not missing, f"README layout table names paths that do not exist: {missing}"


def test_every_top_level_folder_is_in_the_layout_table() -> None:
    paths = table_paths(README.read_text(encoding="utf-8"))
    covered = {path.split("/", 1)[0] for path in paths}
    absent = sorted(git_top_level_folders(ROOT) - covered)
    assert not absent, f"top-level folders missing from the README layout table: {absent}"


def test_drift_is_caught(tmp_path: Path) -> None:
    """The checks above fail on a tree that has drifted from the table."""
    text = "# x\n\n## Layout\n\n| path | what |\n|---|---|\n| `kept/` | a |\n| `gone.yml` | b |\n"
    (tmp_path / "kept").mkdir()
    assert exists("kept/", tmp_path)
    assert not exists("gone.yml", tmp_path)
    assert not exists("kept/<name>.yml", tmp_path)
    (tmp_path / "kept" / "one.yml").write_text("", encoding="utf-8")
    assert exists("kept/<name>.yml", tmp_path)
    assert table_paths(text) == {"kept/", "gone.yml"}


def test_readme_stays_short() -> None:
    """Details live in docs/, SECURITY.md and STAFF_GUIDE.md; the README says what and where."""
    size = len(README.read_bytes())
    assert size <= MAX_README_BYTES, f"README.md is {size} bytes, over {MAX_README_BYTES}"
