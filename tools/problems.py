"""A problem in the content, in plain words: where it is, what is wrong, how to fix it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List


@dataclass(frozen=True)
class Problem:
    file: str
    line: int | None
    message: str
    fix: str

    @property
    def where(self) -> str:
        return f"{self.file}, line {self.line}" if self.line else self.file

    def __str__(self) -> str:
        return f"{self.where}: {self.message}\n    Fix: {self.fix}"


def sort_problems(problems: Iterable[Problem]) -> List[Problem]:
    return sorted(set(problems), key=lambda p: (p.file, p.line or 0, p.message))
