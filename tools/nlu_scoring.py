"""Asking a trained model what it understands, and scoring the answers.

FAQ topics count as separate labels: for the retrieval intent `faq` the label is the response
selector's `intent_response_key` (e.g. "faq/signs_of_trafficking"). A message expected to be
out of scope counts as right when the model says out_of_scope or falls back (nlu_fallback).
The scores themselves come from tools.heldout.score, the function the held-out test uses; this
module adds confidences, the confusion matrix and the most confused pairs for the report.
"""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple

from tools.heldout import OUT_OF_SCOPE_OK, label_of, score
from tools.progress import Progress, no_warnings
from tools.project import RETRIEVAL_INTENT

FALLBACK = "nlu_fallback"
OUT_OF_SCOPE = "out_of_scope"


@dataclass(frozen=True)
class Prediction:
    text: str
    expected: str
    predicted: str
    confidence: float

    @property
    def scored(self) -> str:
        """The predicted label as scored: a fallback on an out-of-scope message is right."""
        if self.expected == OUT_OF_SCOPE and self.predicted in OUT_OF_SCOPE_OK:
            return OUT_OF_SCOPE
        return self.predicted

    @property
    def correct(self) -> bool:
        return self.scored == self.expected


def read_parse(parse: Dict[str, Any]) -> Tuple[str, float, float | None]:
    """(label, intent confidence, answer confidence or None) from Rasa's parse data."""
    intent = parse.get("intent") or {}
    confidence = float(intent.get("confidence") or 0.0)
    label = label_of(parse) or FALLBACK
    if intent.get("name") != RETRIEVAL_INTENT:
        return label, confidence, None
    selected = ((parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}).get(
        "response"
    ) or {}
    return label, confidence, float(selected.get("confidence") or 0.0)


class ModelParser:
    """A trained model loaded once, to ask it about many messages."""

    def __init__(self, model_path: Path) -> None:
        with no_warnings():
            from rasa.core.agent import Agent

            from serving import log_privacy

            log_privacy.install_outside_server()
            self.agent = Agent.load(str(model_path))
        self.loop = asyncio.new_event_loop()

    def parse(self, text: str) -> Dict[str, Any]:
        with no_warnings():
            return self.loop.run_until_complete(self.agent.parse_message(text))

    def predict(
        self, examples: Sequence[Tuple[str, str]], label: str = "Scoring"
    ) -> List[Prediction]:
        """Predictions for (text, expected label) pairs, with progress."""
        progress = Progress(label, len(examples))
        predictions = []
        for text, expected in examples:
            predicted, intent_confidence, answer_confidence = read_parse(self.parse(text))
            confidence = answer_confidence if answer_confidence is not None else intent_confidence
            predictions.append(Prediction(text, expected, predicted, round(confidence, 4)))
            progress.step()
        return predictions

    def close(self) -> None:
        self.loop.close()


def confused_pairs(predictions: Sequence[Prediction], top: int = 10, examples: int = 3) -> List:
    """The most frequent (expected, predicted) mistakes, each with a few of the messages."""
    wrong = [p for p in predictions if not p.correct]
    counts = Counter((p.expected, p.scored) for p in wrong)
    return [
        {
            "expected": expected,
            "predicted": predicted,
            "count": count,
            "examples": [p.text for p in wrong if (p.expected, p.scored) == (expected, predicted)][
                :examples
            ],
        }
        for (expected, predicted), count in counts.most_common(top)
    ]


def summarise(predictions: Sequence[Prediction]) -> Dict[str, Any]:
    """The held-out test's scores, per-label precision/recall/F1 and the confusion matrix."""
    from sklearn.metrics import confusion_matrix

    scores = score((p.text, p.expected, p.predicted) for p in predictions)
    truth = [p.expected for p in predictions]
    scored = [p.scored for p in predictions]
    labels = sorted(set(truth) | set(scored))
    return {
        "n": scores.total,
        "accuracy": round(scores.accuracy, 4),
        "emergency_recall": round(scores.emergency_recall, 4),
        "out_of_scope_rate": round(scores.out_of_scope_rate, 4),
        "per_label": {
            label: {key: round(value, 4) for key, value in values.items()}
            for label, values in scores.per_label.items()
        },
        "labels": labels,
        "confusion": confusion_matrix(truth, scored, labels=labels).tolist(),
        "confused_pairs": confused_pairs(predictions),
        "predictions": [asdict(p) for p in predictions],
    }


def predictions_from(summary: Dict[str, Any]) -> List[Prediction]:
    return [Prediction(**p) for p in summary.get("predictions", [])]
