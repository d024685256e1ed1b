"""Trains the models `make bench` compares, only when their inputs changed.

"project" and "default" are this project's pipeline and Rasa's default one on the same data;
"project-en" is this project's pipeline on the data without its French examples (what the second
language costs): a copy of data/ without the intents' French lists (marked `language: fr` in their
metadata, tools.project.block_language) and without any other example the project's language
router detects as French.
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
import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import List, Tuple

import yaml
from ruamel.yaml.scalarstring import LiteralScalarString

from bench.servers import BASE_ENV, PYTHON, ROOT
from tools.heldout import language_of
from tools.project import SOURCE_LANGUAGE, block_language
from tools.text import without_entities
from tools.yaml_io import dump, yaml_parser

MODELS_DIR = ROOT / "bench" / "models"
CACHE_DIR = MODELS_DIR / ".rasa-cache"
ENGLISH_ONLY = "project-en"
CONFIGS = {
    "project": "config.yml",
    "default": "bench/default_config.yml",
    ENGLISH_ONLY: "config.yml",
}
FRENCH = "fr"


@dataclass(frozen=True)
class Inputs:
    """What a model is trained from."""

    config: Path
    domain: Path
    data: Path
    left_out: int = 0  # French examples left out of the data


def english_only_data(source: Path, target: Path) -> Tuple[int, int]:
    """Copies the training data without its French examples: (examples kept, left out)."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(source, target)
    kept = removed = 0
    for path in sorted(target.rglob("*.yml")):
        text, file_kept, file_removed = _without_french(path.read_text(encoding="utf-8"))
        kept, removed = kept + file_kept, removed + file_removed
        if file_removed:
            path.write_text(text, encoding="utf-8")
    return kept, removed


def _is_example(line: str) -> bool:
    return line.strip().startswith("- ")


def _detected_french(line: str) -> bool:
    # marked entities (place names) are blanked, as the router blanks extracted ones
    return language_of(without_entities(line.strip()[2:])) == FRENCH


def _without_french(text: str) -> Tuple[str, int, int]:
    """A data file without its French examples: (its text, examples kept, left out).

    Only intents' examples are left out: lookups (place names) are no language. A list in
    another language than English goes whole; from the English lists, what the router detects
    as French.
    """
    document = yaml_parser().load(text)
    entries = document.get("nlu") if isinstance(document, dict) else None
    kept = removed = 0
    for entry in list(entries) if isinstance(entries, list) else []:
        if not isinstance(entry, dict) or "intent" not in entry:
            continue
        lines = str(entry.get("examples") or "").splitlines(keepends=True)
        if block_language(entry) != SOURCE_LANGUAGE:
            removed += sum(map(_is_example, lines))
            entries.remove(entry)
            continue
        english = [line for line in lines if not (_is_example(line) and _detected_french(line))]
        kept += sum(map(_is_example, english))
        if len(english) < len(lines):
            removed += len(lines) - len(english)
            entry["examples"] = LiteralScalarString("".join(english))
    return (dump(document) if removed else text), kept, removed


def inputs(name: str, root: Path = ROOT, models_dir: Path = MODELS_DIR) -> Inputs:
    """The config, domain and data of a model; the English-only data is written on the way."""
    data, left_out = Path(root) / "data", 0
    if name == ENGLISH_ONLY:
        english = Path(models_dir) / name / "data"
        _, left_out = english_only_data(data, english)
        data = english
    return Inputs(Path(root) / CONFIGS[name], Path(root) / "domain.yml", data, left_out)


@dataclass(frozen=True)
class TrainedModel:
    name: str
    path: Path
    train_s: float
    trained_now: bool

    @property
    def size_mb(self) -> float:
        return self.path.stat().st_size / 1e6


def _rasa_train(
    name: str, given: Inputs, root: Path, models_dir: Path, *extra: str
) -> subprocess.CompletedProcess:
    out = Path(models_dir) / name
    out.mkdir(parents=True, exist_ok=True)
    # --force trains everything anyway: no training cache (and the project's .rasa is untouched)
    env = {
        **os.environ,
        **BASE_ENV,
        "RASA_CACHE_DIRECTORY": str(Path(models_dir) / CACHE_DIR.name),
        "RASA_MAX_CACHE_SIZE": "0",
    }
    return subprocess.run(
        [
            str(PYTHON.parent / "rasa"),
            "train",
            "--config",
            str(given.config),
            "--domain",
            str(given.domain),
            "--data",
            str(given.data),
            "--out",
            str(out),
            "--fixed-model-name",
            name,
            "--num-threads",
            "2",
            *extra,
        ],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
    )


def custom_components(config: Path, root: Path = ROOT) -> List[Path]:
    """The project's own modules that the config's pipeline and policies name."""
    config_data = yaml.safe_load(config.read_text()) or {}
    names = [
        str(item.get("name", ""))
        for key in ("pipeline", "policies")
        for item in config_data.get(key) or []
    ]
    modules = {name.rsplit(".", 1)[0] for name in names if "." in name}
    found = (Path(root) / (module.replace(".", "/") + ".py") for module in modules)
    return sorted(path for path in found if path.exists())


def fingerprint(given: Inputs, root: Path = ROOT) -> str:
    """Fingerprint of everything the model is trained from."""
    import rasa
    from rasa.shared.importers.importer import TrainingDataImporter

    importer = TrainingDataImporter.load_from_config(
        str(given.config), str(given.domain), [str(given.data)]
    )
    parts = [
        importer.get_domain().fingerprint(),
        importer.get_nlu_data("en").fingerprint(),
        importer.get_stories().fingerprint(),
        given.config.read_text(),
        rasa.__version__,
        *(path.read_text() for path in custom_components(given.config, root)),
    ]
    return hashlib.sha256("\n".join(parts).encode()).hexdigest()


def up_to_date(name: str, current: str, models_dir: Path = MODELS_DIR) -> bool:
    """True if the cached model exists and was trained from the current inputs."""
    model = Path(models_dir) / name / f"{name}.tar.gz"
    meta = Path(models_dir) / name / f"{name}.json"
    if not model.exists() or not meta.exists():
        return False
    return json.loads(meta.read_text()).get("fingerprint") == current


def ensure_model(
    name: str, log=print, root: Path = ROOT, models_dir: Path = MODELS_DIR
) -> TrainedModel:
    model = Path(models_dir) / name / f"{name}.tar.gz"
    meta = Path(models_dir) / name / f"{name}.json"
    given = inputs(name, root, models_dir)
    if name == ENGLISH_ONLY:
        log(f"  {name}: {given.left_out} French examples left out of the training data")
    current = fingerprint(given, root)
    if up_to_date(name, current, models_dir):
        train_s = json.loads(meta.read_text())["train_s"]
        log(f"  {name}: model is up to date (trained in {train_s:.0f} s), not retraining")
        return TrainedModel(name, model, train_s, trained_now=False)
    log(f"  {name}: training with {CONFIGS[name]} on {given.data.name}/ (takes minutes)...")
    start = time.perf_counter()
    result = _rasa_train(name, given, Path(root), models_dir, "--force")
    train_s = time.perf_counter() - start
    if result.returncode != 0 or not model.exists():
        raise RuntimeError(
            f"training the {name} model failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}"
        )
    meta.write_text(json.dumps({"train_s": round(train_s, 1), "fingerprint": current}))
    log(f"  {name}: trained in {train_s:.0f} s")
    return TrainedModel(name, model, round(train_s, 1), trained_now=True)
