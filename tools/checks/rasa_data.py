"""Rasa's own validation (`rasa data validate`), with its messages told in plain words.

Warnings that are expected in this project (responses sent by custom actions are "not used in
any story or rule") or that the project's own checks already report more precisely are left out;
every other warning counts as an error, since it means the assistant may not behave as written.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from contextlib import contextmanager, redirect_stderr
from pathlib import Path
from typing import Iterator, List, Tuple

from tools.paths import CONFIG, DATA, DOMAIN, relative
from tools.problems import Problem

EXPECTED = (
    re.compile(r"^The utterance '.*' is not used in any story or rule"),
    re.compile(r"duplicated intents have been found across multiple domain files: faq"),
    # Reported by tools.checks.examples / answers with file and line:
    re.compile(r"is listed in the domain file, but is not found in the NLU training data"),
    re.compile(r"There is a message in the training data labeled with intent"),
    re.compile(r"was found labeled with multiple different intents"),
)

# A line of an examples list that Rasa skips: inside `examples: |` even "# ..." is not a comment.
_SKIPPED = r"The item '(?P<name>[^']+)' contains an example that doesn't start with a '-' symbol: "
_SKIPPED_END = r" This training example will be skipped"
SKIPPED_LINE = re.compile(_SKIPPED + r"(?P<line>.*?)" + _SKIPPED_END)
_PROCESSING = re.compile(r"Issue found while processing '(?P<file>[^']+)'")

# (what Rasa says, what it means, how to fix it)
PLAIN = (
    (
        re.compile(_SKIPPED + r"(?P<line>#.*?)" + _SKIPPED_END),
        'The examples of "{name}" hold the line "{line}". Inside a list of examples it is not a '
        "comment: the assistant skips it.",
        "Delete the line. French examples go in the topic's French list (the one marked "
        "`language: fr`), not after a line like this one (see STAFF_GUIDE.md).",
    ),
    (
        SKIPPED_LINE,
        'The examples of "{name}" hold the line "{line}", which does not start with "- ": the '
        "assistant skips it.",
        'Start the line with "- " if it is an example (lined up with the lines above it), or '
        "delete it.",
    ),
    (
        re.compile(r"The action '(?P<name>[^']+)' is used in the '(?P<block>[^']+)' block"),
        'The story or rule "{block}" uses "{name}", which is not in domain.yml.',
        "Correct the name, or add the answer (utter_...) under responses or the action under "
        "actions in domain.yml.",
    ),
    (
        re.compile(r"The action '(?P<name>[^']+)' is used in the stories, but is not a valid"),
        'A story or rule uses the answer "{name}", which does not exist.',
        "Correct the name, or write the answer under responses.",
    ),
    (
        re.compile(r"The intent '(?P<name>[^']+)' is used in your stories"),
        'A story or rule uses the intent "{name}", which is not listed in domain.yml.',
        'Correct the name, or add "  - {name}" under intents: in domain.yml.',
    ),
    (
        re.compile(r"The intent '(?P<name>[^']+)' is not used in any story or rule"),
        'No rule says what the assistant does after the intent "{name}".',
        "Add a rule for it in data/rules.yml (copy one of the rules there).",
    ),
    (
        re.compile(r"Story structure conflict after (?P<name>.*?):"),
        "Two stories or rules say different things after the same message ({name}).",
        "Make them agree, or delete one (the message above names both).",
    ),
)
_QUOTED = re.compile(r"'([^']+)'")


def _expected(message: str) -> bool:
    from rasa.utils.common import EXPECTED_WARNINGS

    rasa_expected = (
        re.compile(text) for category, text in EXPECTED_WARNINGS if category is UserWarning
    )
    return any(p.search(message) for p in (*EXPECTED, *rasa_expected))


def _search_files(root: Path) -> List[Path]:
    return [root / DOMAIN, *sorted((root / DATA).rglob("*.yml"))]


def _skipped_line(root: Path, message: str) -> Tuple[str, int | None] | None:
    """The file and line of the line Rasa says it skipped, if the message is about one."""
    skipped, processing = SKIPPED_LINE.search(message), _PROCESSING.search(message)
    if not skipped or not processing or not Path(processing.group("file")).exists():
        return None
    path = Path(processing.group("file"))
    wanted = " ".join(skipped.group("line").split())
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if " ".join(line.split()) == wanted:
            return relative(path, root), number
    return relative(path, root), None


def _locate(root: Path, message: str) -> Tuple[str, int | None]:
    """The line Rasa skipped, or the first file and line that mention a name it quotes."""
    skipped = _skipped_line(root, message)
    if skipped:
        return skipped
    for name in _QUOTED.findall(message):
        pattern = re.compile(rf"(?<![\w/]){re.escape(name)}(?![\w/])")
        for path in _search_files(root):
            if not path.exists():
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                if pattern.search(line):
                    return relative(path, root), number
    return DATA, None


def _problem(root: Path, message: str) -> Problem:
    message = " ".join(message.split("More info at")[0].split())
    file, line = _locate(root, message)
    for pattern, meaning, fix in PLAIN:
        found = pattern.search(message)
        if found:
            return Problem(
                file,
                line,
                meaning.format(**found.groupdict()),
                fix.format(**found.groupdict()) + f" (Rasa says: {message})",
            )
    return Problem(
        file,
        line,
        f"Rasa's data validation says: {message}",
        "Look at the named file; if the message is unclear, ask a developer.",
    )


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: List[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def _collecting() -> Iterator[List[str]]:
    handler = _Collect()
    logger = logging.getLogger("rasa")
    logger.addHandler(handler)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        messages: List[str] = []
        try:
            yield messages
        finally:
            logger.removeHandler(handler)
            messages.extend(str(w.message) for w in caught if issubclass(w.category, UserWarning))
            messages.extend(handler.messages)


def rasa_problems(root: Path) -> List[Problem]:
    """What `rasa data validate` reports for the project at `root`, as Problems."""
    from rasa.cli.utils import validate_files
    from rasa.shared.importers.importer import TrainingDataImporter

    failed = False
    with _collecting() as messages, redirect_stderr(io.StringIO()):  # Rasa's progress bars
        try:
            importer = TrainingDataImporter.load_from_config(
                str(root / CONFIG), str(root / DOMAIN), [str(root / DATA)]
            )
            validate_files(fail_on_warnings=False, max_history=None, importer=importer)
        except SystemExit:
            failed = True
        except Exception as error:  # Rasa's loaders raise many kinds; all mean "cannot read"
            return [
                Problem(
                    DATA,
                    None,
                    f"Rasa cannot read the training data: {error}",
                    "Look at the file and line Rasa names; compare with similar files.",
                )
            ]
    problems = [
        _problem(root, m)
        for m in dict.fromkeys(messages)
        if not _expected(m) and "Project validation completed with errors" not in m
    ]
    if failed and not problems:
        problems.append(
            Problem(
                DATA, None, "Rasa's data validation failed.", "Run `make validate` for details."
            )
        )
    return problems
