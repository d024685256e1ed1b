"""`make review`: the messages the assistant missed, with personal details masked, as a CSV.

A message is exported when the assistant fell back (nlu_fallback), found it out of scope, or was
unsure: its intent or answer confidence was below the threshold (REVIEW_THRESHOLD, default 0.6).
Button presses are left out. Identical messages (after masking) are exported once.

    python -m tools.review [--threshold 0.6] [--days N] [--out FILE]
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Iterable, List, Tuple

from tools import paths
from tools.masking import Masker, default_masker
from tools.nlu_scoring import FALLBACK, OUT_OF_SCOPE, read_parse
from tools.spreadsheet import safe_cell
from tools.text import normalise
from tools.trackers import tracker_db, user_messages

COLUMNS = ("text", "predicted_intent", "confidence", "date", "label")
DEFAULT_THRESHOLD = 0.6


@dataclass(frozen=True)
class Missed:
    text: str
    predicted: str
    confidence: float
    date: str

    def row(self) -> Dict[str, str]:
        """The CSV row; a cell that a spreadsheet would run as a formula is written as text."""
        values = (self.text, self.predicted, f"{self.confidence:.2f}", self.date, "")
        return dict(zip(COLUMNS, (safe_cell(v) for v in values), strict=True))


def closest_guess(parse: Dict[str, Any]) -> Tuple[str, float]:
    """The model's best real answer (not the fallback) and its confidence."""
    label, intent_confidence, answer_confidence = read_parse(parse)
    if label == FALLBACK:
        ranking = [r for r in parse.get("intent_ranking") or [] if r.get("name") != FALLBACK]
        if ranking:
            guess = {**parse, "intent": ranking[0]}
            label, intent_confidence, answer_confidence = read_parse(guess)
    confidence = answer_confidence if answer_confidence is not None else intent_confidence
    return label, confidence


def is_missed(parse: Dict[str, Any], threshold: float) -> bool:
    label, intent_confidence, answer_confidence = read_parse(parse)
    return (
        label in (FALLBACK, OUT_OF_SCOPE)
        or intent_confidence < threshold
        or (answer_confidence is not None and answer_confidence < threshold)
    )


def missed_messages(
    db: Path, masker: Masker, threshold: float, since: float | None = None
) -> Tuple[List[Missed], int]:
    """(missed messages, newest first and masked; how many messages were looked at)."""
    found: Dict[str, Missed] = {}
    seen = 0
    for message in user_messages(db, since):
        if not message.text.strip() or message.text.startswith("/"):
            continue
        seen += 1
        if not is_missed(message.parse_data, threshold):
            continue
        label, confidence = closest_guess(message.parse_data)
        fell_back = read_parse(message.parse_data)[0] == FALLBACK
        masked = " ".join(masker.mask(message.text).split())
        found[normalise(masked)] = Missed(
            text=masked,
            predicted=f"{FALLBACK} (closest: {label})" if fell_back else label,
            confidence=round(confidence, 2),
            date=dt.datetime.fromtimestamp(message.timestamp).strftime("%Y-%m-%d"),
        )
    return sorted(found.values(), key=lambda m: m.date, reverse=True), seen


def write_csv(rows: Iterable[Missed], path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    # utf-8-sig: spreadsheet programs then show accented letters correctly.
    with open(path, "w", newline="", encoding="utf-8-sig") as handle:
        writer = csv.DictWriter(handle, fieldnames=COLUMNS)
        writer.writeheader()
        writer.writerows(m.row() for m in rows)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT)
    parser.add_argument("--db", type=Path, help="tracker store file (default: from endpoints.yml)")
    parser.add_argument(
        "--threshold",
        type=float,
        default=float(os.environ.get("REVIEW_THRESHOLD", DEFAULT_THRESHOLD)),
    )
    parser.add_argument("--days", type=int, help="only the last N days (default: all kept)")
    parser.add_argument("--out", type=Path, help="CSV file to write")
    args = parser.parse_args(argv)
    db = args.db or tracker_db(args.root)
    since = time.time() - args.days * 86400 if args.days else None
    missed, seen = missed_messages(db, default_masker(args.root), args.threshold, since)
    out = args.out or (Path(args.root) / paths.REVIEW / f"missed-{dt.date.today().isoformat()}.csv")
    write_csv(missed, out)
    print(
        f"Looked at {seen} messages in {paths.relative(db, args.root)}; {len(missed)} were "
        f"missed or unsure (confidence under {args.threshold:.2f})."
    )
    print(f"Wrote {paths.relative(out, args.root)} (personal details masked).")
    if not missed:
        print("Nothing to label.")
    else:
        print(
            "Next: fill in the label column (a topic or intent name), then run "
            f"`make import-review FILE={paths.relative(out, args.root)}`."
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
