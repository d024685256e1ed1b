"""Words that mean something to the phone network or the app rather than to the dialogue.

SMS: carriers and Twilio treat STOP-type words as an opt-out and send the confirmation themselves,
so the connector sends nothing and tells the dialogue nothing. HELP-type words get a fixed answer
(what this is, 911, the hotline) without going through the NLU. START-type words start over.
Telegram: the app's own /start and /help commands.
"""

from __future__ import annotations

import enum
import re


class Keyword(enum.Enum):
    STOP = "stop"
    START = "start"
    HELP = "help"


# Twilio's default opt-out, opt-in and help words. YES is left out of START: here it answers a
# question ("Is that trafficking?" "yes"), and a person who opted out cannot be sent it anyway.
_CARRIER = {
    **dict.fromkeys(
        ("STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "OPTOUT", "REVOKE"),
        Keyword.STOP,
    ),
    **dict.fromkeys(("START", "UNSTOP"), Keyword.START),
    **dict.fromkeys(("HELP", "INFO"), Keyword.HELP),
}
_TELEGRAM = {"/start": Keyword.START, "/help": Keyword.HELP}

GREET_PAYLOAD = "/greet"


def carrier_keyword(text: str) -> Keyword | None:
    """The keyword a whole SMS or WhatsApp message is, if it is one ("stop", "Help!")."""
    word = " ".join(re.sub(r"[^\w\s]+", " ", text).split()).upper()
    return _CARRIER.get(word)


def telegram_command(text: str) -> Keyword | None:
    """Telegram's /start and /help commands, also as /start@name_bot or with a start parameter."""
    command = text.strip().split(maxsplit=1)[0].split("@")[0].lower() if text.strip() else ""
    return _TELEGRAM.get(command)


def no_keyword(text: str) -> Keyword | None:
    return None
