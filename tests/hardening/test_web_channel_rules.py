"""The website channels' input rules (channels/web.py), without a server."""

from __future__ import annotations

import json
import re

import pytest

from channels.web import (
    InputError,
    allowed_origins,
    check_metadata,
    check_sender,
    clean_text,
    conversation_tag,
    is_known_payload,
    parse_rest_body,
    screen,
    static_reply,
)

INTENTS = ["greet", "inform_location", "emergency", "faq"]
ENTITIES = ["location"]


@pytest.mark.parametrize(
    "raw,clean",
    [
        ("hello\x00world", "helloworld"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\x1b[31mred", "[31mred"),
        ("lone \ud800 surrogate", "lone  surrogate"),
        ("e\u0301", "\u00e9"),
        ("ما هو", "ما هو"),
        ("😀", "😀"),
    ],
)
def test_clean_text(raw, clean):
    assert clean_text(raw) == clean


def test_screen_limits_size_before_anything_else():
    assert screen("a" * 2001, limit=2000).kind == "too_long"
    assert screen("\x00" * 2001, limit=2000).kind == "too_long"
    assert screen("a" * 2000, limit=2000) == screen("a" * 2000, limit=2000)
    assert screen("a" * 2000, limit=2000).kind == "ok"


@pytest.mark.parametrize("text", ["", "   ", "\n\t", "\x00\x01", "/", "// ", "/ \x00"])
def test_screen_empty(text):
    assert screen(text, INTENTS, ENTITIES, limit=2000).kind == "empty"


@pytest.mark.parametrize(
    "text",
    [
        "/greet",
        "/faq/what_is_octip",
        '/inform_location{"location": "Vancouver"}',
        "/emergency",
    ],
)
def test_button_payloads_pass_unchanged(text):
    assert screen(text, INTENTS, ENTITIES, limit=2000).text == text


@pytest.mark.parametrize(
    "text,read_as",
    [
        ("/nonexistent", "nonexistent"),
        ("/greet@0.1", "greet@0.1"),
        ("/greet{", "greet{"),
        ('/inform_location{"location": 5}', 'inform_location{"location": 5}'),
        ('/inform_location{"secret": "x"}', 'inform_location{"secret": "x"}'),
        ("//what is trafficking", "what is trafficking"),
    ],
)
def test_other_slash_text_is_read_as_words(text, read_as):
    assert screen(text, INTENTS, ENTITIES, limit=2000).text == read_as


def test_long_entity_values_are_not_payloads():
    assert not is_known_payload('/inform_location{"location": "' + "x" * 101 + '"}')


@pytest.mark.parametrize("sender", ["a", "x" * 128, "😀", "user 1", "../x"])
def test_good_senders(sender):
    assert check_sender(sender) == sender


@pytest.mark.parametrize("sender", ["", "x" * 129, "a\nb", "a\x00", "\u202e", 5, None, [], {}])
def test_bad_senders(sender):
    with pytest.raises(InputError):
        check_sender(sender)


@pytest.mark.parametrize("metadata", ["x", 5, [], {"big": "x" * 3000}])
def test_bad_metadata(metadata):
    with pytest.raises(InputError):
        check_metadata(metadata)


@pytest.mark.parametrize(
    "body",
    [b"", b"[]", b"null", b"\xff", b"[" * 100_000, "{}".encode("utf-16"), b"{'a': 1}"],
)
def test_bad_bodies(body):
    with pytest.raises(InputError):
        parse_rest_body(body)


def test_good_body():
    assert parse_rest_body(json.dumps({"sender": "a", "message": "hi"}).encode()) == {
        "sender": "a",
        "message": "hi",
    }


@pytest.mark.parametrize("kind", ["empty", "too_long", "unreadable", "failure"])
def test_static_replies_always_give_a_way_to_help(kind):
    text = static_reply(kind)["text"]
    assert "911" in text and "1-833-900-1010" in text


def test_allowed_origins(monkeypatch):
    monkeypatch.delenv("CORS_ORIGINS", raising=False)
    assert allowed_origins() is None
    monkeypatch.setenv("CORS_ORIGINS", "http://a.example, http://b.example")
    assert allowed_origins() == ["http://a.example", "http://b.example"]
    monkeypatch.setenv("CORS_ORIGINS", "*")
    assert allowed_origins() == ["*"]


def test_conversation_tag_hides_the_id():
    tag = conversation_tag("someone-123")
    assert "someone" not in tag and len(tag) == 10


@pytest.mark.parametrize("kind", ["empty", "too_long", "unreadable", "too_fast", "failure"])
def test_each_static_reply_has_a_french_version_with_the_same_numbers(kind):
    english, french = static_reply(kind), static_reply(kind, "fr")
    assert french["text"] != english["text"]
    numbers = re.compile(r"\d[\d-]{2,}\d")
    assert set(numbers.findall(french["text"])) == set(numbers.findall(english["text"]))
    assert [b["payload"] for b in french["buttons"]] == [b["payload"] for b in english["buttons"]]
    assert static_reply(kind, "es") == english
