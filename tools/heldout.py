"""Scores a trained model on the held-out NLU test (tests/nlu/heldout.yml).

The label of a prediction is the intent, or for the retrieval intent `faq` the
full sub-intent (`faq/<topic>`) chosen by the response selector, so FAQ topics
count one by one. Used by the held-out test, `make evaluate`, `make publish`
and `make bench`.
"""

from __future__ import annotations

import asyncio
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Dict, Iterable, List, Tuple

import yaml

HELDOUT = Path(__file__).resolve().parent.parent / "tests/nlu/heldout.yml"
OUT_OF_SCOPE_OK = ("out_of_scope", "nlu_fallback")
ENTITY_MARKUP = re.compile(r"\[([^\]]+)\]\([^)]+\)")

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
                examples.append((ENTITY_MARKUP.sub(r"\1", line[2:]).strip(), block["intent"]))
    return examples


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

    @property
    def passed(self) -> bool:
        return not self.failures()

    def failures(self) -> List[str]:
        problems = []
        if self.accuracy < MIN_ACCURACY:
            problems.append(f"intent accuracy {self.accuracy:.3f} < {MIN_ACCURACY}")
        if self.emergency_recall < MIN_EMERGENCY_RECALL:
            problems.append(
                f"emergency recall {self.emergency_recall:.3f} < {MIN_EMERGENCY_RECALL}"
            )
        if self.out_of_scope_rate < MIN_OUT_OF_SCOPE:
            problems.append(
                f"out-of-scope handled {self.out_of_scope_rate:.3f} < {MIN_OUT_OF_SCOPE}"
            )
        return problems


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


async def predict(model_path: str, texts: List[str]) -> List[Dict]:
    from rasa.core.agent import Agent

    from serving import log_privacy

    log_privacy.install_outside_server()
    agent = Agent.load(model_path)
    return [await agent.parse_message(text) for text in texts]


def evaluate_model(model_path: str, path: Path = HELDOUT) -> Score:
    examples = load_examples(path)
    parses = asyncio.run(predict(model_path, [text for text, _ in examples]))
    return score(
        (text, expected, label_of(parse))
        for (text, expected), parse in zip(examples, parses, strict=True)
    )


def latest_model(folder: str = "models") -> str:
    models = sorted(Path(folder).glob("*.tar.gz"), key=lambda p: p.stat().st_mtime)
    if not models:
        raise FileNotFoundError(f"no trained model in {folder}/: run `make train`")
    return str(models[-1])


def report(result: Score) -> str:
    lines = [
        f"held-out examples: {result.total}",
        f"intent accuracy (sub-intents counted): {result.accuracy:.3f}",
        f"emergency recall: {result.emergency_recall:.3f}",
        f"out-of-scope handled: {result.out_of_scope_rate:.3f}",
    ]
    lines += [f"  miss: {text!r} expected {exp} got {got}" for text, exp, got in result.errors]
    return "\n".join(lines)


if __name__ == "__main__":
    import sys

    print(report(evaluate_model(sys.argv[1] if len(sys.argv) > 1 else latest_model())))
