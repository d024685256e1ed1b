"""Edits staff make in the console: answers and directory entries, checked before anything is saved.

Each edit is made first in a scratch copy of the content and checked there with the checks of
`make check` (tools/check.py); it is saved only if it adds no problem. Files are written with the
project's round-trip YAML writer (tools/yaml_io.py), so comments and layout stay.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Tuple

from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from tools import paths
from tools.check import run_checks
from tools.checks.languages import FAQ_LANGUAGES, YOUTH_CONDITION
from tools.checks.translations import (
    LANGUAGE_SLOT,
    conditions_of,
    fingerprint,
    review_key,
    reviews,
)
from tools.problems import Problem
from tools.project import SOURCE_LANGUAGE, Project, Response, load_project
from tools.yaml_io import dump, load

# What the checks need to read: everything load_project reads.
CONTENT = (paths.DOMAIN, paths.CONFIG, paths.ENDPOINTS, paths.DATA, "tests/nlu")
SERVICE_FIELDS = (
    "hours",
    "hours_fr",
    "languages",
    "languages_fr",
    "coverage",
    "status",
    "source",
    "last_verified",
)
STATUSES = ("active", "closed", "unconfirmed")
MAX_TEXT = 4000


class EditRefused(Exception):
    """The edit was not saved; `problems` say why in plain words."""

    def __init__(self, problems: List[str]) -> None:
        super().__init__("; ".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class Review:
    """Whether a fluent speaker has signed off a translated text as it is now."""

    language_name: str
    reviewed_by: str  # "" when nobody has reviewed this wording
    reviewed_on: str


@dataclass(frozen=True)
class Version:
    """One variation of an answer, named in plain words for the answers list."""

    index: int
    label: str


@dataclass
class Answer:
    name: str
    file: str
    variant: int
    text: str
    buttons: List[Dict[str, str]] = field(default_factory=list)
    label: str = "English"
    language: str = SOURCE_LANGUAGE
    review: Review | None = None  # None: a text in the source language needs no translation review
    versions: List[Version] = field(default_factory=list)  # every version of this answer


def bad_characters(text: str) -> List[str]:
    """Characters that cannot be written safely in a YAML text or shown to people."""
    found = []
    for char in text:
        if char in "\n\t":
            continue
        kind = unicodedata.category(char)
        if kind in ("Cc", "Cs", "Co", "Cn") or char in "\ufeff\ufffe\u2028\u2029":
            found.append(f"U+{ord(char):04X} {unicodedata.name(char, '')}".strip())
    return sorted(set(found))


def one_line_ending(text: str) -> str:
    """Browsers send a form's new lines as CR LF; the files use LF."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def text_problems(text: str, what: str) -> List[str]:
    text = one_line_ending(text)
    problems = []
    if not text.strip():
        problems.append(f"The {what} is empty: write the text people should read.")
    if len(text) > MAX_TEXT:
        problems.append(f"The {what} is longer than {MAX_TEXT} characters.")
    bad = bad_characters(text)
    if bad:
        problems.append(
            f"The {what} contains characters that cannot be saved ({', '.join(bad)}). They are "
            "often copied in by accident from another program: type the text again there."
        )
    return problems


def answers(root: Path) -> List[Tuple[Response, List[Version]]]:
    """Every answer (its first variation) with the variations it has, by name."""
    project = load_project(root)
    first: Dict[str, Response] = {}
    for response in sorted(project.responses, key=lambda r: (r.name, r.line or 0)):
        first.setdefault(response.name, response)
    return [(response, versions(project, name)) for name, response in first.items()]


def _responses_doc(root: Path, name: str, project: Project | None = None) -> Tuple[str, Any]:
    project = project or load_project(root)
    for rel, doc in project.documents.items():
        responses = doc.get("responses") if isinstance(doc, dict) else None
        if isinstance(responses, dict) and name in responses:
            return rel, doc
    raise KeyError(name)


def language_names(project: Project) -> Dict[str, str]:
    """The name of each language code: the assistant's own languages, then the review records'."""
    names = {
        str(record.get("language")): str(record.get("name"))
        for record in (project.documents.get(paths.TRANSLATION_REVIEW) or {}).get("translations")
        or []
        if isinstance(record, dict) and record.get("name")
    }
    return {**names, **FAQ_LANGUAGES}


def _plain_value(value: Any) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return "empty" if value is None else str(value)


