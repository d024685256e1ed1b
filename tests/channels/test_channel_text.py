"""Plain text for messaging apps: formatting removed, long answers split at sentence ends."""

from __future__ import annotations

import re

import pytest

from channels.plain_text import split_message, to_gsm, to_plain

MARKUP = re.compile(r"\*\*|__|<[a-z/][^>]*>|\]\(|`|^#", re.M)


@pytest.mark.parametrize(
    ("marked", "plain"),
    [
        (
            "• **Canadian Human Trafficking Hotline**: call 1-833-900-1010.",
            "• Canadian Human Trafficking Hotline: call 1-833-900-1010.",
        ),
        (
            "__bold__ and *italic* and _also_ and ~~gone~~ and `code`",
            "bold and italic and also and gone and code",
        ),
        (
            "See [the hotline's chat](https://canadianhumantraffickinghotline.ca/chat).",
            "See the hotline's chat: https://canadianhumantraffickinghotline.ca/chat.",
        ),
        ("[kidshelpphone.ca](https://kidshelpphone.ca)", "kidshelpphone.ca"),
        ("[Call 911](tel:911) now", "Call 911 now"),
        ("## Signs\n* one\n+ two\n> quoted", "Signs\n- one\n- two\nquoted"),
        ("<p>Hi<br>there</p><ul><li>one</li><li>two</li></ul>", "Hi\nthere\n- one\n- two"),
        (
            '<a href="https://bc.211.ca">bc211</a> &amp; <b>more</b>',
            "bc211: https://bc.211.ca & more",
        ),
        ("Line one  \n\n\n\nLine two", "Line one\n\nLine two"),
    ],
)
def test_formatting_is_removed_and_words_links_and_numbers_kept(marked: str, plain: str) -> None:
    assert to_plain(marked) == plain


def test_plain_text_and_addresses_are_left_alone() -> None:
    text = "Call 2-1-1 or visit wish-vancouver.net/bc-bad-date-reporting-system (24/7). 5*3 = 15"
    assert to_plain(text) == text


def test_sms_text_avoids_characters_that_double_the_cost() -> None:
    assert to_gsm("• It’s “free” — really…") == '- It\'s "free" - really...'


def test_short_text_is_one_part() -> None:
    assert split_message("Hello. Bye.", 1600) == ["Hello. Bye."]
    assert split_message("   ", 100) == []


def test_long_text_is_cut_at_sentence_ends_under_the_limit() -> None:
    sentences = [f"Sentence number {n} ends here." for n in range(200)]
    text = " ".join(sentences)
    parts = split_message(text, 1600)
    assert len(parts) > 1
    assert all(len(part) <= 1600 for part in parts)
    assert all(part.endswith(".") for part in parts)
    assert " ".join(parts) == text


def test_paragraphs_are_preferred_over_sentences() -> None:
    first = "First paragraph. " * 5
    second = "Second paragraph. " * 5
    parts = split_message(f"{first.strip()}\n\n{second.strip()}", len(first) + 20)
    assert parts == [first.strip(), second.strip()]


def test_numbers_and_links_are_never_cut() -> None:
    text = (
        "Call 1-833-900-1010 or chat at canadianhumantraffickinghotline.ca/chat now " * 40
    ).strip()
    parts = split_message(text, 300)
    assert all(len(part) <= 300 for part in parts)
    for part in parts:
        for word in part.split():
            assert word in {
                "Call",
                "1-833-900-1010",
                "or",
                "chat",
                "at",
                "now",
                "canadianhumantraffickinghotline.ca/chat",
            }


def test_a_word_longer_than_the_limit_is_cut_as_a_last_resort() -> None:
    parts = split_message("x" * 450, 200)
    assert [len(p) for p in parts] == [200, 200, 50]


@pytest.mark.parametrize("limit", [1600, 2000, 4096])
def test_each_app_limit(limit: int) -> None:
    text = "\n".join(f"- item {n}: a short line about one thing." for n in range(400))
    parts = split_message(text, limit)
    assert all(len(part) <= limit for part in parts)
    assert "\n".join(parts) == text
