"""The content as staff edit it: example questions, answers and buttons, with file and line.

Files that are not valid YAML are reported as problems and left out, so every check can still run
on the rest.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Tuple

from ruamel.yaml.scalarstring import LiteralScalarString

from tools import paths
from tools.paths import relative
from tools.problems import Problem
from tools.situations import conversations_in
from tools.text import example_lines, normalise, plain
from tools.yaml_io import line_of_item, line_of_key, line_of_value, load_for_reading

RETRIEVAL_INTENT = "faq"
FAQ_PREFIX = f"{RETRIEVAL_INTENT}/"
ANSWER_PREFIX = f"utter_{RETRIEVAL_INTENT}/"
MORE_PREFIX = "utter_more_"
# A block of examples in a language other than English says so in its Rasa intent metadata
# (`metadata:` then `language: fr`); a block without it is English. Rasa keeps the metadata on
# each example and does not otherwise use it.
METADATA_KEY = "metadata"
LANGUAGE_KEY = "language"
SOURCE_LANGUAGE = "en"


def block_language(entry: Any) -> str:
    """The language an NLU file's `- intent:` entry is written in."""
    metadata = entry.get(METADATA_KEY) if isinstance(entry, dict) else None
    language = metadata.get(LANGUAGE_KEY) if isinstance(metadata, dict) else None
    return str(language) if language else SOURCE_LANGUAGE


@dataclass(frozen=True)
class Example:
    intent: str  # "greet", or "faq/<topic>" for an FAQ topic
    text: str  # as written, with any entity markup
    file: str
    line: int | None
    language: str = SOURCE_LANGUAGE  # the language of its block (block_language)

    @property
    def plain(self) -> str:
        return plain(self.text)

    @property
    def key(self) -> str:
        return normalise(self.text)


@dataclass(frozen=True)
class Button:
    title: str
    payload: str
    line: int | None


@dataclass(frozen=True)
class Response:
    name: str
    text: str
    buttons: Tuple[Button, ...]
    file: str
    line: int | None


@dataclass(frozen=True)
class Block:
    """One `- intent:` (or `- lookup:`) entry of an NLU file."""

    kind: str  # intent | lookup | synonym | regex
    name: str
    file: str
    line: int | None
    language: str = SOURCE_LANGUAGE  # block_language


@dataclass
class Project:
    root: Path
    examples: List[Example] = field(default_factory=list)
    lookups: Dict[str, List[Example]] = field(default_factory=dict)
    responses: List[Response] = field(default_factory=list)
    blocks: List[Block] = field(default_factory=list)
    domain_intents: Dict[str, int | None] = field(default_factory=dict)
    heldout: List[Example] = field(default_factory=list)
    # the held-out NLU sets of the other languages (tools/paths.HELDOUT_BY_LANGUAGE)
    heldout_other_languages: List[Example] = field(default_factory=list)
    situations: List[Example] = field(default_factory=list)
    danger_messages: List[Example] = field(default_factory=list)
    problems: List[Problem] = field(default_factory=list)
    documents: Dict[str, Any] = field(default_factory=dict)

    def by_intent(self) -> Dict[str, List[Example]]:
        grouped: Dict[str, List[Example]] = defaultdict(list)
        for example in self.examples:
            grouped[example.intent].append(example)
        return dict(grouped)

    def topics(self) -> List[str]:
        """FAQ topic names that have examples, e.g. "signs_of_trafficking"."""
        return sorted(
            {e.intent[len(FAQ_PREFIX) :] for e in self.examples if e.intent.startswith(FAQ_PREFIX)}
        )

    def labels(self) -> List[str]:
        """Every name an example can be filed under: intents and faq/<topic>."""
        return sorted({e.intent for e in self.examples} | set(self.domain_intents))

    def intent_block(self, intent: str, language: str | None = None) -> Block | None:
        """The intent's first block, or its block in `language` (None if it has none)."""
        return next(
            (
                b
                for b in self.blocks
                if b.kind == "intent" and b.name == intent and language in (None, b.language)
            ),
            None,
        )

    def intent_blocks(self) -> List[Block]:
        """Each intent's first block in each file: one per intent, whatever its languages."""
        first: Dict[Tuple[str, str], Block] = {}
        for block in self.blocks:
            if block.kind == "intent":
                first.setdefault((block.file, block.name), block)
        return list(first.values())

    def test_questions(self) -> List[Example]:
        """Every held-out line, which must never be trained on: NLU tests, situations and the
        danger sets."""
        return self.heldout + self.heldout_other_languages + self.situations + self.danger_messages


def _data_files(root: Path) -> List[Path]:
    return sorted((root / paths.DATA).rglob("*.yml"))


