"""Reading YAML with line numbers (ruamel.yaml) and writing it back without changing its layout."""

from __future__ import annotations

import hashlib
import pickle
from io import StringIO
from pathlib import Path
from typing import Any, Dict, Tuple

from ruamel.yaml import YAML
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from tools.paths import relative
from tools.problems import Problem

# What the YAML parser says, and what it usually means for someone editing the files by hand.
_EXPLANATIONS = (
    ("\\t", "there is a tab character", "Indent with spaces only, never with the Tab key."),
    (
        "mapping values are not allowed",
        "a ':' appears where the file did not expect one",
        "If a text contains ':', put the whole text in double quotes. Otherwise check that "
        "the line is indented like the lines above it.",
    ),
    (
        "duplicate key",
        "the same name appears twice in one place",
        "Keep one of the two entries (merge them if both hold something useful).",
    ),
    (
        "could not find expected ':'",
        "a line is missing its ':' or is indented wrongly",
        "Compare the line with the lines around it: each name is followed by ':' and "
        "items start with '- ' at the same indentation.",
    ),
    (
        "quoted scalar",
        "a quotation mark is opened but never closed",
        "Close the quotes at the end of the text. Inside a text in double quotes, "
        'write a double quote as \\" (or use single quotes around the text).',
    ),
    (
        "expected <block end>",
        "the indentation does not line up",
        "Line this item up with the items above it (same number of spaces before '-').",
    ),
    (
        "did not find expected",
        "the indentation does not line up, or an item is missing its '- '",
        "Line this item up with the items above it (same number of spaces before '-').",
    ),
)
_DEFAULT_FIX = (
    "Compare this line with the lines around it: same indentation, '- ' before each item, "
    "and double quotes around texts that contain ':' or '#'."
)


def yaml_parser() -> YAML:
    """The round-trip parser: keeps comments, quotes and layout so files can be written back."""
    parser = YAML()
    parser.preserve_quotes = True
    parser.width = 4096
    parser.indent(mapping=2, sequence=2, offset=0)
    return parser


# Documents parsed before, by file: (digest of the text, pickled document). The round-trip parser
# is slow, and the checks read every file again after each edit, most of them unchanged.
_PARSED: Dict[str, Tuple[str, bytes]] = {}


def load(path: Path, root: Path) -> Tuple[Any, Problem | None]:
    """The file's content, or None and a Problem saying in plain words what is wrong and where."""
    rel = relative(path, root)
    text, problem = _read(path, rel)
    return (None, problem) if problem else _parse(text, rel)


def load_for_reading(path: Path, root: Path) -> Tuple[Any, Problem | None]:
    """`load`, for reading only: a file whose text was parsed before comes back as a new copy of
    that document. The copy keeps values and line numbers but not every comment, so it is never
    written back (edits use `load`)."""
    rel = relative(path, root)
    text, problem = _read(path, rel)
    if problem:
        return None, problem
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    kept = _PARSED.get(rel)
    if kept and kept[0] == digest:
        return pickle.loads(kept[1]), None  # noqa: S301 (pickled by this process, just above)
    doc, problem = _parse(text, rel)
    if problem is None:
        _PARSED[rel] = (digest, pickle.dumps(doc))
    return doc, problem


def _read(path: Path, rel: str) -> Tuple[str, Problem | None]:
    try:
        return Path(path).read_text(encoding="utf-8"), None
    except UnicodeDecodeError:
        return "", Problem(
            rel, None, "The file is not saved as UTF-8 text.", "Save it again as UTF-8."
        )


def _parse(text: str, rel: str) -> Tuple[Any, Problem | None]:
    try:
        return yaml_parser().load(text), None
    except MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark else None
        said = f"{error.problem or ''} {error.context or ''}"
        meaning, fix = next(
            ((m, f) for key, m, f in _EXPLANATIONS if key in said),
            ("the file cannot be read", _DEFAULT_FIX),
        )
        return None, Problem(
            rel, line, f"This is not valid YAML: {meaning} ({' '.join(said.split())}).", fix
        )
    except YAMLError as error:
        return None, Problem(rel, None, f"This is not valid YAML: {error}.", _DEFAULT_FIX)


def dump(data: Any) -> str:
    out = StringIO()
    yaml_parser().dump(data, out)
    return out.getvalue()


def line_of_item(sequence: Any, index: int) -> int | None:
    """1-based line of item `index` of a ruamel sequence (None if unknown)."""
    try:
        return sequence.lc.item(index)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def line_of_key(mapping: Any, key: str) -> int | None:
    """1-based line of `key` in a ruamel mapping (None if unknown)."""
    try:
        return mapping.lc.key(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None


def line_of_value(mapping: Any, key: str) -> int | None:
    try:
        return mapping.lc.value(key)[0] + 1
    except (AttributeError, KeyError, TypeError):
        return None
