"""Channels are configured only by environment variables, and off until all are set."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
import yaml

from channels import messages
from channels.enabled import (
    MESSENGER_VARS,
    SMS_VARS,
    TELEGRAM_VARS,
    WHATSAPP_VARS,
    messenger_config,
    sms_config,
    telegram_config,
    whatsapp_config,
)
from channels.identity import conversation_id
from channels.keywords import Keyword, carrier_keyword, telegram_command

REPO = Path(__file__).resolve().parents[2]
OTHERS_MODULES = {"web.py", "limits.py"}  # owned by the website channels
ALL_VARS = {*SMS_VARS, *WHATSAPP_VARS, *TELEGRAM_VARS, *MESSENGER_VARS}


@pytest.fixture
def no_channel_env(monkeypatch: pytest.MonkeyPatch) -> pytest.MonkeyPatch:
    for name in ALL_VARS:
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


@pytest.mark.parametrize(
    ("make", "names"),
    [
        (sms_config, SMS_VARS),
        (whatsapp_config, WHATSAPP_VARS),
        (telegram_config, TELEGRAM_VARS),
        (messenger_config, MESSENGER_VARS),
    ],
)
def test_a_channel_is_on_only_with_all_its_variables(make, names, no_channel_env) -> None:
    assert not make().on
    for name in names[:-1]:
        no_channel_env.setenv(name, "set")
    config = make()
    assert not config.on and config.missing == (names[-1],)
    assert names[-1] in config.off_message() and "docs/CHANNELS.md" in config.off_message()
    no_channel_env.setenv(names[-1], "  ")
    assert not make().on, "blank counts as unset"
    no_channel_env.setenv(names[-1], "set")
    assert make().on


def test_sms_and_whatsapp_are_independent(no_channel_env) -> None:
    for name in ("TWILIO_ACCOUNT_SID", "TWILIO_AUTH_TOKEN", "TWILIO_WHATSAPP_NUMBER"):
        no_channel_env.setenv(name, "set")
    assert whatsapp_config().on and not sms_config().on


def test_credentials_register_the_connectors_without_secrets() -> None:
    credentials = yaml.safe_load((REPO / "credentials.yml").read_text())
    for connector in (
        "channels.twilio.TwilioChannel",
        "channels.telegram.TelegramChannel",
        "channels.messenger.MessengerChannel",
    ):
        assert connector in credentials and credentials[connector] is None
    assert "${" not in (REPO / "credentials.yml").read_text()


def test_env_example_lists_every_channel_variable() -> None:
    example = (REPO / ".env.example").read_text()
    assert "# Messaging channels" in example
    for name in ALL_VARS | {"TWILIO_WEBHOOK_URL", "TELEGRAM_VERIFY", "TELEGRAM_WEBHOOK_URL"}:
        assert re.search(rf"^#? ?{name}=", example, re.M), name


@pytest.mark.parametrize(
    ("text", "keyword"),
    [
        ("STOP", Keyword.STOP),
        ("stop", Keyword.STOP),
        (" Stop. ", Keyword.STOP),
        ("unsubscribe", Keyword.STOP),
        ("CANCEL", Keyword.STOP),
        ("end", Keyword.STOP),
        ("quit", Keyword.STOP),
        ("stop all", Keyword.STOP),
        ("START", Keyword.START),
        ("unstop", Keyword.START),
        ("HELP", Keyword.HELP),
        ("help!", Keyword.HELP),
        ("info", Keyword.HELP),
        ("help me", None),
        ("please stop him", None),
        ("yes", None),
        ("I want to quit", None),
    ],
)
def test_carrier_keywords_are_whole_messages(text: str, keyword) -> None:
    assert carrier_keyword(text) is keyword


def test_telegram_commands() -> None:
    assert telegram_command("/start") is Keyword.START
    assert telegram_command("/start@test_help_bot abc") is Keyword.START
    assert telegram_command("/help") is Keyword.HELP
    assert telegram_command("help") is None
    assert telegram_command("/faq/what_is_octip") is None


def test_conversation_ids_are_stable_pseudonyms() -> None:
    first = conversation_id("sms", "+16045550100", "secret")
    assert first == conversation_id("sms", "+16045550100", "secret")
    assert first.startswith("sms-") and "6045550100" not in first
    assert first != conversation_id("sms", "+16045550101", "secret")
    assert first != conversation_id("sms", "+16045550100", "other secret")


def _directory() -> dict:
    raw = yaml.safe_load((REPO / "data/referrals/services.yml").read_text())
    return {entry["id"]: entry for entry in raw["services"]}


def test_help_answer_gives_911_and_the_hotline_from_the_directory() -> None:
    services = _directory()
    text = messages.help_text(stop_hint=True)
    assert services["emergency_911"]["phone"][0] in text
    assert services["canadian_human_trafficking_hotline"]["phone"][0] in text
    assert "automated assistant" in text and "STOP" in text
    assert "STOP" not in messages.help_text(stop_hint=False)


def test_every_fixed_reply_leaves_a_way_to_get_help() -> None:
    emergency = _directory()["emergency_911"]["phone"][0]
    for text in (
        messages.too_long(500),
        messages.unsupported(),
        messages.stopped(),
        messages.trouble(),
    ):
        assert f"Call {emergency}" in text


def _string_literals(path: Path) -> list:
    tree = ast.parse(path.read_text())
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, (ast.Module, ast.ClassDef, ast.FunctionDef, ast.AsyncFunctionDef))
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and id(node) not in docstrings
    ]


def test_no_phone_number_is_written_in_the_connector_code() -> None:
    number = re.compile(r"\b\d-\d{3}-\d{3}-\d{4}\b|\b\d{3}-\d{4}\b|(?<!\w)911\b")
    for path in (REPO / "channels").glob("*.py"):
        if path.name in OTHERS_MODULES:
            continue
        for literal in _string_literals(path):
            assert not number.search(literal), f"{path.name}: {literal!r}"
