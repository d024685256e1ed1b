"""The project's own content checks. Each module checks one concern and returns Problems."""

from __future__ import annotations

import datetime as dt
from typing import List

from tools.checks import answers, examples, languages, referrals
from tools.problems import Problem
from tools.project import Project


def content_problems(project: Project, today: dt.date | None = None) -> List[Problem]:
    """Every problem the project's own checks find in valid files (not Rasa's validation)."""
    return [
        *examples.check(project),
        *answers.check(project),
        *languages.check(project),
        *referrals.check(project, today or dt.date.today()),
    ]
