"""How an answer looks before it is saved: on the website, as an SMS, and how easy it is to read."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List

from channels.replies import render
from channels.twilio import SmsReplies
from tools.checks.answers import MAX_WORDS
from tools.text import reading_grade, word_count

GRADE_AIM = 8
SMS_SEGMENT = 160  # GSM characters in a single SMS
SMS_SEGMENT_JOINED = 153  # in each part of a longer SMS (the rest holds the joining header)


@dataclass(frozen=True)
class Preview:
    web_lines: List[str]  # the widget shows each line of the text on its own line
    buttons: List[str]
    sms_parts: List[str]
    sms_chars: int
    sms_segments: int
    words: int
    max_words: int
    grade: float
    grade_aim: int

    @property
    def grade_ok(self) -> bool:
        return self.grade <= self.grade_aim

    @property
    def length_ok(self) -> bool:
        return self.words <= self.max_words


def segments(chars: int) -> int:
    if chars <= SMS_SEGMENT:
        return 1
    return math.ceil(chars / SMS_SEGMENT_JOINED)


def preview(text: str, buttons: List[Dict[str, str]], language: str = "en") -> Preview:
    """`language` is the variation's: the SMS numbered options are written in it."""
    parts = [part.text for part in render(text, buttons, SmsReplies.make_style(), language)]
    return Preview(
        web_lines=text.replace("\r\n", "\n").split("\n"),
        buttons=[b["title"] for b in buttons if b.get("title")],
        sms_parts=parts,
        sms_chars=sum(len(p) for p in parts),
        sms_segments=sum(segments(len(p)) for p in parts),
        words=word_count(text),
        max_words=MAX_WORDS,
        grade=reading_grade(text),
        grade_aim=GRADE_AIM,
    )
