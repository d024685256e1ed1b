"""The referral directory: loading, checking and choosing services.

`data/referrals/services.yml` is the only source of contact details. Entries
whose status is not `active` are never returned by `choose`.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Sequence, Tuple, Union

import yaml

from actions.places import Location

NEEDS = ("trafficking", "octip", "sex_workers", "youth", "reporting", "emergency")
STATUSES = ("active", "closed", "unconfirmed")
CONDITIONS = ("violence",)
REQUIRED = ("id", "name", "about", "coverage", "audiences", "police", "status")
REQUIRED_ACTIVE = ("hours", "languages", "source", "last_verified", "verified_by")
# Every need is answered in French too: each active service needs the French lines people read.
# Contact details are the same in every language.
FRENCH = "fr"
# Written in `hours`, `languages` or `police` when the checked facts do not confirm it; never shown.
UNCONFIRMED = "unconfirmed"
POLICE_VALUES = (True, False, UNCONFIRMED)
PHONE = re.compile(r"^(\d-\d{3}-\d{3}-\d{4}|\d{3}-\d{4}|\d{3}|\d-\d-\d)$")
TEXT_NUMBER = re.compile(r"^(\d{5,6}|\d-\d-\d)$")
ADDRESS = re.compile(r"^(?!https?://)[A-Za-z0-9.-]+\.[A-Za-z]{2,}(/[\w./-]*)?$")
MAX_AGE_DAYS = 365
logger = logging.getLogger(__name__)

Coverage = Union[str, Tuple[str, ...]]


@dataclass(frozen=True)
class TextLine:
    number: str
    keyword: str | None = None


@dataclass(frozen=True)
class Wording:
    about: str
    hours: str
    languages: str
    note: str | None


@dataclass(frozen=True)
class Service:
    id: str
    name: str
    about: str
    coverage: Coverage
    audiences: Tuple[str, ...]
    police: bool | None
    status: str
    sex_worker_led: bool = False
    phone: Tuple[str, ...] = ()
    text: TextLine | None = None
    chat: str | None = None
    web: str | None = None
    hours: str = ""
    languages: str = ""
    note: str | None = None
    only_if: str | None = None
    show_about: bool = False
    about_fr: str = ""
    hours_fr: str = ""
    languages_fr: str = ""
    note_fr: str | None = None
    source: str = ""
    last_verified: str = ""
    verified_by: str = ""

    @property
    def shown_hours(self) -> str:
        return "" if self.hours == UNCONFIRMED else self.hours

    @property
    def shown_languages(self) -> str:
        return "" if self.languages == UNCONFIRMED else self.languages

    def wording(self, language: str) -> Wording:
        """The lines people read, in French when asked and written, otherwise in English."""
        english = Wording(self.about, self.shown_hours, self.shown_languages, self.note)
        if language != FRENCH:
            return english
        return Wording(
            self.about_fr or english.about,
            (self.hours_fr or english.hours) if english.hours else "",
            (self.languages_fr or english.languages) if english.languages else "",
            (self.note_fr or english.note) if english.note else None,
        )

    @property
    def is_community(self) -> bool:
        """A sex-worker-led group, or a local group with no police involvement."""
        return self.sex_worker_led or (self.is_local and self.police is False)

    @property
    def is_local(self) -> bool:
        return isinstance(self.coverage, tuple) and "bc" not in self.coverage

    def covers(self, location: Location | None) -> bool:
        """Whether the service may be shown to someone at `location` (None: unknown)."""
        if self.coverage == "canada":
            return True
        if location is None or location.province is None:
            return not self.is_local
        if self.coverage == "bc":
            return location.province == "BC"
        return bool(set(self.coverage) & set(location.regions))


@dataclass(frozen=True)
class Directory:
    services: Tuple[Service, ...]
    errors: Tuple[str, ...] = field(default=())

    def get(self, service_id: str) -> Service:
        return next(s for s in self.services if s.id == service_id)

    def choose(
        self,
        need: str,
        location: Location | None,
        limit: int,
        exclude: Sequence[str] = (),
        conditions: Sequence[str] = (),
    ) -> List[Service]:
        """Active services for a need and place, in the order people should see them.

        `conditions` are what the person mentioned (e.g. "violence"); a service
        with `only_if` is shown only when its condition is among them.
        """
        chosen = [
            s
            for s in self.services
            if s.status == "active"
            and need in s.audiences
            and s.id not in exclude
            and (s.only_if is None or s.only_if in conditions)
            and s.covers(location)
        ]
        if need == "sex_workers":
            chosen.sort(key=_sex_worker_order)
        return chosen[:limit]

    def local_groups(self, need: str, exclude: Sequence[str] = ()) -> List[Service]:
        """Every active local service for a need, wherever it works, in the order of `choose`:
        for someone whose place is unknown, each one's `about` says where it is."""
        groups = [
            s
            for s in self.services
            if s.is_local and s.status == "active" and need in s.audiences and s.id not in exclude
        ]
        return sorted(groups, key=_sex_worker_order) if need == "sex_workers" else groups

    def has_local_services(self, need: str) -> bool:
        return bool(self.local_groups(need))


