"""Language detection measured: accuracy, English messages sent away, load time, memory, speed.

Scores components/language_router.detect_language on tests/nlu/languages.yml (short held-out
messages in English and every bridge language) and counts how many English lines of the NLU
held-out and development sets it would send to the bridge (the target is 0).

Run: python -m bench.language_detection  (prints one JSON object)
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

import yaml

from tools.heldout import HELDOUT, load_examples

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE_SET = ROOT / "tests/nlu/languages.yml"
DEV = ROOT / "tests/nlu/dev.yml"


def language_examples(path: Path = LANGUAGE_SET) -> List[Tuple[str, str]]:
    """(text, expected language) pairs; "en" means the message stays on the English path."""
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    return [(str(text), language) for language, texts in data.items() for text in texts]


def answered_in(detection: Any) -> str:
    """The language of the reply in a new conversation: English unless the router names another."""
    return "en" if detection is None else detection.language


def is_right(got: str, expected: str) -> bool:
    """Right language; for Chinese, the reply that shows both written forms also counts."""
    return got == expected or (got == "zh" and expected.startswith("zh_"))


def rss_mb() -> float:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * 4096 / 2**20


def measure() -> Dict[str, Any]:
    # Rasa is loaded anyway in the server: only the router and its detector are measured.
    importlib.import_module("rasa.engine.recipes.default_recipe")
    importlib.import_module("rasa.shared.nlu.training_data.message")
    before = rss_mb()
    start = time.perf_counter()
    router = importlib.import_module("components.language_router")
    router.detect_language("warm up")
    load_s = time.perf_counter() - start
    memory_mb = rss_mb() - before

    examples = language_examples()
    timings: List[float] = []
    wrong = []
    per_language: Dict[str, List[int]] = {}
    for text, expected in examples:
        start = time.perf_counter()
        got = answered_in(router.detect_language(text))
        timings.append(time.perf_counter() - start)
        tally = per_language.setdefault(expected, [0, 0])
        tally[1] += 1
        if is_right(got, expected):
            tally[0] += 1
        else:
            wrong.append({"expected": expected, "got": got, "text": text})
    english = [text for text, _ in load_examples(HELDOUT) + load_examples(DEV)]
    diverted = [text for text in english if answered_in(router.detect_language(text)) != "en"]
    timings.sort()
    correct = sum(right for right, _ in per_language.values())
    return {
        "examples": len(examples),
        "accuracy": round(correct / len(examples), 4),
        "per_language": {lang: f"{right}/{total}" for lang, (right, total) in per_language.items()},
        "english_kept": per_language.get("en", [0, 0])[0],
        "english_examples": per_language.get("en", [0, 0])[1],
        "wrong": wrong,
        "heldout_and_dev_english_lines": len(english),
        "heldout_and_dev_english_diverted": len(diverted),
        "load_s": round(load_s, 3),
        "memory_mb": round(memory_mb, 1),
        "per_message_ms_p50": round(timings[len(timings) // 2] * 1000, 3),
        "per_message_ms_p99": round(timings[int(len(timings) * 0.99)] * 1000, 3),
    }


if __name__ == "__main__":
    json.dump(measure(), sys.stdout, indent=1, ensure_ascii=False)
    print()
