"""Language detection measured: accuracy, English messages sent away, load time, memory, speed.

Scores components/language_router.detect_language on tests/nlu/languages.yml (short messages in
English and every bridge language, used while the router was written) and, separately, on the
held-out tests/nlu/languages_heldout.yml (never used to tune it; its very short messages are
reported apart), and counts how many English lines of the NLU held-out and development sets it
would send to the bridge (the target is 0).

Run: python -m bench.language_detection  (prints one JSON object)
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from pathlib import Path
from typing import Any, Dict, List, Tuple

from tools import heldout
from tools.heldout import (
    HELDOUT,
    LANGUAGES_HELDOUT,
    answered_in,
    detection_scores,
    load_examples,
    short_messages,
)
from tools.heldout import (
    is_right as is_right,  # tests/components/test_language_router.py imports it from here
)

ROOT = Path(__file__).resolve().parent.parent
LANGUAGE_SET = ROOT / "tests/nlu/languages.yml"
DEV = ROOT / "tests/nlu/dev.yml"


def language_examples(path: Path = LANGUAGE_SET) -> List[Tuple[str, str]]:
    """(text, expected language) pairs; "en" means the message stays on the English path."""
    return heldout.language_examples(path)


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

    timings: List[float] = []

    def timed(text: str) -> str:
        start = time.perf_counter()
        got = answered_in(router.detect_language(text))
        timings.append(time.perf_counter() - start)
        return got

    scores = detection_scores(language_examples(), detect=timed)
    english = [text for text, _ in load_examples(HELDOUT) + load_examples(DEV)]
    diverted = [text for text in english if answered_in(router.detect_language(text)) != "en"]
    timings.sort()
    kept, english_examples = scores["counts"].get("en", [0, 0])
    return {
        "examples": scores["examples"],
        "accuracy": scores["accuracy"],
        "per_language": scores["per_language"],
        "english_kept": kept,
        "english_examples": english_examples,
        "wrong": scores["wrong"],
        "heldout_set": {
            "all": detection_scores(language_examples(LANGUAGES_HELDOUT)),
            "very_short": detection_scores(short_messages(LANGUAGES_HELDOUT)),
        },
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