def digits(number: str) -> str:
    """The digits people dial: 1-800-563-0808 and 800 563 0808 are the same number."""
    only = re.sub(r"\D", "", number)
    return only[1:] if len(only) == 11 and only.startswith("1") else only


def numbers_by_service(document: Any) -> Dict[str, Tuple[str, str]]:
    """digits -> (service id, status) for every phone and text number in a directory document.

    Works on a broken document too (staff checks read it before it is valid).
    """
    numbers: Dict[str, Tuple[str, str]] = {}
    services = document.get("services") if isinstance(document, dict) else None
    for entry in services if isinstance(services, list) else []:
        if not isinstance(entry, dict):
            continue
        text = entry.get("text") if isinstance(entry.get("text"), dict) else {}
        for number in [*(entry.get("phone") or []), text.get("number")]:
            if number:
                key = digits(str(number))
                # An active entry wins over a closed one with the same number.
                if numbers.get(key, ("", ""))[1] != "active":
                    numbers[key] = (str(entry.get("id")), str(entry.get("status")))
    return numbers


def _sex_worker_order(service: Service) -> tuple:
    return (_police_rank(service), not service.is_local, not service.sex_worker_led)


def _police_rank(service: Service) -> int:
    """Confirmed non-police services first, police last, unconfirmed ones between."""
    return {False: 0, None: 1, True: 2}[service.police]


def checked_on(value: Any) -> dt.date:
    """The day `last_verified` names; a month alone ("2026-11") counts from its first day.

    Raises ValueError for anything else.
    """
    text = str(value)
    if re.fullmatch(r"\d{4}-\d{2}", text):
        text += "-01"
    return dt.date.fromisoformat(text)


def _service(raw: Dict[str, Any]) -> Service:
    coverage = raw["coverage"]
    text = raw.get("text")
    return Service(
        id=raw["id"],
        name=raw["name"],
        about=raw["about"],
        coverage=tuple(coverage) if isinstance(coverage, list) else coverage,
        audiences=tuple(raw["audiences"]),
        police=None if raw["police"] == UNCONFIRMED else bool(raw["police"]),
        status=raw["status"],
        sex_worker_led=bool(raw.get("sex_worker_led", False)),
        phone=tuple(str(p) for p in raw.get("phone") or ()),
        text=TextLine(str(text["number"]), text.get("keyword")) if text else None,
        chat=raw.get("chat"),
        web=raw.get("web"),
        hours=str(raw.get("hours", "")),
        languages=str(raw.get("languages", "")),
        note=raw.get("note"),
        only_if=raw.get("only_if"),
        show_about=bool(raw.get("show_about", False)),
        about_fr=str(raw.get("about_fr") or ""),
        hours_fr=str(raw.get("hours_fr") or ""),
        languages_fr=str(raw.get("languages_fr") or ""),
        note_fr=raw.get("note_fr"),
        source=str(raw.get("source", "")),
        last_verified=str(raw.get("last_verified", "")),
        verified_by=str(raw.get("verified_by", "")),
    )


