"""The referral directory file is complete, current and only shows what may be shown."""

from __future__ import annotations

import copy
import datetime as dt
import re
import subprocess
from pathlib import Path

import pytest
import yaml

from actions.directory import PHONE, UNCONFIRMED, check_directory, load_directory
from actions.formatting import format_service
from actions.places import load_gazetteer
from channels.messages import hotline_line

FACTS = "shared/facts/referrals-and-law.md"


@pytest.fixture(scope="module")
def gazetteer(root):
    return load_gazetteer(root / "data/referrals/places.yml")


@pytest.fixture(scope="module")
def raw(root):
    return yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def facts(root):
    """The checked facts, found beside the project (main checkout), its worktree folder, or, for a
    fresh clone elsewhere, beside the checkout it was cloned from."""
    origin = subprocess.run(
        ["git", "-C", str(root), "config", "--get", "remote.origin.url"],
        capture_output=True,
        text=True,
    ).stdout.strip()
    cloned_from = [Path(origin).parent] if origin and Path(origin).is_dir() else []
    for folder in (root.parent, root.parent.parent, *cloned_from):
        if (folder / FACTS).exists():
            return (folder / FACTS).read_text(encoding="utf-8")
    pytest.fail(f"{FACTS} not found beside the project")


def facts_row(facts, service):
    """The facts table row about a service, found by its name."""
    name = service.name.split(" (")[0].lower()
    rows = [line for line in facts.splitlines() if line.startswith("|") and name in line.lower()]
    assert rows, f"{service.id}: no row for {name!r} in {FACTS}"
    return rows[0]


@pytest.fixture(scope="module")
def directory(root, gazetteer):
    return load_directory(root / "data/referrals/services.yml", gazetteer.region_ids)


def test_the_directory_has_no_problems(raw, gazetteer):
    assert check_directory(raw, gazetteer.region_ids) == []


def test_every_active_entry_has_source_date_and_a_contact(directory):
    for service in directory.services:
        if service.status != "active":
            continue
        assert service.source and service.last_verified, service.id
        assert service.phone or service.text or service.chat or service.web, service.id
        for phone in service.phone:
            assert PHONE.match(phone), (service.id, phone)


def test_numbers_match_the_checked_facts(facts, directory):
    for service in directory.services:
        for phone in service.phone:
            if phone != "2-1-1":
                assert phone in facts, f"{service.id}: {phone} is not in the facts file"
    assert directory.get("octip").phone == ("1-888-712-7974",)
    assert directory.get("canadian_human_trafficking_hotline").phone == ("1-833-900-1010",)


def test_an_entry_checked_more_than_a_year_ago_fails_by_name(raw, gazetteer):
    stale = copy.deepcopy(raw)
    stale["services"][1]["last_verified"] = "2020-01-01"
    problems = check_directory(stale, gazetteer.region_ids, today=dt.date(2026, 11, 28))
    assert len(problems) == 1
    assert "(octip)" in problems[0] and "2020-01-01" in problems[0]


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("phone", ["1-800-ABC"], "is not written like"),
        ("source", "", "'source' is missing"),
        ("audiences", ["everyone"], "unknown audience"),
        ("coverage", ["atlantis"], "unknown region"),
        ("status", "maybe", "status must be one of"),
        ("web", "https://example.ca", "should be an address"),
    ],
)
def test_broken_entries_are_named_with_the_fix(raw, gazetteer, field, value, message):
    broken = copy.deepcopy(raw)
    broken["services"][2][field] = value
    problems = check_directory(broken, gazetteer.region_ids, today=dt.date(2026, 11, 28))
    assert any(message in p and "canadian_human_trafficking_hotline" in p for p in problems)


def test_closed_and_unconfirmed_services_are_never_chosen(directory, gazetteer):
    hidden = {s.id for s in directory.services if s.status != "active"}
    assert {"pace_society", "butterfly"} <= hidden
    places = [None, *(gazetteer.resolve(p) for p in ("Vancouver", "Victoria", "Calgary"))]
    for need in ("trafficking", "octip", "sex_workers", "youth", "reporting", "emergency"):
        for location in places:
            chosen = directory.choose(need, location, limit=20, conditions=("violence",))
            assert not hidden & {s.id for s in chosen}


def test_hours_and_languages_shown_are_in_the_facts(facts, directory):
    """Numbers and names shown (24/7, 200+, English, Lower Mainland) must be in the facts row."""
    for service in directory.services:
        if service.status != "active" or service.id == "emergency_911":
            continue
        row = facts_row(facts, service)
        shown = f"{service.shown_hours} {service.shown_languages}"
        for token in re.findall(r"\d[\d/+]*|[A-Z][A-Za-z]+", shown):
            assert token in row, f"{service.id}: '{token}' is not in the facts: {row}"


def test_not_police_only_where_the_facts_say_so(facts, directory):
    for service in directory.services:
        if service.police is False:
            row = facts_row(facts, service).lower()
            assert "not police" in row or "outside police" in row, service.id


def test_unconfirmed_details_are_never_shown(directory):
    hidden = [s for s in directory.services if UNCONFIRMED in (s.hours, s.languages)]
    assert hidden, "the directory marks what the facts do not confirm"
    for service in directory.services:
        for channel in ("rest", "twilio"):
            assert UNCONFIRMED not in format_service(service, channel).lower(), service.id


def test_checks_are_dated_no_more_precisely_than_known(directory):
    """The facts say only "November 2026": no entry claims a day it was checked."""
    for service in directory.services:
        if "facts review" in service.verified_by:
            assert re.fullmatch(r"\d{4}-\d{2}", service.last_verified), service.id


def test_a_month_is_accepted_and_counted_from_its_first_day(raw, gazetteer):
    dated = copy.deepcopy(raw)
    for entry in dated["services"]:
        entry["last_verified"] = "2025-11"
    assert check_directory(dated, gazetteer.region_ids, today=dt.date(2026, 10, 31)) == []
    problems = check_directory(dated, gazetteer.region_ids, today=dt.date(2026, 11, 2))
    assert problems and all("last checked 2025-11-01" in p for p in problems)


def test_channel_help_line_says_not_police_only_when_confirmed(raw, tmp_path, monkeypatch):
    assert "not police" in hotline_line() and "24/7" in hotline_line()
    changed = copy.deepcopy(raw)
    hotline = next(
        e for e in changed["services"] if e["id"] == "canadian_human_trafficking_hotline"
    )
    hotline.update(police=UNCONFIRMED, hours=UNCONFIRMED)
    path = tmp_path / "services.yml"
    path.write_text(yaml.safe_dump(changed), encoding="utf-8")
    monkeypatch.setenv("REFERRAL_DIRECTORY", str(path))
    line = hotline_line()
    assert "not police" not in line and UNCONFIRMED not in line and "1-833-900-1010" in line
