"""Limits every channel applies to incoming messages, read from environment variables."""

import os

MAX_MESSAGE_CHARS_DEFAULT = 2000


def max_message_chars() -> int:
    return int(os.environ.get("MAX_MESSAGE_CHARS", MAX_MESSAGE_CHARS_DEFAULT))
