"""Scores a trained model on the held-out NLU test (tests/nlu/heldout.yml).

The label of a prediction is the intent, or for the retrieval intent `faq` the
full sub-intent (`faq/<topic>`) chosen by the response selector, so FAQ topics
count one by one. Used by the held-out test, `make evaluate`, `make publish`
and `make bench`. Each language has its own held-out set (tools/paths.HELDOUT_BY_LANGUAGE), scored
and reported separately; the language of a message or a reply is the language router's.
"""

from __future__ import annotations

import argparse
import asyncio
import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

import yaml

from tools import paths
from tools.models import newest_trained
from tools.text import plain

HELDOUT = paths.ROOT / paths.HELDOUT
LANGUAGES_HELDOUT = paths.ROOT / paths.LANGUAGES_HELDOUT
ENGLISH = "en"
OUT_OF_SCOPE_OK = ("out_of_scope", "nlu_fallback")

MIN_ACCURACY = 0.95
MIN_EMERGENCY_RECALL = 1.0
MIN_OUT_OF_SCOPE = 0.9


def load_examples(path: Path = HELDOUT) -> List[Tuple[str, str]]:
    """(text, expected label) pairs; entity markup is removed from the text."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    examples = []
    for block in data.get("nlu", []):
        if "intent" not in block:
            continue
        for line in block["examples"].splitlines():
            line = line.strip()
            if line.startswith("- "):
                examples.append((plain(line[2:]), block["intent"]))
    return examples


def heldout_sets(root: Path = paths.ROOT) -> Dict[str, Path]:
    """The held-out NLU set of each language the assistant answers in, where it exists."""
    return {
        language: Path(root) / rel
        for language, rel in paths.HELDOUT_BY_LANGUAGE.items()
        if (Path(root) / rel).exists()
    }


def language_examples(path: Path) -> List[Tuple[str, str]]:
    """(text, expected language) pairs of a language-detection set.

    Either one list of messages per language, or (the held-out set) `short`: {message: language}
    and `languages`: {language: [messages]}.
    """
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    if "languages" in data or "short" in data:
        pairs = [(str(text), str(language)) for text, language in (data.get("short") or {}).items()]
        data = data.get("languages") or {}
    else:
        pairs = []
    return pairs + [(str(text), language) for language, texts in data.items() for text in texts]


def short_messages(path: Path = LANGUAGES_HELDOUT) -> List[Tuple[str, str]]:
    """The very short messages of the held-out language set, with their expected language."""
    data = yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}
    return [(str(text), str(language)) for text, language in (data.get("short") or {}).items()]


def answered_in(detection: Any) -> str:
    """The language of the reply: English unless the router names another language."""
    return ENGLISH if detection is None else detection.language


def language_of(text: str) -> str:
    """The language the project's router detects in a text ("en" when it keeps English)."""
    from components.language_router import detect_language

    return answered_in(detect_language(text))


def is_right(got: str, expected: str) -> bool:
    """Right language; for Chinese, the reply that shows both written forms also counts."""
    return got == expected or (got == "zh" and expected.startswith("zh_"))


def detection_scores(pairs: Iterable[Tuple[str, str]], detect=None) -> Dict[str, Any]:
    """The router's detection accuracy on (text, expected language) pairs, per language too.

    `detect(text)` gives the language found (default: language_of); "counts" holds, per
    expected language, [right, total].
    """
    detect = detect or language_of
    counts: Dict[str, List[int]] = {}
    wrong = []
    for text, expected in pairs:
        got = detect(text)
        tally = counts.setdefault(expected, [0, 0])
        tally[1] += 1
        if is_right(got, expected):
            tally[0] += 1
        else:
            wrong.append({"expected": expected, "got": got, "text": text})
    total = sum(count for _, count in counts.values())
    right = sum(right for right, _ in counts.values())
    return {
        "examples": total,
        "accuracy": round(right / total, 4) if total else 1.0,
        "per_language": {lang: f"{ok}/{count}" for lang, (ok, count) in counts.items()},
        "counts": counts,
        "wrong": wrong,
    }