def variation_label(variant: Any, names: Dict[str, str]) -> str:
    """Who a variation is for, in plain words: "French, for someone under 18"."""
    language, others = names.get(SOURCE_LANGUAGE, "English"), []
    conditions = variant.get("condition") if isinstance(variant, dict) else None
    for condition in conditions if isinstance(conditions, list) else []:
        if not isinstance(condition, dict):
            continue
        slot, value = str(condition.get("name", "")), condition.get("value")
        if slot == LANGUAGE_SLOT:
            language = names.get(str(value)) or f'the language "{value}"'
        elif slot == YOUTH_CONDITION and value is True:
            others.append("for someone under 18")
        elif slot == YOUTH_CONDITION and value is False:
            others.append("for someone 18 or over")
        else:
            others.append(f"when {slot.replace('_', ' ')} is {_plain_value(value)}")
    return ", ".join([language, *others])


def _variants(doc: Any, name: str) -> List[Any]:
    variants = doc["responses"][name]
    return list(variants) if isinstance(variants, list) else []


def _labels(variants: List[Any], names: Dict[str, str]) -> Dict[int, str]:
    """Each variation's label, told apart when two read the same: the one without conditions is
    the one said when no other fits (utter_language_bridge's English for any other language)."""
    labels = {
        index: variation_label(variant, names)
        for index, variant in enumerate(variants)
        if isinstance(variant, dict)
    }
    for suffix in (", when no other version fits", None):
        said = list(labels.values())
        for index, label in labels.items():
            if said.count(label) > 1 and (suffix is None or not variants[index].get("condition")):
                labels[index] += suffix or f" ({index + 1})"
    return labels


def versions(project: Project, name: str) -> List[Version]:
    """The variations of one answer that can be edited, in file order."""
    for doc in project.documents.values():
        responses = doc.get("responses") if isinstance(doc, dict) else None
        if isinstance(responses, dict) and name in responses:
            labels = _labels(_variants(doc, name), language_names(project))
            return [Version(index, label) for index, label in labels.items()]
    raise KeyError(name)


def _review(project: Project, name: str, variant: Dict[str, Any]) -> Review | None:
    language, when = conditions_of(variant)
    if language == SOURCE_LANGUAGE:
        return None
    record = reviews(project).get(review_key(name, language, when)) or {}
    current = record.get("fingerprint") == fingerprint(str(variant.get("text") or ""))
    reviewer = str(record.get("reviewed_by") or "") if current else ""
    return Review(
        language_names(project).get(language, language),
        reviewer,
        str(record.get("reviewed_on") or "") if reviewer else "",
    )


def variant_index(value: Any) -> int:
    """The variation index a form or link sent; ValueError when it is not a plain number."""
    text = str(value if value is not None else "0").strip() or "0"
    if not text.isascii() or not text.isdigit() or len(text) > 4:
        raise ValueError(text)
    return int(text)


def read_answer(root: Path, name: str, variant: int = 0) -> Answer:
    """One variation of an answer; KeyError for no such answer, IndexError for no such variation."""
    project = load_project(root)
    rel, doc = _responses_doc(root, name, project)
    variants = _variants(doc, name)
    if not 0 <= variant < len(variants) or not isinstance(variants[variant], dict):
        raise IndexError(variant)
    item = variants[variant]
    labels = _labels(variants, language_names(project))
    buttons = [
        {"title": str(b.get("title", "")), "payload": str(b.get("payload", ""))}
        for b in item.get("buttons") or []
        if isinstance(b, dict)
    ]
    return Answer(
        name,
        rel,
        variant,
        str(item.get("text") or ""),
        buttons,
        label=labels[variant],
        language=conditions_of(item)[0],
        review=_review(project, name, item),
        versions=[Version(index, label) for index, label in labels.items()],
    )


def _scratch(root: Path) -> Path:
    """A copy of the content (not the models) to try an edit in."""
    scratch = Path(tempfile.mkdtemp(prefix="console-edit-"))
    for rel in CONTENT:
        source = Path(root) / rel
        if source.is_dir():
            shutil.copytree(source, scratch / rel)
        elif source.exists():
            (scratch / rel).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(source, scratch / rel)
    return scratch


def _key(problem: Problem) -> Tuple[str, str]:
    return problem.file, problem.message


