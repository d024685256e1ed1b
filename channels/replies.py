"""How the assistant's answers are written for each messaging app, shared by every connector.

Every answer becomes plain text (no Markdown or HTML) cut into parts under the app's length limit.
Buttons become the app's own buttons when it has them and they fit; otherwise they become numbered
options in the text ("Reply 1 for ..."), which the person answers by number or by the words.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List, Sequence, Tuple

from channels.options import Button, numbered_options, short_label, title, usable
from channels.text import split_message, to_gsm, to_plain

logger = logging.getLogger(__name__)

CHOOSE = "Choose one:"
# The text sent with buttons that come without one, by conversation language.
CHOOSE_IN = {"en": CHOOSE, "fr": "Choisissez :"}
_PART_MARK = " (99/99)"


@dataclass(frozen=True)
class Style:
    """What one messaging app can show."""

    max_chars: int
    buttons: int = 0  # how many native buttons it shows (0: numbered options in the text)
    button_title: int = 0  # longest button title it shows in full
    number_parts: bool = False  # mark parts "(1/2)": SMS parts can arrive out of order
    gsm: bool = False  # SMS-safe characters only


@dataclass(frozen=True)
class NativeButton:
    label: str
    payload: str


@dataclass(frozen=True)
class Part:
    """One message to send; native buttons go with the last part of an answer."""

    text: str
    buttons: Tuple[NativeButton, ...] = ()


def render(
    text: str | None, buttons: Sequence[Button] | None, style: Style, language: str = "en"
) -> List[Part]:
    body = to_plain(text or "")
    options = usable(buttons)
    native: Tuple[NativeButton, ...] = ()
    if options:
        fits = len(options) <= style.buttons and all(
            len(title(b)) <= style.button_title for b in options
        )
        if fits:
            native = tuple(NativeButton(title(b), str(b["payload"])) for b in options)
        else:
            body = f"{body}\n\n{numbered_options(options, language)}".strip()
            native = tuple(
                NativeButton(short_label(f"{n}. {title(b)}", style.button_title), str(b["payload"]))
                for n, b in enumerate(options[: style.buttons], start=1)
            )
    if style.gsm:
        body = to_gsm(body)
    reserve = len(_PART_MARK) if style.number_parts else 0
    choose = CHOOSE_IN.get(language, CHOOSE)
    chunks = split_message(body, style.max_chars - reserve) or ([choose] if native else [])
    if style.number_parts and len(chunks) > 1:
        chunks = [f"{chunk} ({n}/{len(chunks)})" for n, chunk in enumerate(chunks, start=1)]
    return [
        Part(chunk, native if n == len(chunks) else ()) for n, chunk in enumerate(chunks, start=1)
    ]


class FormattedReplies:
    """Mixed into each connector's output channel, before Rasa's own output class.

    The output channel is made for one incoming message and knows the person's `address` (phone
    number, chat or page-scoped id); the `recipient_id` Rasa passes is the pseudonymous
    conversation id, which the provider would not know. Subclasses implement `deliver`.
    """

    style: Style
    address: str
    parts_sent: int = 0  # parts handed to the provider for this message
    language: str = "en"  # the conversation's language: numbered options are written in it

    async def deliver(self, part: Part) -> None:
        raise NotImplementedError

    async def close(self) -> None:
        """Releases connections opened for this message."""

    async def say(self, text: str) -> None:
        await self._send(render(text, (), self.style, self.language))

    async def _send(self, parts: Iterable[Part]) -> None:
        for part in parts:
            try:
                await self.deliver(part)
                self.parts_sent += 1
            except Exception as error:  # noqa: BLE001 - provider errors may quote the reply
                logger.error(
                    "Could not send a reply through %s (%s).",
                    type(self).__name__,
                    type(error).__name__,
                )

    async def send_text_message(self, recipient_id: str, text: str, **kwargs: Any) -> None:
        await self._send(render(text, (), self.style, self.language))

    async def send_text_with_buttons(
        self, recipient_id: str, text: str, buttons: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(render(text, buttons, self.style, self.language))

    async def send_quick_replies(
        self, recipient_id: str, text: str, quick_replies: List[Dict[str, Any]], **kwargs: Any
    ) -> None:
        await self._send(render(text, quick_replies, self.style, self.language))

    async def send_image_url(self, recipient_id: str, image: str, **kwargs: Any) -> None:
        await self.say(image)

    async def send_custom_json(
        self, recipient_id: str, json_message: Dict[str, Any], **kwargs: Any
    ) -> None:
        logger.warning("Custom payloads are not sent on %s; the answer needs text.", self.name())
