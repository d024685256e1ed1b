"""Trains each candidate NLU pipeline on the same data and scores it on the dev and held-out sets.

Usage: python scripts/compare_pipelines.py config.yml experiments/minilm.yml ...
Prints a table and writes results/pipelines.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

from tools.heldout import HELDOUT, evaluate_model
from tools.pipelines import write_candidate

ROOT = Path(__file__).resolve().parent.parent

DEV = ROOT / "tests/nlu/dev.yml"
OUT = ROOT / "build/compare"


def train(config: Path, name: str) -> tuple[Path, float]:
    started = time.monotonic()
    subprocess.run(
        [
            str(ROOT / ".venv/bin/rasa"),
            "train",
            "nlu",
            "--config",
            str(config),
            "--out",
            str(OUT),
            "--fixed-model-name",
            name,
        ],
        check=True,
        cwd=ROOT,
    )
    return OUT / f"{name}.tar.gz", time.monotonic() - started


def main(configs: list[str]) -> None:
    rows = []
    for config in map(Path, configs):
        name = config.stem if config.name != "config.yml" else "project"
        model, seconds = train(write_candidate(config, OUT), name)
        held, dev = evaluate_model(str(model), HELDOUT), evaluate_model(str(model), DEV)
        rows.append(
            {
                "config": str(config),
                "train_s": round(seconds, 1),
                "heldout_accuracy": round(held.accuracy, 4),
                "heldout_emergency_recall": round(held.emergency_recall, 4),
                "heldout_out_of_scope": round(held.out_of_scope_rate, 4),
                "dev_accuracy": round(dev.accuracy, 4),
                "dev_emergency_recall": round(dev.emergency_recall, 4),
                "dev_out_of_scope": round(dev.out_of_scope_rate, 4),
                "heldout_misses": [list(e) for e in held.errors],
            }
        )
    (ROOT / "results").mkdir(exist_ok=True)
    (ROOT / "results/pipelines.json").write_text(json.dumps(rows, indent=2))
    header = (
        f"{'config':28} {'train s':>8} {'held acc':>9} {'held emerg':>10} {'held oos':>9} "
        f"{'dev acc':>8} {'dev emerg':>9} {'dev oos':>8}"
    )
    print(header)
    for r in rows:
        print(
            f"{r['config']:28} {r['train_s']:>8} {r['heldout_accuracy']:>9.3f} "
            f"{r['heldout_emergency_recall']:>10.3f} {r['heldout_out_of_scope']:>9.3f} "
            f"{r['dev_accuracy']:>8.3f} {r['dev_emergency_recall']:>9.3f} "
            f"{r['dev_out_of_scope']:>8.3f}"
        )


if __name__ == "__main__":
    main(sys.argv[1:] or ["config.yml", "experiments/sparse.yml"])
