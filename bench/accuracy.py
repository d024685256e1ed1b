"""Held-out accuracy of a trained model on tests/nlu/heldout.yml, retrieval sub-intents counted.

A prediction is right when the full label matches: for `faq` the response selector's topic must be
the right one too (`faq/signs_of_trafficking`), so a right intent with a wrong answer is wrong.
What counts is what the assistant would do: the model's final intent (after SafetyGate and the
fallback classifier), so a correct guess below the fallback threshold is wrong as well.

Run: python -m bench.accuracy MODEL.tar.gz  (prints one JSON object)
"""

from __future__ import annotations

import asyncio
import json
import os
import sys
from pathlib import Path
from typing import Any, Dict, List, Tuple

from bench.servers import BASE_ENV, ROOT

HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"
RETRIEVAL_INTENT = "faq"


def heldout_examples(path: Path = HELDOUT) -> List[Tuple[str, str]]:
    """(text, full label) pairs, e.g. ("is sex work legal here", "faq/sex_work_legality_canada")."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(path))
    return [
        (m.get("text"), m.get("intent_response_key") or m.get("intent"))
        for m in data.intent_examples
    ]


def predicted_label(parse: Dict[str, Any]) -> str:
    intent = (parse.get("intent") or {}).get("name") or ""
    if intent != RETRIEVAL_INTENT:
        return intent
    selected = (parse.get("response_selector") or {}).get(RETRIEVAL_INTENT) or {}
    key = (selected.get("response") or {}).get("intent_response_key")
    return key or intent


async def evaluate(model: Path) -> Dict[str, Any]:
    from rasa.core.agent import Agent

    from serving import log_privacy

    log_privacy.install_outside_server()
    agent = Agent.load(str(model))
    examples = heldout_examples()
    correct = 0
    for text, label in examples:
        parse = await agent.parse_message(text)
        correct += predicted_label(parse) == label
    return {
        "accuracy": round(correct / len(examples), 4),
        "correct": correct,
        "examples": len(examples),
    }


def main() -> None:
    os.environ.update(BASE_ENV)
    result = asyncio.run(evaluate(Path(sys.argv[1])))
    print(json.dumps(result))


if __name__ == "__main__":
    main()
