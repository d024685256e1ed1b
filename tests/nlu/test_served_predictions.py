"""The Rasa server's speed and memory changes (serving/patches.py) change no prediction.

The served side parses every held-out example at once, through the NLU threads, with every
change installed (lean model load, fast feature joins, direct predictions, planned graph runs,
remembered lookups) and the featurizer's compiled language model; Rasa's side parses
them one by one with Rasa's own code (the featurizer's switch off). Intent, FAQ topic,
entities and both confidences must agree.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Dict, List

from tools.heldout import label_of

ROOT = Path(__file__).resolve().parents[2]
TOLERANCE = 1e-4  # TensorFlow may add in a different order with other thread settings


def confidences(parse: Dict) -> List[float]:
    selected = ((parse.get("response_selector") or {}).get("faq") or {}).get("response") or {}
    return [parse["intent"]["confidence"], selected.get("confidence") or 0.0]


def entities(parse: Dict) -> List[tuple]:
    return [(e["entity"], e["value"], e["start"], e["end"]) for e in parse.get("entities", [])]


def served_parses(model: str, texts: List[str], out: Path) -> List[Dict]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.nlu.served_parse", model, str(out)],
        input=json.dumps(texts),
        capture_output=True,
        text=True,
        cwd=ROOT,
        timeout=600,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return json.loads(out.read_text())


def test_served_model_predicts_exactly_what_rasa_predicts(model, heldout, rasa_parses, tmp_path):
    texts = [text for text, _ in heldout]
    served = served_parses(model, texts, tmp_path / "served.json")
    assert len(served) == len(texts)
    differences = []
    for text, ours, theirs in zip(texts, served, rasa_parses, strict=True):
        if ours["text"] != text:
            differences.append(f"{text!r}: parsed as the text of another message: {ours['text']!r}")
        if (label_of(ours), entities(ours)) != (label_of(theirs), entities(theirs)):
            differences.append(
                f"{text!r}: {label_of(ours)} {entities(ours)} "
                f"!= {label_of(theirs)} {entities(theirs)}"
            )
        elif any(
            abs(a - b) > TOLERANCE
            for a, b in zip(confidences(ours), confidences(theirs), strict=True)
        ):
            differences.append(
                f"{text!r}: confidences {confidences(ours)} != {confidences(theirs)}"
            )
    assert not differences, "\n".join(differences)
