"""Buttons on channels that show text only: numbered options, and the reply that picks one.

A reply picks an option when it is the option's number ("2", "2.", "#2", "reply 2", "choix 2")
or the option's words ("where can I get help"), ignoring case and punctuation. Anything else goes
to the dialogue. The "Reply 1 for ..." lines are in French when the conversation is.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Sequence

from channels.text import to_plain

Button = Dict[str, Any]

_NUMBER = re.compile(
    r"(?:reply|option|number|r[eé]ponse|r[eé]pondre|num[eé]ro|choix|no)?\s*(\d{1,2})"
)
# One option line in each language the assistant answers in; any other conversation gets English.
OPTION_LINE = {"en": 'Reply {} for "{}"', "fr": 'Répondez {} pour "{}"'}


def usable(buttons: Sequence[Button] | None) -> List[Button]:
    """The buttons that have both a title and a payload."""
    return [b for b in buttons or () if str(b.get("title") or "").strip() and b.get("payload")]


def title(button: Button) -> str:
    return to_plain(str(button["title"])).replace("\n", " ")


def numbered_options(buttons: Sequence[Button], language: str = "en") -> str:
    """'Reply 1 for "..."' lines, one per button."""
    line = OPTION_LINE.get(language, OPTION_LINE["en"])
    return "\n".join(line.format(n, title(b)) for n, b in enumerate(buttons, start=1))


def normalize(text: str) -> str:
    return " ".join(re.sub(r"[\W_]+", " ", text.casefold()).split())


def select_option(text: str, buttons: Sequence[Button]) -> Button | None:
    """The button a reply picks, if any."""
    buttons = usable(buttons)
    if not buttons:
        return None
    said = normalize(text)
    number = _NUMBER.fullmatch(said)
    if number:
        index = int(number.group(1))
        return buttons[index - 1] if 1 <= index <= len(buttons) else None
    return next((b for b in buttons if normalize(title(b)) == said), None)


def short_label(label: str, limit: int) -> str:
    """`label` cut to fit `limit` characters, with an ellipsis: at a word when that keeps most
    of it ("3. Where can I get…"), else mid-word ("1. What is traffick…")."""
    if len(label) <= limit:
        return label
    cut = label[: limit - 1]
    if not label[limit - 1].isspace():
        at_word = cut[: max(cut.rfind(" "), 0)]
        if len(at_word) >= 0.6 * limit:
            cut = at_word
    return cut.rstrip(" ,;:-") + "…"
