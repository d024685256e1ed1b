"""Reading a server's log: a line written while the reply is sent may reach the file just after."""

from __future__ import annotations

import time


def new_log(server, since: int) -> str:
    return server.log_text()[since:]


def wait_for_log(server, since: int, needle: str, timeout: float = 10) -> str:
    """The log after `since`, once it holds `needle` (case-insensitive) or `timeout` has passed."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        text = new_log(server, since)
        if needle.lower() in text.lower():
            return text
        time.sleep(0.2)
    return new_log(server, since)
