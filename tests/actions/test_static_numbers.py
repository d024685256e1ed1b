"""Numbers the Rasa server and the widget send on their own match the service directory.

They exist so help still reaches people when the action server or Rasa is down; the
directory stays the one source of truth.
"""

import json
import re

import pytest
import yaml

NUMBER = re.compile(r"(?<![\d-])(\d-\d{3}-\d{3}-\d{4}|\d{3}-\d{4}|911)(?![\d-])")


@pytest.fixture(scope="module")
def directory_numbers(root):
    raw = yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))
    return {
        str(phone): entry["name"]
        for entry in raw["services"]
        if entry["status"] == "active"
        for phone in entry.get("phone") or []
    }


def test_numbers_in_static_responses_are_in_the_directory(domain, directory_numbers):
    for name, variants in domain["responses"].items():
        for variant in variants:
            for number in NUMBER.findall(variant.get("text", "")):
                assert number in directory_numbers, f"{name}: {number} is not in the directory"


@pytest.mark.parametrize("variant", [0, 1, 2], ids=["everyone", "under_18", "french"])
def test_offline_help_names_each_service_with_its_own_number(domain, directory_numbers, variant):
    text = domain["responses"]["utter_help_offline"][variant]["text"]
    for line in text.splitlines():
        for number in NUMBER.findall(line):
            service = directory_numbers[number]
            short = service.split(" (")[0].replace("Emergency services", "911")
            assert short.split()[0] in line, f"{number} is not next to {service}: {line}"


def test_youth_text_numbers_match_the_directory(domain, root):
    raw = yaml.safe_load((root / "data/referrals/services.yml").read_text(encoding="utf-8"))
    kids = next(entry for entry in raw["services"] if entry["id"] == "kids_help_phone")
    keyword, number = kids["text"]["keyword"], kids["text"]["number"]
    lines = {"en": f"text {keyword} to {number}", "fr": f"textez {keyword} au {number}"}
    for name, variants in domain["responses"].items():
        for variant in variants:
            if "686868" in variant.get("text", ""):
                text_line = lines[language_of(variant)]
                assert text_line in variant["text"], f"{name}: not '{text_line}'"


def language_of(variant):
    for condition in variant.get("condition") or []:
        if condition.get("name") == "language":
            return condition["value"]
    return "en"


def test_widget_fallback_numbers_are_in_the_directory(root, directory_numbers):
    source = (root / "web/static/chat-widget.js").read_text(encoding="utf-8")
    contacts = json.loads(re.search(r"var FALLBACK_CONTACTS = (\[.*?\]);", source, re.S).group(1))
    numbers = {contact["number"] for contact in contacts}
    assert numbers == {"911", "1-833-900-1010"}
    for contact in contacts:
        assert contact["number"] in directory_numbers
    hotline = next(c for c in contacts if c["number"] == "1-833-900-1010")
    assert directory_numbers["1-833-900-1010"] in hotline["label"]


def test_numbers_in_channel_code_are_in_the_directory(root, directory_numbers):
    for path in sorted((root / "channels").glob("*.py")):
        for number in NUMBER.findall(path.read_text(encoding="utf-8")):
            assert number in directory_numbers, f"{path.name}: {number} is not in the directory"