def _write(path: Path, text: str) -> None:
    temporary = path.with_name(f".{path.name}.console.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


_CHECKED: Dict[tuple, List[Problem]] = {}


def _content_state(root: Path) -> tuple:
    files = []
    for rel in CONTENT:
        path = Path(root) / rel
        found = sorted(path.rglob("*.yml")) if path.is_dir() else [path] if path.exists() else []
        files += [(str(f), f.stat().st_mtime_ns, f.stat().st_size) for f in found]
    return (dt.date.today(), *files)  # a directory entry can expire overnight


def current_problems(root: Path) -> List[Problem]:
    """What `make check` (without Rasa's validation) finds now; remembered until a file changes."""
    state = _content_state(root)
    problems = _CHECKED.get(state)
    if problems is None:
        # Computed before it is kept: the console's start-up check may run in another thread.
        problems = run_checks(root, with_rasa=False)
        _CHECKED.clear()
        _CHECKED[state] = problems
    return problems


def checked_edit(root: Path, rel: str, change: Callable[[Any], None]) -> List[Problem]:
    """Applies `change` to the parsed file `rel`, checks the result in a scratch copy, and saves it
    only if it adds no problem. Returns the problems the edit adds (empty: saved)."""
    root = Path(root)
    doc, problem = load(root / rel, root)
    if problem:
        raise EditRefused([f"{problem.where}: {problem.message}"])
    change(doc)
    text = dump(doc)
    before = {_key(p) for p in current_problems(root)}
    scratch = _scratch(root)
    try:
        _write(scratch / rel, text)
        after = run_checks(scratch, with_rasa=False)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    added = [p for p in after if _key(p) not in before]
    if not added:
        _write(root / rel, text)
        _CHECKED.clear()
        _CHECKED[_content_state(root)] = after  # the saved content is what was just checked
    return added


def plain_problems(problems: List[Problem]) -> List[str]:
    return [f"{p.message} {p.fix}" for p in problems]


def save_answer(root: Path, name: str, text: str, variant: int = 0) -> Answer:
    """Saves a new text for one answer, or raises EditRefused with the reasons."""
    text = one_line_ending(text).strip()
    refused = text_problems(text, "answer")
    if refused:
        raise EditRefused(refused)
    try:
        rel = read_answer(root, name, variant).file
    except KeyError:
        raise EditRefused([f'There is no answer "{name}".']) from None
    except IndexError:
        raise EditRefused([f'The answer "{name}" has no variation {variant}.']) from None

    def change(doc: Any) -> None:
        doc["responses"][name][variant]["text"] = DoubleQuotedScalarString(text)

    added = checked_edit(root, rel, change)
    if added:
        raise EditRefused(plain_problems(added))
    return read_answer(root, name, variant)


def services(root: Path) -> List[Dict[str, Any]]:
    doc, problem = load(Path(root) / paths.SERVICES, Path(root))
    if problem:
        raise EditRefused([problem.message])
    return list(doc.get("services") or [])


def service(root: Path, service_id: str) -> Dict[str, Any]:
    for entry in services(root):
        if str(entry.get("id")) == service_id:
            return entry
    raise KeyError(service_id)


def _coverage(value: str) -> Any:
    words = [w for w in re.split(r"[,\s]+", value.strip()) if w]
    if len(words) == 1 and words[0] in ("canada", "bc"):
        return words[0]
    return words


def save_service(root: Path, service_id: str, values: Dict[str, str]) -> Dict[str, Any]:
    """Saves the form's fields for one directory entry, or raises EditRefused."""
    refused = []
    for name in SERVICE_FIELDS:
        if name in values:
            refused += text_problems(values[name], name.replace("_", " "))
    if values.get("status") not in (None, *STATUSES):
        refused.append(f"The status is one of: {', '.join(STATUSES)}.")
    if refused:
        raise EditRefused(refused)

    def change(doc: Any) -> None:
        for entry in doc.get("services") or []:
            if str(entry.get("id")) == service_id:
                for name in SERVICE_FIELDS:
                    if name not in values:
                        continue
                    value = values[name].strip()
                    entry[name] = (
                        _coverage(value)
                        if name == "coverage"
                        else DoubleQuotedScalarString(value)
                        if name in ("source", "last_verified")
                        else value
                    )
                return
        raise EditRefused([f'There is no service "{service_id}".'])

    added = checked_edit(root, paths.SERVICES, change)
    if added:
        raise EditRefused(plain_problems(added))
    return service(root, service_id)


def close_service(root: Path, service_id: str) -> Dict[str, Any]:
    """Takes a service out of every referral: its status becomes closed."""
    return save_service(root, service_id, {"status": "closed"})
