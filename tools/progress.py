"""Progress for long steps, readable in a terminal and in a log file."""

from __future__ import annotations

import sys
import time
import warnings
from contextlib import contextmanager
from typing import Iterator, TextIO


class Progress:
    """Counts work done: "Scoring test questions: 120/300 (40%)".

    In a terminal the line is rewritten in place; in a log, a line is written every 10%.
    """

    def __init__(self, label: str, total: int, out: TextIO | None = None) -> None:
        self.label, self.total, self.done = label, max(total, 1), 0
        self.out = out or sys.stdout
        self._tenth = 0

    def step(self) -> None:
        self.done += 1
        if self.done > self.total:
            return
        line = f"  {self.label}: {self.done}/{self.total} ({100 * self.done // self.total}%)"
        last = self.done == self.total
        if self.out.isatty():
            self.out.write(f"\r{line}" + ("\n" if last else ""))
        elif self.done * 10 // self.total > self._tenth or last:
            self._tenth = self.done * 10 // self.total
            self.out.write(line + "\n")
        self.out.flush()


def say(message: str) -> None:
    """A step of a long command, with the time of day so people can see it is moving."""
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def minutes(seconds: float) -> str:
    return f"{seconds / 60:.1f} min" if seconds >= 60 else f"{seconds:.0f} s"


def quiet_libraries() -> None:
    """Only errors from Rasa, TensorFlow and friends: staff read the progress lines above."""
    import logging
    import os

    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
    warnings.filterwarnings("ignore")  # importing Rasa warns about its own dependencies
    from rasa.utils.common import configure_logging_and_warnings
    from rasa.utils.log_utils import configure_structlog

    configure_logging_and_warnings(logging.ERROR)
    configure_structlog(logging.ERROR)
    warnings.filterwarnings("ignore")  # after Rasa's own warning filters


@contextmanager
def no_warnings() -> Iterator[None]:
    """Loading or training a model imports libraries that warn about each other."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        warnings.showwarning = lambda *args, **kwargs: None  # some libraries reset the filters
        yield
