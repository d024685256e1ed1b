"""How well the review masking hides personal details, measured on a labelled set of messages.

    python -m tools.masking_score [--set tests/tools/data/masking_set.txt] [--show]

In the set, each personal detail is marked {{CATEGORY|text}}. A detail counts as hidden only when
every letter and digit of it is replaced (recall, per category). A placeholder counts as right when
it covers part of a marked detail (precision, per placeholder); lines with no detail show how often
ordinary text is hidden for nothing. The masking is read only through `Masker.mask`, so an older
masker can be measured the same way.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, List, Sequence, Tuple

from tools import paths
from tools.masking import PLACEHOLDERS, default_masker

DEFAULT_SET = Path(paths.ROOT) / "tests/tools/data/masking_set.txt"
_MARK = re.compile(r"\{\{([A-Z]+)\|(.+?)\}\}")
_PLACEHOLDER = re.compile("|".join(re.escape(p) for p in PLACEHOLDERS))

Span = Tuple[int, int, str]


@dataclass(frozen=True)
class Labelled:
    text: str
    details: Tuple[Span, ...]


def parse_line(line: str) -> Labelled:
    text, details, position = "", [], 0
    for found in _MARK.finditer(line):
        text += line[position : found.start()]
        details.append((len(text), len(text) + len(found.group(2)), found.group(1)))
        text += found.group(2)
        position = found.end()
    return Labelled(text + line[position:], tuple(details))


def read_set(path: Path) -> List[Labelled]:
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    return [parse_line(line) for line in lines if line.strip() and not line.startswith("#")]


def masked_regions(original: str, masked: str) -> List[Span]:
    """(start, end, placeholder) in `original` for each placeholder in `masked`."""
    parts = _PLACEHOLDER.split(masked)
    found = _PLACEHOLDER.findall(masked)
    pattern = "".join(
        re.escape(part) + ("(.+?)" if i < len(found) else "") for i, part in enumerate(parts)
    )
    match = re.fullmatch(pattern, original, re.DOTALL)
    if match is None:
        raise ValueError(f"the masked text does not come from the message: {masked!r}")
    return [(*match.span(i + 1), placeholder) for i, placeholder in enumerate(found)]


def _hidden(start: int, end: int, text: str, regions: Sequence[Span]) -> bool:
    return all(
        not text[i].isalnum() or any(a <= i < b for a, b, _ in regions) for i in range(start, end)
    )


@dataclass
class Score:
    details: Counter = field(default_factory=Counter)
    hidden: Counter = field(default_factory=Counter)
    placeholders: Counter = field(default_factory=Counter)
    right: Counter = field(default_factory=Counter)
    clean_lines: int = 0
    clean_lines_changed: int = 0
    leaks: List[str] = field(default_factory=list)
    needless: List[str] = field(default_factory=list)

    def recall(self, category: str) -> float:
        return self.hidden[category] / self.details[category] if self.details[category] else 1.0

    def precision(self, placeholder: str) -> float:
        count = self.placeholders[placeholder]
        return self.right[placeholder] / count if count else 1.0

    @property
    def total_recall(self) -> float:
        return sum(self.hidden.values()) / max(sum(self.details.values()), 1)

    @property
    def total_precision(self) -> float:
        return sum(self.right.values()) / max(sum(self.placeholders.values()), 1)


def score(mask: Callable[[str], str], items: Sequence[Labelled]) -> Score:
    result = Score()
    for item in items:
        masked = mask(item.text)
        regions = masked_regions(item.text, masked)
        for start, end, category in item.details:
            result.details[category] += 1
            if _hidden(start, end, item.text, regions):
                result.hidden[category] += 1
            else:
                result.leaks.append(f"{category}: {item.text[start:end]!r} in {masked!r}")
        for start, end, placeholder in regions:
            result.placeholders[placeholder] += 1
            if any(start < b and a < end for a, b, _ in item.details):
                result.right[placeholder] += 1
            else:
                result.needless.append(f"{placeholder}: {item.text[start:end]!r} in {masked!r}")
        if not item.details:
            result.clean_lines += 1
            result.clean_lines_changed += masked != item.text
    return result


def table(scores: Dict[str, Score]) -> str:
    """Markdown: recall per category and precision per placeholder, one column per masker."""
    names = list(scores)
    first = next(iter(scores.values()))
    head = "| | " + " | ".join(names) + " |\n|---|" + "---|" * len(names) + "\n"
    rows = []
    for category in sorted(first.details):
        cells = [f"{s.hidden[category]}/{s.details[category]}" for s in scores.values()]
        rows.append(f"| recall {category} | " + " | ".join(cells) + " |")
    rows.append(
        "| **recall, all details** | "
        + " | ".join(f"**{s.total_recall:.1%}**" for s in scores.values())
        + " |"
    )
    used = sorted({p for s in scores.values() for p in s.placeholders})
    for placeholder in used:
        cells = [
            f"{s.right[placeholder]}/{s.placeholders[placeholder]}"
            if s.placeholders[placeholder]
            else "-"
            for s in scores.values()
        ]
        rows.append(f"| precision {placeholder} | " + " | ".join(cells) + " |")
    rows.append(
        "| **precision, all placeholders** | "
        + " | ".join(f"**{s.total_precision:.1%}**" for s in scores.values())
        + " |"
    )
    rows.append(
        "| lines with no detail that were changed | "
        + " | ".join(f"{s.clean_lines_changed}/{s.clean_lines}" for s in scores.values())
        + " |"
    )
    return head + "\n".join(rows)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--set", type=Path, default=DEFAULT_SET, help="labelled messages")
    parser.add_argument("--show", action="store_true", help="list what leaked or was over-masked")
    args = parser.parse_args(argv)
    result = score(default_masker().mask, read_set(args.set))
    print(table({"masking": result}))
    if args.show:
        print("\nNot hidden:\n  " + "\n  ".join(result.leaks or ["(none)"]))
        print("\nHidden for nothing:\n  " + "\n  ".join(result.needless or ["(none)"]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