def check_entry(raw: Any, index: int, region_ids: Sequence[str], today: dt.date) -> List[str]:
    """Plain-language problems with one directory entry (empty if it is fine)."""
    if not isinstance(raw, dict):
        return [f"entry {index + 1}: is not a list of fields"]
    label = f"entry {index + 1} ({raw.get('id', 'no id')})"
    problems = [f"{label}: '{key}' is missing" for key in REQUIRED if key not in raw]
    if problems:
        return problems
    if raw["status"] not in STATUSES:
        problems.append(f"{label}: status must be one of {', '.join(STATUSES)}")
    for need in raw["audiences"] or []:
        if need not in NEEDS:
            problems.append(f"{label}: unknown audience '{need}' (use {', '.join(NEEDS)})")
    coverage = raw["coverage"]
    if isinstance(coverage, list):
        for region in coverage:
            if region not in region_ids:
                problems.append(f"{label}: unknown region '{region}' in coverage")
    elif coverage not in ("canada", "bc"):
        problems.append(f"{label}: coverage must be canada, bc or a list of regions")
    if raw["police"] not in POLICE_VALUES:
        problems.append(f"{label}: police must be true, false or {UNCONFIRMED}")
    if raw.get("only_if") not in (None, *CONDITIONS):
        problems.append(f"{label}: only_if must be one of {', '.join(CONDITIONS)}")
    if raw["status"] != "active":
        return problems
    problems += [f"{label}: '{key}' is missing" for key in REQUIRED_ACTIVE if not raw.get(key)]
    problems += _missing_french(raw, label)
    if not (raw.get("phone") or raw.get("text") or raw.get("chat") or raw.get("web")):
        problems.append(f"{label}: needs at least one of phone, text, chat or web")
    for phone in raw.get("phone") or []:
        if not PHONE.match(str(phone)):
            problems.append(
                f"{label}: phone '{phone}' is not written like 1-800-555-0100, 310-1234 or 911"
            )
    text = raw.get("text")
    if text and not TEXT_NUMBER.match(str(text.get("number", ""))):
        problems.append(f"{label}: text number '{text.get('number')}' is not valid")
    for key in ("chat", "web"):
        if raw.get(key) and not ADDRESS.match(str(raw[key])):
            problems.append(
                f"{label}: {key} '{raw[key]}' should be an address like example.ca/page"
            )
    try:
        checked = checked_on(raw.get("last_verified"))
    except ValueError:
        problems.append(
            f"{label}: last_verified must be a date like 2026-11-28, "
            "or a month like 2026-11 when only the month is known"
        )
    else:
        age = (today - checked).days
        if age > MAX_AGE_DAYS:
            problems.append(
                f"{label}: last checked {checked} ({age} days ago); "
                "check the service again and update last_verified"
            )
        elif age < 0:
            problems.append(f"{label}: last_verified {checked} is in the future")
    return problems


def _missing_french(raw: Dict[str, Any], label: str) -> List[str]:
    """French lines for each line a French reader is shown."""
    shown = {
        "about_fr": True,
        "hours_fr": raw.get("hours") not in (None, "", UNCONFIRMED),
        "languages_fr": raw.get("languages") not in (None, "", UNCONFIRMED),
        "note_fr": bool(raw.get("note")),
    }
    return [
        f"{label}: '{key}' is missing (it is shown in French replies)"
        for key, needed in shown.items()
        if needed and not raw.get(key)
    ]


def check_directory(raw: Any, region_ids: Sequence[str], today: dt.date | None = None) -> List[str]:
    today = today or dt.date.today()
    if not isinstance(raw, dict) or not isinstance(raw.get("services"), list):
        return ["the file must start with 'services:' followed by a list of entries"]
    problems: List[str] = []
    seen = set()
    for index, entry in enumerate(raw["services"]):
        problems += check_entry(entry, index, region_ids, today)
        service_id = entry.get("id") if isinstance(entry, dict) else None
        if service_id in seen:
            problems.append(f"entry {index + 1}: id '{service_id}' is used twice")
        seen.add(service_id)
    active = [e for e in raw["services"] if isinstance(e, dict) and e.get("status") == "active"]
    for need in NEEDS:
        if not any(need in (e.get("audiences") or []) for e in active):
            problems.append(f"no active service answers the need '{need}'")
    return problems


def load_directory(path: Path, region_ids: Sequence[str]) -> Directory:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    errors = check_directory(raw, region_ids)
    services = tuple(
        _service(entry)
        for entry in raw.get("services", [])
        if isinstance(entry, dict) and all(key in entry for key in REQUIRED)
    )
    return Directory(services=services, errors=tuple(errors))


@lru_cache(maxsize=4)
def cached_directory(path: Path, region_ids: Tuple[str, ...], mtime: float) -> Directory:
    """The directory, read again only when the file changes; its problems are logged once."""
    directory = load_directory(path, region_ids)
    for error in directory.errors:
        logger.warning("Referral directory: %s", error)
    return directory