def label_of(parse: Dict) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    if intent == "faq":
        selected = (parse.get("response_selector") or {}).get("faq") or {}
        key = (selected.get("response") or {}).get("intent_response_key")
        return key or intent
    return intent


@dataclass
class Score:
    total: int
    accuracy: float
    emergency_recall: float
    out_of_scope_rate: float
    per_label: Dict[str, Dict[str, float]] = field(default_factory=dict)
    errors: List[Tuple[str, str, str]] = field(default_factory=list)


def score(pairs: Iterable[Tuple[str, str, str]]) -> Score:
    """Scores (text, expected, predicted) triples."""
    pairs = list(pairs)
    in_scope = [p for p in pairs if p[1] != "out_of_scope"]
    out_scope = [p for p in pairs if p[1] == "out_of_scope"]
    emergency = [p for p in pairs if p[1] == "emergency"]
    correct = sum(1 for _, expected, got in in_scope if got == expected)
    tp: Counter = Counter()
    fp: Counter = Counter()
    fn: Counter = Counter()
    for _, expected, got in pairs:
        if got == expected or (expected == "out_of_scope" and got in OUT_OF_SCOPE_OK):
            tp[expected] += 1
        else:
            fn[expected] += 1
            fp[got] += 1
    per_label: Dict[str, Dict[str, float]] = defaultdict(dict)
    for label in sorted(set(tp) | set(fn)):
        precision = tp[label] / (tp[label] + fp[label]) if tp[label] + fp[label] else 0.0
        recall = tp[label] / (tp[label] + fn[label]) if tp[label] + fn[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_label[label] = {
            "precision": precision,
            "recall": recall,
            "f1": f1,
            "support": tp[label] + fn[label],
        }
    return Score(
        total=len(pairs),
        accuracy=correct / len(in_scope) if in_scope else 1.0,
        emergency_recall=(
            sum(1 for _, _, got in emergency if got == "emergency") / len(emergency)
            if emergency
            else 1.0
        ),
        out_of_scope_rate=(
            sum(1 for _, _, got in out_scope if got in OUT_OF_SCOPE_OK) / len(out_scope)
            if out_scope
            else 1.0
        ),
        per_label=dict(per_label),
        errors=[
            (text, expected, got)
            for text, expected, got in pairs
            if not (got == expected or (expected == "out_of_scope" and got in OUT_OF_SCOPE_OK))
        ],
    )


# Models loaded in this process, by path and the serving switches they were loaded with (read
# when a model loads): a load takes tens of seconds, and the tests parse several sets.
_AGENTS: Dict[tuple, Any] = {}


async def predict(model_path: str, texts: List[str]) -> List[Dict]:
    from rasa.core.agent import Agent

    from serving import log_privacy, switches

    log_privacy.install_outside_server()
    key = (model_path, *(os.environ.get(switch.name) for switch in switches.SWITCHES))
    agent = _AGENTS.get(key)
    if agent is None:
        agent = _AGENTS[key] = Agent.load(model_path)
    return [await agent.parse_message(text) for text in texts]


def evaluate_model(model_path: str, path: Path = HELDOUT) -> Score:
    examples = load_examples(path)
    parses = asyncio.run(predict(model_path, [text for text, _ in examples]))
    return score(
        (text, expected, label_of(parse))
        for (text, expected), parse in zip(examples, parses, strict=True)
    )


def latest_model() -> str:
    """The newest trained model, for the held-out test and this command."""
    model = newest_trained()
    if model is None:
        raise FileNotFoundError("no trained model in models/: run `make train`")
    return str(model)


def report(result: Score) -> str:
    lines = [
        f"held-out examples: {result.total}",
        f"intent accuracy (sub-intents counted): {result.accuracy:.3f}",
        f"emergency recall: {result.emergency_recall:.3f}",
        f"out-of-scope handled: {result.out_of_scope_rate:.3f}",
    ]
    lines += [f"  miss: {text!r} expected {exp} got {got}" for text, exp, got in result.errors]
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("model", nargs="?", help="a model file (default: the newest trained)")
    args = parser.parse_args(argv)
    model = args.model or latest_model()
    if not Path(model).is_file():
        parser.error(f"no model file at {model}")
    print(report(evaluate_model(model)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
