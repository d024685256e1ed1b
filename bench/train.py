"""Trains the two models `make bench` compares, only when their inputs changed.

Each model lives in bench/models/<name>/<name>.tar.gz with <name>.json beside it (training time,
fingerprint). The fingerprint is Rasa's own for the domain, NLU data and stories/rules (as
`rasa train` loads them), plus the config file, the project's components that it names and
Rasa's version.
(`rasa train --dry-run` was tried first: after a full training it still asked for a retrain.)
When something changed, the model is trained in full (`--force`, no training cache), so the
recorded training time is a real one, not a cache hit.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List

import yaml

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
    # --force trains everything anyway: no training cache (and the project's .rasa is untouched)
    env = {
        **os.environ,
        **BASE_ENV,
        "RASA_CACHE_DIRECTORY": str(CACHE_DIR),
        "RASA_MAX_CACHE_SIZE": "0",
    }
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


def custom_components(config: Path) -> List[Path]:
    """The project's own modules that the config's pipeline and policies name."""
    config_data = yaml.safe_load(config.read_text()) or {}
    names = [
        str(item.get("name", ""))
        for key in ("pipeline", "policies")
        for item in config_data.get(key) or []
    ]
    modules = {name.rsplit(".", 1)[0] for name in names if "." in name}
    return sorted(ROOT / (module.replace(".", "/") + ".py") for module in modules)


def fingerprint(name: str) -> str:
    """Fingerprint of everything the model is trained from."""
    import rasa
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        str(CONFIGS[name]), str(ROOT / "domain.yml"), [str(ROOT / "data")]
    )
    parts = [
        importer.get_domain().fingerprint(),
        importer.get_nlu_data("en").fingerprint(),
        importer.get_stories().fingerprint(),
        CONFIGS[name].read_text(),
        rasa.__version__,
        *(path.read_text() for path in custom_components(CONFIGS[name])),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def up_to_date(name: str, current: str) -> bool:
    """True if the cached model exists and was trained from the current inputs."""
    model = MODELS_DIR / name / f"{name}.tar.gz"
    meta = MODELS_DIR / name / f"{name}.json"
    if not model.exists() or not meta.exists():
        return False
    return json.loads(meta.read_text()).get("fingerprint") == current


def ensure_model(name: str, log=print) -> TrainedModel:
    model = MODELS_DIR / name / f"{name}.tar.gz"
    meta = MODELS_DIR / name / f"{name}.json"
    current = fingerprint(name)
    if up_to_date(name, current):
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
    meta.write_text(json.dumps({"train_s": round(train_s, 1), "fingerprint": current}))
    log(f"  {name}: trained in {train_s:.0f} s")
    return TrainedModel(name, model, round(train_s, 1), trained_now=True)
