"""How a service is written out for each kind of channel."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, List

from actions.directory import FRENCH, Service

WEB_CHANNELS = frozenset({"rest", "socketio"})
ENGLISH = "en"


@dataclass(frozen=True)
class ContactWords:
    call: str
    text: str
    chat: str
    separator: str
    colon: str


# How contacts are written in each language the assistant answers in.
CONTACT_WORDS = {
    ENGLISH: ContactWords("call {}", "text {}{}", "chat at {}", ", or ", ":"),
    FRENCH: ContactWords("appelez le {}", "textez {}{}", "clavardage : {}", ", ou ", " :"),
}
KEYWORD_TO = {ENGLISH: "{} to ", FRENCH: "{} au "}


def contact_parts(service: Service, language: str = ENGLISH) -> List[str]:
    words = CONTACT_WORDS.get(language, CONTACT_WORDS[ENGLISH])
    keyword_to = KEYWORD_TO.get(language, KEYWORD_TO[ENGLISH])
    parts = [words.call.format(phone) for phone in service.phone]
    if service.text:
        keyword = keyword_to.format(service.text.keyword) if service.text.keyword else ""
        parts.append(words.text.format(keyword, service.text.number))
    if service.chat:
        parts.append(words.chat.format(service.chat))
    if service.web:
        parts.append(service.web)
    return parts


def format_service(service: Service, channel: str, language: str = ENGLISH) -> str:
    """One line: name, what it is for (when that changes the choice), contacts, hours, note."""
    words = CONTACT_WORDS.get(language, CONTACT_WORDS[ENGLISH])
    wording = service.wording(language)
    name = f"**{service.name}**" if channel in WEB_CHANNELS else service.name
    parts = contact_parts(service, language)
    contacts = words.separator.join(parts)
    if service.show_about:
        if parts and not (service.web and parts[0] == service.web):
            contacts = contacts[:1].upper() + contacts[1:]
        contacts = f"{wording.about} {contacts}"
    details = "; ".join(part for part in (wording.hours, wording.languages) if part)
    line = f"• {name}{words.colon} {contacts}."
    if details:
        line += f" ({details})"
    if wording.note:
        line += f" {wording.note}"
    return line


def format_services(services: Iterable[Service], channel: str, language: str = ENGLISH) -> str:
    return "\n".join(format_service(service, channel, language) for service in services)
