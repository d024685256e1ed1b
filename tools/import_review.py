"""`make import-review FILE=...`: labelled review rows become training examples.

Each row whose label column names a topic (e.g. "signs_of_trafficking" or
"faq/signs_of_trafficking") or an intent (e.g. "request_help_trafficking") is added to the file
that holds that topic's or intent's examples. Nothing is written if any row has a problem; rows
already in the training data (or in the test set) are skipped. Labels "skip", "-" and "none" mark
rows that were looked at and left out.

    python -m tools.import_review FILE
"""

from __future__ import annotations

import argparse
import csv
import difflib
import re
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, List

from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.scalarstring import LiteralScalarString

from tools import paths
from tools.checks.languages import FAQ_LANGUAGES, example_language
from tools.masking import PLACEHOLDERS
from tools.project import (
    FAQ_PREFIX,
    LANGUAGE_KEY,
    METADATA_KEY,
    SOURCE_LANGUAGE,
    Project,
    block_language,
    load_project,
)
from tools.spreadsheet import read_cell
from tools.text import normalise, plain
from tools.yaml_io import dump, yaml_parser

SKIP_LABELS = {"skip", "-", "none", "ignore"}
NOT_TRAINABLE = {"nlu_fallback", "faq"}


@dataclass
class Plan:
    # file -> (intent, language of the block it goes to, example text)
    additions: Dict[str, List[tuple]] = field(default_factory=lambda: defaultdict(list))
    errors: List[str] = field(default_factory=list)
    skipped: List[str] = field(default_factory=list)
    unlabelled: int = 0


def _targets(project: Project) -> Dict[str, str]:
    """Every label staff may write -> the intent name it stands for."""
    intents = {e.intent for e in project.examples} - NOT_TRAINABLE
    targets = {name: name for name in intents}
    targets.update(
        {name[len(FAQ_PREFIX) :]: name for name in intents if name.startswith(FAQ_PREFIX)}
    )
    return targets


def _annotate(text: str, places: List[str]) -> str:
    """Marks known place names as [Place](location), as inform_location examples need."""
    for place in places:
        text = re.sub(
            rf"(?<![\w\[]){re.escape(place)}(?![\w\]])",
            lambda m: f"[{m.group(0)}](location)",
            text,
            count=1,
            flags=re.IGNORECASE,
        )
    return text


def plan_import(project: Project, rows: List[Dict[str, str]], first_line: int = 2) -> Plan:
    plan = Plan()
    targets = _targets(project)
    known = {e.key: e for e in project.examples}
    tests = {e.key for e in project.test_questions()}
    places = sorted((e.plain for e in project.lookups.get("location", [])), key=len, reverse=True)
    queued = set()
    for number, row in enumerate(rows, first_line):
        label = read_cell((row.get("label") or "").strip())
        text = " ".join(read_cell((row.get("text") or "").strip()).split())
        where = f"Row {number}"
        if not label:
            plan.unlabelled += 1
            continue
        if label.lower() in SKIP_LABELS:
            continue
        intent = targets.get(label) or targets.get(label.lower())
        if intent is None:
            close = difflib.get_close_matches(label, list(targets), n=1)
            hint = f' Did you mean "{close[0]}"?' if close else ""
            plan.errors.append(
                f'{where}: "{label}" is not a topic or intent.{hint} Topics are the file names '
                f"in {paths.FAQ_DIR}/ (without .yml), intents the file names in {paths.NLU_DIR}/."
            )
            continue
        if not text:
            plan.errors.append(f"{where}: the text is empty.")
            continue
        hidden = [p for p in PLACEHOLDERS if p in text]
        if hidden:
            plan.errors.append(
                f"{where}: the text still contains {', '.join(hidden)}. Rewrite it without "
                "personal details (use a made-up first name if a name matters), or label it skip."
            )
            continue
        key = normalise(text)
        if key in known:
            plan.skipped.append(f'{where}: "{text}" is already an example of {known[key].intent}.')
        elif key in tests:
            plan.skipped.append(f'{where}: "{text}" is a test question ({paths.HELDOUT}).')
        elif key in queued:
            plan.skipped.append(f'{where}: "{text}" appears twice in this file.')
        else:
            queued.add(key)
            language = example_language(plain(text))
            if language not in FAQ_LANGUAGES:
                language = SOURCE_LANGUAGE  # no list of its own: kept with the English ones
            block = project.intent_block(intent, language) or project.intent_block(intent)
            uses_places = any(
                "(location)" in e.text for e in project.examples if e.intent == intent
            )
            plan.additions[block.file].append(
                (intent, language, _annotate(text, places) if uses_places else text)
            )
    return plan


def apply(root: Path, plan: Plan) -> None:
    """Appends the planned examples to the end of their intent's list in their language, keeping
    the layout; a missing list (e.g. the first French example) is written after the English one.
    """
    parser = yaml_parser()
    for rel, items in plan.additions.items():
        path = Path(root) / rel
        document = parser.load(path.read_text(encoding="utf-8"))
        entries = document["nlu"]
        for intent, language, text in items:
            entry = _entry(entries, intent, language)
            block = str(entry.get("examples") or "")
            if block and not block.endswith("\n"):
                block += "\n"
            entry["examples"] = LiteralScalarString(f"{block}- {text}\n")
        path.write_text(dump(document), encoding="utf-8")


def _entry(entries: List, intent: str, language: str) -> CommentedMap:
    """The intent's list of examples in `language`, added after its last list if it has none."""
    own = [i for i, e in enumerate(entries) if isinstance(e, dict) and e.get("intent") == intent]
    for index in own:
        if block_language(entries[index]) == language:
            return entries[index]
    entry = CommentedMap(intent=intent)
    if language != SOURCE_LANGUAGE:
        entry[METADATA_KEY] = CommentedMap({LANGUAGE_KEY: language})
    entry["examples"] = LiteralScalarString("")
    entries.insert(own[-1] + 1 if own else len(entries), entry)
    return entry


def read_rows(path: Path) -> List[Dict[str, str]]:
    with open(path, newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        reader.fieldnames = [(name or "").strip().lower() for name in reader.fieldnames or []]
        if "text" not in reader.fieldnames or "label" not in reader.fieldnames:
            raise ValueError(
                "the file needs the columns 'text' and 'label' (as `make review` writes them)"
            )
        return list(reader)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file", type=Path, help="the labelled CSV from `make review`")
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    args = parser.parse_args(argv)
    if not args.file.exists():
        print(f"There is no file {args.file}.")
        return 1
    try:
        rows = read_rows(args.file)
    except (ValueError, csv.Error, UnicodeDecodeError) as error:
        print(f"{args.file} cannot be read: {error}.")
        return 1
    project = load_project(args.root)
    if project.problems:
        print("Fix these problems first (`make check` explains them):")
        print("\n".join(str(p) for p in project.problems))
        return 1
    plan = plan_import(project, rows)
    if plan.errors:
        print(f"Nothing was imported: {len(plan.errors)} row(s) need fixing in {args.file}:")
        print("\n".join(f"  {e}" for e in plan.errors))
        return 1
    apply(args.root, plan)
    added = sum(len(items) for items in plan.additions.values())
    print(f"Added {added} example(s):")
    for rel, items in sorted(plan.additions.items()):
        print(f"  {len(items)} to {rel}")
    for note in plan.skipped:
        print(f"  Skipped {note[0].lower()}{note[1:]}")
    if plan.unlabelled:
        print(f"  {plan.unlabelled} row(s) had no label and were left out.")
    if added:
        print("Next: `make check`, then `make evaluate` to see the effect, then `make publish`.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
