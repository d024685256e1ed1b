"""Numbered options on text-only channels, and the replies that pick them."""

from __future__ import annotations

import pytest

from channels.options import numbered_options, select_option, short_label

BUTTONS = [
    {"title": "What is trafficking?", "payload": "/faq/what_is_human_trafficking"},
    {"title": "Is sex work trafficking?", "payload": "/faq/sex_work_vs_trafficking"},
    {"title": "Where can I get help?", "payload": "/request_help_trafficking"},
]


def test_buttons_become_numbered_lines() -> None:
    assert numbered_options(BUTTONS) == (
        'Reply 1 for "What is trafficking?"\n'
        'Reply 2 for "Is sex work trafficking?"\n'
        'Reply 3 for "Where can I get help?"'
    )


@pytest.mark.parametrize("reply", ["1", " 1 ", "1.", "#1", "(1)", "Reply 1", "option 1"])
def test_a_number_picks_its_option(reply: str) -> None:
    assert select_option(reply, BUTTONS) == BUTTONS[0]


@pytest.mark.parametrize(
    "reply",
    [
        "where can i get help",
        "Where can I get help?",
        "WHERE CAN I GET HELP!!",
        '"where can I get help"',
    ],
)
def test_the_option_words_pick_it(reply: str) -> None:
    assert select_option(reply, BUTTONS) == BUTTONS[2]


@pytest.mark.parametrize(
    "reply", ["0", "4", "12", "help", "where can I get help with my landlord", "one"]
)
def test_other_replies_pick_nothing(reply: str) -> None:
    assert select_option(reply, BUTTONS) is None


def test_nothing_to_pick_without_options() -> None:
    assert select_option("1", []) is None
    assert select_option("1", [{"title": "", "payload": "/x"}]) is None


def test_short_labels_cut_at_a_word() -> None:
    assert short_label("Help", 20) == "Help"
    assert short_label("3. Where can I get help?", 20) == "3. Where can I get…"
    assert short_label("2. Report for a child", 20) == "2. Report for a…"
    assert short_label("1. What is trafficking?", 20) == "1. What is traffick…"
    assert len(short_label("Supercalifragilisticexpialidocious", 20)) == 20
