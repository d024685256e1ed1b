"""`make evaluate`: how well the newest model understands, and what changed since last time.

Scores the held-out test of each language (tests/nlu/heldout.yml, tests/nlu/heldout_fr.yml), each
reported separately (the English one is the publishing gate), the language detection on held-out
messages, and a cross-validation of the training examples, then writes
results/evaluation/report.md with pictures. The previous results are kept as
results/evaluation/previous.json and compared with the new ones.

    python -m tools.evaluate [--folds N]     (FOLDS=N in the environment works too; 0 skips it)
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import Any, Dict, Iterable, List

from tools import paths
from tools.gate import gate_failures
from tools.heldout import (
    detection_scores,
    heldout_sets,
    language_examples,
    load_examples,
    short_messages,
)
from tools.models import fingerprint, newest_trained
from tools.nlu_scoring import ModelParser, summarise
from tools.progress import minutes, quiet_libraries, say
from tools.report import METRICS, compare, write_report

DEFAULT_FOLDS = 3
LATEST = "latest.json"
PREVIOUS = "previous.json"


def score_heldout(root: Path, model: Path) -> Dict[str, Any]:
    """The English held-out test's summary for one model file (the publishing gate)."""
    return score_heldout_languages(root, model, ("en",))["en"]


def score_heldout_languages(
    root: Path, model: Path, languages: Iterable[str] | None = None
) -> Dict[str, Dict[str, Any]]:
    """Each language's held-out summary for one model file, by language code."""
    say(f"Loading the model {model.name}...")
    parser = ModelParser(model)
    summaries = {}
    sets = heldout_sets(root)
    for language in sets if languages is None else languages:
        path = sets[language]
        predictions = parser.predict(
            load_examples(path), label=f"Scoring the held-out test questions ({language})"
        )
        summaries[language] = summarise(predictions)
    parser.close()
    return summaries


def score_detection(root: Path) -> Dict[str, Any] | None:
    """Language detection on the held-out language set, very short messages apart."""
    path = Path(root) / paths.LANGUAGES_HELDOUT
    if not path.exists():
        return None
    return {
        "all": detection_scores(language_examples(path)),
        "very_short": detection_scores(short_messages(path)),
    }


def saved_result(root: Path, name: str = LATEST) -> Dict[str, Any] | None:
    path = Path(root) / paths.EVALUATION / name
    if not path.exists():
        return None
    return json.loads(path.read_text(encoding="utf-8"))


def save_result(root: Path, result: Dict[str, Any]) -> Dict[str, Any] | None:
    """Stores the new result as latest.json, keeping the one before as previous.json."""
    out = Path(root) / paths.EVALUATION
    out.mkdir(parents=True, exist_ok=True)
    previous = saved_result(root)
    if previous is not None:
        shutil.copyfile(out / LATEST, out / PREVIOUS)
    else:
        previous = saved_result(root, PREVIOUS)
    (out / LATEST).write_text(json.dumps(result, indent=1), encoding="utf-8")
    return previous


def evaluate(root: Path, model: Path, folds: int) -> Dict[str, Any]:
    started = time.monotonic()
    by_language = score_heldout_languages(root, model)
    result: Dict[str, Any] = {
        "date": dt.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "model": model.name,
        "fingerprint": fingerprint(model),
        "heldout": by_language.pop("en"),
        "heldout_languages": by_language,
        "language_detection": score_detection(root),
    }
    if folds >= 2:
        from tools.crossval import cross_validate

        say(f"Cross-validation with {folds} folds (several minutes per fold)...")
        section = summarise(cross_validate(root, folds))
        section["folds"] = folds
        result["cross_validation"] = section
    result["gate"] = {"failures": gate_failures(result["heldout"])}
    result["seconds"] = round(time.monotonic() - started)
    return result


def console_summary(result: Dict[str, Any], changes: Dict[str, Any]) -> List[str]:
    lines = []
    old = {
        name: was
        for name, was, _ in changes.get("sections", {}).get("heldout", {}).get("metrics", [])
    }
    for key, name in METRICS:
        value = result["heldout"].get(key)
        if value is None:
            continue
        was = old.get(name)
        delta = f" (was {was:.1%})" if was is not None and was != value else ""
        lines.append(f"  {name}: {value:.1%}{delta}")
    held = changes.get("sections", {}).get("heldout", {})
    if held.get("now_wrong"):
        lines.append(
            f"  {len(held['now_wrong'])} test question(s) are now misunderstood: "
            "see 'What changed' in the report."
        )
    for language, summary in result.get("heldout_languages", {}).items():
        lines.append(
            f"  Held-out test in {language} ({summary['n']} questions, NLU only; the whole reply"
            f" through REST: python -m tools.situations --language {language}): intent accuracy"
            f" {summary['accuracy']:.1%}, emergency recall {summary['emergency_recall']:.1%}"
        )
    detection = result.get("language_detection")
    if detection:
        lines.append(
            f"  Language detection on held-out messages: {detection['all']['accuracy']:.1%} of"
            f" {detection['all']['examples']}; very short ones"
            f" {detection['very_short']['accuracy']:.1%} of {detection['very_short']['examples']}"
        )
    failures = result["gate"]["failures"]
    lines.append(
        "  Ready to publish: yes"
        if not failures
        else "  Ready to publish: NO - " + "; ".join(failures)
    )
    return lines


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument("--folds", type=int, default=int(os.environ.get("FOLDS", DEFAULT_FOLDS)))
    parser.add_argument("--model", type=Path, help="model file (default: the newest in models/)")
    args = parser.parse_args(argv)
    model = args.model or newest_trained(args.root)
    if model is None:
        print("There is no trained model yet: run `make train` first.")
        return 1
    quiet_libraries()
    try:
        result = evaluate(args.root, model, args.folds)
    except Exception as error:  # Rasa raises many kinds; staff need one sentence
        print(f"The evaluation stopped: {error}")
        return 1
    previous = save_result(args.root, result)
    changes = compare(previous, result)
    report = write_report(result, changes, Path(args.root) / paths.EVALUATION)
    print()
    print(f"Evaluation finished in {minutes(result['seconds'])}. Held-out test:")
    print("\n".join(console_summary(result, changes)))
    print(f"Full report: {paths.relative(report, args.root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