def _read_nlu(project: Project, doc: Any, rel: str, into: List[Example]) -> None:
    entries = doc.get("nlu") if isinstance(doc, dict) else None
    if not isinstance(entries, list):
        return
    for index, entry in enumerate(entries):
        if not isinstance(entry, dict):
            continue
        kind = next((k for k in ("intent", "lookup", "synonym", "regex") if k in entry), None)
        if kind is None:
            continue
        name = str(entry[kind])
        language = block_language(entry)
        project.blocks.append(Block(kind, name, rel, line_of_item(entries, index), language))
        first = line_of_value(entry, "examples")
        block = entry.get("examples") or ""
        # A `|` block starts on the line after `examples: |`.
        offset = 1 if isinstance(block, LiteralScalarString) else 0
        found = [
            Example(name, text, rel, first + offset + i if first else None, language)
            for i, text in example_lines(block)
        ]
        if kind == "intent":
            into.extend(found)
        elif kind == "lookup":
            project.lookups.setdefault(name, []).extend(found)


def _read_situations(project: Project, doc: Any, rel: str) -> None:
    for conversation in conversations_in(doc if isinstance(doc, dict) else {}):
        project.situations.extend(
            Example(turn.intent, turn.text, rel, turn.line) for turn in conversation.turns
        )


def _read_danger_messages(project: Project, doc: Any, rel: str) -> None:
    items = doc.get("messages") if isinstance(doc, dict) else None
    for item in items if isinstance(items, list) else []:
        if isinstance(item, dict) and item.get("text"):
            intent = "emergency" if item.get("danger") else ""
            project.danger_messages.append(
                Example(intent, str(item["text"]), rel, line_of_value(item, "text"))
            )


def _read_responses(project: Project, doc: Any, rel: str) -> None:
    responses = doc.get("responses") if isinstance(doc, dict) else None
    if not isinstance(responses, dict):
        return
    for name, variants in responses.items():
        if not isinstance(variants, list):
            project.responses.append(Response(name, "", (), rel, line_of_key(responses, name)))
            continue
        for index, variant in enumerate(variants):
            if not isinstance(variant, dict):
                continue
            buttons = variant.get("buttons") or []
            project.responses.append(
                Response(
                    name=str(name),
                    text=str(variant.get("text") or ""),
                    buttons=tuple(
                        Button(
                            str(b.get("title", "")),
                            str(b.get("payload", "")),
                            line_of_item(buttons, i),
                        )
                        for i, b in enumerate(buttons)
                        if isinstance(b, dict)
                    ),
                    file=rel,
                    line=line_of_item(variants, index),
                )
            )


def _read_domain_intents(project: Project, doc: Any) -> None:
    intents = doc.get("intents") if isinstance(doc, dict) else None
    for index, item in enumerate(intents or []):
        name = next(iter(item)) if isinstance(item, dict) else str(item)
        project.domain_intents[name] = line_of_item(intents, index)


def other_language_heldout() -> List[str]:
    """Every held-out NLU set outside English, each once."""
    return list(
        dict.fromkeys(
            [
                *(rel for rel in paths.HELDOUT_BY_LANGUAGE.values() if rel != paths.HELDOUT),
                *(rel for sets in paths.OTHER_LANGUAGE_SETS.values() for rel in sets.values()),
            ]
        )
    )


def load_project(root: Path = paths.ROOT) -> Project:
    root = Path(root)
    project = Project(root=root)
    files = [
        root / paths.DOMAIN,
        root / paths.CONFIG,
        root / paths.ENDPOINTS,
        *_data_files(root),
        root / paths.HELDOUT,
        *(root / rel for rel in other_language_heldout()),
        *(root / rel for rel in paths.SITUATION_SETS.values()),
        *(root / rel for rel in paths.DANGER_SETS.values()),
    ]
    for path in files:
        if not path.exists():
            continue
        doc, problem = load_for_reading(path, root)
        rel = relative(path, root)
        if problem:
            project.problems.append(problem)
            continue
        project.documents[rel] = doc
        if rel == paths.DOMAIN:
            _read_domain_intents(project, doc)
            _read_responses(project, doc, rel)
        elif rel == paths.HELDOUT:
            _read_nlu(project, doc, rel, project.heldout)
        elif rel in other_language_heldout():
            _read_nlu(project, doc, rel, project.heldout_other_languages)
        elif rel in paths.SITUATION_SETS.values():
            _read_situations(project, doc, rel)
        elif rel in paths.DANGER_SETS.values():
            _read_danger_messages(project, doc, rel)
        elif rel.startswith(paths.DATA + "/"):
            _read_nlu(project, doc, rel, project.examples)
            _read_responses(project, doc, rel)
    return project
