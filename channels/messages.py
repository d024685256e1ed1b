"""What the connectors say themselves, without the dialogue: HELP, too long, privacy, trouble.

Phone numbers come from data/referrals/services.yml (through the action package's loader), never
from this file. If the directory cannot be read, the texts still point to emergency services.
"""

from __future__ import annotations

import logging

from actions.context import referral_data
from actions.directory import Service

logger = logging.getLogger(__name__)

EMERGENCY = "emergency_911"
HOTLINE = "canadian_human_trafficking_hotline"

ABOUT = (
    "This is an automated assistant. It explains sex work, youth sexual exploitation and human "
    "trafficking, and helps you find support in BC."
)
STOP_HINT = "Reply STOP to stop messages."

PRIVACY_NOTE = {
    "sms": (
        "Privacy: this chat stays in your phone's text messages. If someone else might see your "
        "phone, delete this conversation in your messages app when you are done. I will never ask "
        "for your name or other personal details."
    ),
    "whatsapp": (
        "Privacy: this chat stays in your WhatsApp history. If someone else might see your phone, "
        "delete it when you are done: in your list of chats, press and hold this chat, then choose "
        "Delete. I will never ask for your name or other personal details."
    ),
}


def _service(service_id: str) -> Service | None:
    try:
        service = referral_data().directory.get(service_id)
    except Exception:
        logger.exception("Could not read %s from the referral directory.", service_id)
        return None
    return service if service.status == "active" and service.phone else None


def danger_line() -> str:
    service = _service(EMERGENCY)
    if not service:
        return "In danger right now? Call emergency services."
    return f"In danger right now? Call {service.phone[0]}."


def hotline_line() -> str:
    service = _service(HOTLINE)
    if not service:
        return ""
    police = ", not police" if service.police is False else ""
    hours = f", {service.shown_hours}" if service.shown_hours else ""
    return f"To talk to a person: {service.name} (confidential{police}{hours}): {service.phone[0]}."


def _join(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def help_text(stop_hint: bool) -> str:
    """The answer to HELP / INFO: 911 first (someone texting HELP may be in danger), then what
    this is and the hotline."""
    return _join(danger_line(), ABOUT, hotline_line(), STOP_HINT if stop_hint else "")


def too_long(limit: int) -> str:
    return _join(
        f"Sorry, that message is too long for me. Please send a shorter message (under {limit} "
        "characters), or ask one question at a time.",
        danger_line(),
    )


def unsupported() -> str:
    return _join("Sorry, I can only read text. Please type your question.", danger_line())


def stopped() -> str:
    return _join(
        "OK. You will not get any more messages from me unless you write again.", danger_line()
    )


def too_fast() -> str:
    return _join(
        "You are sending messages very fast. Please wait a minute, then send your question again.",
        danger_line(),
        hotline_line(),
    )


def danger_only() -> str:
    """For a message that skips the dialogue but matches the danger patterns."""
    return _join(danger_line(), hotline_line())


def trouble() -> str:
    return _join("Sorry, something went wrong on my side.", danger_line(), hotline_line())
