"""`make check`: Rasa's data validation plus the project's own content checks.

Every problem names the file, the line and the fix in plain words. Exits with status 1 if there
is any problem, so `make publish` stops before a broken change reaches people.

    python -m tools.check [--no-rasa] [--root DIR]
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import sys
from pathlib import Path
from typing import List

from tools import paths
from tools.checks import content_problems
from tools.checks.translations import unreviewed, unreviewed_widget_strings
from tools.problems import Problem, sort_problems
from tools.project import Project, load_project


def run_checks(
    root: Path = paths.ROOT, today: dt.date | None = None, with_rasa: bool = True
) -> List[Problem]:
    """Every problem in the project at `root`, sorted by file and line.

    Files that are not valid YAML are reported alone: until they can be read, the other checks
    would only report what is missing because of them.
    """
    project = load_project(root)
    if project.problems:
        return sort_problems(project.problems)
    problems = content_problems(project, today)
    if with_rasa:
        from tools.checks.rasa_data import rasa_problems

        problems += rasa_problems(Path(root))
    return sort_problems(problems)


def summary(project: Project) -> str:
    services = project.documents.get(paths.SERVICES) or {}
    return (
        f"{len(project.by_intent())} intents and topics, {len(project.examples)} example "
        f"questions, {len(project.responses)} answers, "
        f"{len(services.get('services') or [])} directory entries, "
        f"{len(project.heldout)} test questions"
    )


def translation_warnings(root: Path = paths.ROOT) -> str:
    """Translated texts not yet reviewed by a fluent speaker: listed, but not a failure."""
    project = load_project(root)
    warnings = [] if project.problems else sort_problems(unreviewed(project))
    warnings += unreviewed_widget_strings(root)
    if not warnings:
        return ""
    lines = [f"Warning: {len(warnings)} translated texts are not reviewed by a fluent speaker:"]
    lines += [f"- {w.where}: {w.message}\n  {w.fix}" for w in warnings]
    return "\n".join(lines)


def report(problems: List[Problem]) -> str:
    if not problems:
        return ""
    lines = [f"make check found {len(problems)} problem{'s' if len(problems) > 1 else ''}:", ""]
    for number, problem in enumerate(problems, 1):
        lines += [
            f"{number}. {problem.where}",
            f"   {problem.message}",
            f"   Fix: {problem.fix}",
            "",
        ]
    return "\n".join(lines)


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--root", type=Path, default=paths.ROOT, help="project folder")
    parser.add_argument("--no-rasa", action="store_true", help="skip Rasa's own validation")
    args = parser.parse_args(argv)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    print("Checking the questions, answers, buttons and service directory...", flush=True)
    problems = run_checks(args.root, with_rasa=not args.no_rasa)
    warnings = translation_warnings(args.root)
    if warnings:
        print(warnings + "\n")
    if problems:
        print(report(problems))
        print("Fix the problems above, save the files, and run `make check` again.")
        return 1
    print(f"All checks passed: {summary(load_project(args.root))}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
