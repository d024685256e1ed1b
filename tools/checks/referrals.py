"""The referral directory, the places list, and phone numbers quoted in answers.

The directory rules themselves live in actions.directory.check_directory (the action server uses
them too); this module only adds where each problem is and how to fix it.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any, List, Tuple

import yaml

from actions.directory import check_directory, digits, numbers_by_service
from actions.places import Gazetteer, load_gazetteer
from tools.paths import LOCATION_LOOKUP, PLACES, SERVICES
from tools.problems import Problem
from tools.project import Project
from tools.yaml_io import line_of_item, line_of_key

# Numbers as they appear in answers: 1-800-555-0100, (604) 555-0100, 310-1234, 2-1-1, 911,
# and text numbers like 686868.
NUMBER_IN_TEXT = re.compile(
    r"(?<![\w.-])(?:\+?1[-. ]?)?(?:\(\d{3}\)\s?|\d{3}[-. ])\d{3}[-. ]\d{4}(?![\w-])"
    r"|(?<![\w.-])\d{3}-\d{4}(?![\w-])"
    r"|(?<![\w.-])\d-\d-\d(?![\w-])"
    r"|(?<![\w.,$-])(?:[2-9]11|\d{5,6}|\d{10,11})(?![\w,-]|\.\d)"
)
_ENTRY = re.compile(r"^entry (\d+)")
_FIELD_WORDS = {"audience": "audiences", "last checked": "last_verified", "text number": "text"}
_DIRECTORY_GUIDE = (
    f'the field list at the top of {SERVICES} and STAFF_GUIDE.md ("Update a service")'
)


def _field_line(entry: Any, message: str) -> int | None:
    """The line of the field a directory message talks about, else of the entry itself."""
    if not isinstance(entry, dict):
        return None
    found = []
    for word, key in [*_FIELD_WORDS.items(), *((k, k) for k in entry)]:
        hit = re.search(rf"(?<![\w]){re.escape(str(word))}(?![\w])", message)
        if hit and key in entry:
            found.append((hit.start(), key))
    return line_of_key(entry, min(found)[1]) if found else None


def _directory_fix(message: str, today: dt.date) -> str:
    if "last checked" in message or "last_verified" in message:
        return (
            "Confirm the details with the service itself (its website or a call), then set "
            f'last_verified: "{today.isoformat()}". If it has closed, set status: closed.'
        )
    if "is missing" in message:
        return f"Add the field; see {_DIRECTORY_GUIDE}."
    if "phone" in message:
        return "Write phone numbers like 1-800-555-0100, 310-1234 or 911, in quotes."
    if "no active service" in message:
        return "At least one active service must answer each need: add one or re-open one."
    return f"See {_DIRECTORY_GUIDE}."


def _gazetteer(project: Project) -> Tuple[Gazetteer | None, List[Problem]]:
    if PLACES not in project.documents:
        return None, []  # missing, or not valid YAML (already reported)
    try:
        return load_gazetteer(project.root / PLACES), []
    except (KeyError, TypeError, AttributeError) as error:
        return None, [
            Problem(
                PLACES,
                None,
                f"The places list cannot be read: a place or province is missing {error}.",
                "Every province needs a name and every place a name, as in the lines above.",
            )
        ]


def directory(project: Project, gazetteer: Gazetteer, today: dt.date) -> List[Problem]:
    document = project.documents.get(SERVICES)
    if document is None:
        return []
    raw = yaml.safe_load((project.root / SERVICES).read_text(encoding="utf-8"))
    entries = document.get("services") if isinstance(document, dict) else None
    problems = []
    for message in check_directory(raw, gazetteer.region_ids, today):
        line = None
        number = _ENTRY.match(message)
        if number and isinstance(entries, list):
            index = int(number.group(1)) - 1
            line = _field_line(entries[index], message) or line_of_item(entries, index)
        problems.append(
            Problem(
                SERVICES,
                line,
                message[0].upper() + message[1:] + ".",
                _directory_fix(message, today),
            )
        )
    return problems


def numbers_in_answers(project: Project) -> List[Problem]:
    if SERVICES not in project.documents:
        return []
    known = numbers_by_service(project.documents.get(SERVICES))
    problems = []
    for response in project.responses:
        for match in NUMBER_IN_TEXT.finditer(response.text):
            number = match.group(0)
            service = known.get(digits(number))
            if service and service[1] == "active":
                continue
            if service:
                message = (
                    f'The answer "{response.name}" quotes {number}, the number of '
                    f'"{service[0]}", whose status is {service[1]}.'
                )
                fix = "Remove the number from the answer: only active services may be shown."
            else:
                message = (
                    f'The answer "{response.name}" quotes the number {number}, which is not in '
                    f"the service directory ({SERVICES})."
                )
                fix = (
                    "Every number in an answer must come from the directory. Check the number "
                    "with the service; if it is right, add or update the service there first."
                )
            problems.append(Problem(response.file, response.line, message, fix))
    return problems


def places_in_lookup(project: Project) -> List[Problem]:
    document = project.documents.get(PLACES)
    provinces = document.get("provinces") if isinstance(document, dict) else None
    if not isinstance(provinces, dict):
        return []
    lookup = {e.plain.lower() for e in project.lookups.get("location", [])}
    problems = []
    for code, province in provinces.items():
        if not isinstance(province, dict):
            continue
        named = [(province, line_of_key(provinces, code))]
        places = province.get("places") or []
        named += [(p, line_of_item(places, i)) for i, p in enumerate(places)]
        for place, line in named:
            if not isinstance(place, dict) or place.get("ambiguous") or not place.get("name"):
                continue
            name = str(place["name"])
            if name.lower() not in lookup:
                problems.append(
                    Problem(
                        PLACES,
                        line,
                        f'The place "{name}" is missing from the location lookup table '
                        f"({LOCATION_LOOKUP}), so the assistant cannot pick it out of a message.",
                        f'Add "    - {name}" to {LOCATION_LOOKUP}. If the name is also an '
                        "everyday word (like Mission), mark the place ambiguous: true instead.",
                    )
                )
    return problems


def check(project: Project, today: dt.date) -> List[Problem]:
    gazetteer, problems = _gazetteer(project)
    if gazetteer is not None:
        problems += directory(project, gazetteer, today)
    return [*problems, *numbers_in_answers(project), *places_in_lookup(project)]
