"""The referral directory file is complete, current and only shows what may be shown."""

from __future__ import annotations

import copy
import datetime as dt

import pytest
import yaml

from actions.directory import PHONE, check_directory, load_directory
from actions.places import load_gazetteer


@pytest.fixture(scope="module")
def gazetteer(root):
    return load_gazetteer(root / "data/referrals/places.yml")


@pytest.fixture(scope="module")
def raw(root):
    return yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))


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


def test_numbers_match_the_checked_facts(root, directory):
    facts = (root.parent / "shared/facts/referrals-and-law.md").read_text(encoding="utf-8")
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
