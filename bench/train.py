"""Trains the two models `make bench` compares, only when Rasa's fingerprints say they changed.

Each model lives in bench/models/<name>/<name>.tar.gz with <name>.json beside it (training time).
Rasa's own fingerprinting decides whether to retrain: `rasa train --dry-run` against a training
cache kept for the bench (bench/models/.rasa-cache). When something changed, the model is trained
in full (`--force`), so the recorded training time is a real one, not a cache hit.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from bench.servers import BASE_ENV, PYTHON, ROOT

MODELS_DIR = ROOT / "bench" / "models"
CACHE_DIR = MODELS_DIR / ".rasa-cache"
CONFIGS = {
    "project": ROOT / "config.yml",
    "default": ROOT / "bench" / "default_config.yml",
}


@dataclass(frozen=True)
class TrainedModel:
    name: str
    path: Path
    train_s: float
    trained_now: bool

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1e6


def _rasa_train(name: str, *extra: str) -> subprocess.CompletedProcess:
    out = MODELS_DIR / name
    out.mkdir(parents=True, exist_ok=True)
    env = {**os.environ, **BASE_ENV, "RASA_CACHE_DIRECTORY": str(CACHE_DIR)}
    return subprocess.run(
        [
            str(PYTHON.parent / "rasa"),
            "train",
            "--config",
            str(CONFIGS[name]),
            "--domain",
            "domain.yml",
            "--data",
            "data",
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--num-threads",
            "2",
            *extra,
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )


def up_to_date(name: str) -> bool:
    """True if the cached model exists and Rasa's fingerprints match the current inputs."""
    model = MODELS_DIR / name / f"{name}.tar.gz"
    meta = MODELS_DIR / name / f"{name}.json"
    if not model.exists() or not meta.exists():
        return False
    return _rasa_train(name, "--dry-run").returncode == 0


def ensure_model(name: str, log=print) -> TrainedModel:
    model = MODELS_DIR / name / f"{name}.tar.gz"
    meta = MODELS_DIR / name / f"{name}.json"
    if up_to_date(name):
        train_s = json.loads(meta.read_text())["train_s"]
        log(f"  {name}: model is up to date (trained in {train_s:.0f} s), not retraining")
        return TrainedModel(name, model, train_s, trained_now=False)
    log(f"  {name}: training with {CONFIGS[name].relative_to(ROOT)} (takes minutes)...")
    start = time.perf_counter()
    result = _rasa_train(name, "--force")
    train_s = time.perf_counter() - start
    if result.returncode != 0 or not model.exists():
        raise RuntimeError(
            f"training the {name} model failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    meta.write_text(json.dumps({"train_s": round(train_s, 1)}))
    log(f"  {name}: trained in {train_s:.0f} s")
    return TrainedModel(name, model, round(train_s, 1), trained_now=True)
