"""Held-out accuracy of a trained model, as the held-out test scores it (tools/heldout.py).

FAQ topics count one by one (`faq/signs_of_trafficking`), and what counts is the model's final
intent (after SafetyGate and the fallback classifier). Run in its own process so the bench's
servers are not slowed by a second model in memory.

Run: python -m bench.accuracy MODEL.tar.gz  (prints one JSON object)
"""

from __future__ import annotations

import json
import os
import sys

from bench.servers import BASE_ENV
from tools.heldout import evaluate_model


def main() -> None:
    os.environ.update(BASE_ENV)
    result = evaluate_model(sys.argv[1])
    print(
        json.dumps(
            {
                "accuracy": round(result.accuracy, 4),
                "emergency_recall": round(result.emergency_recall, 4),
                "out_of_scope_rate": round(result.out_of_scope_rate, 4),
                "examples": result.total,
            }
        )
    )


if __name__ == "__main__":
    main()
