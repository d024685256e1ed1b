"""How a service is written out for each kind of channel."""

from __future__ import annotations

from typing import Iterable, List

from actions.directory import Service

WEB_CHANNELS = frozenset({"rest", "socketio"})
CONTACT_VERBS = ("call ", "text ", "chat ")


def contact_parts(service: Service) -> List[str]:
    parts = [f"call {phone}" for phone in service.phone]
    if service.text:
        keyword = f"{service.text.keyword} to " if service.text.keyword else ""
        parts.append(f"text {keyword}{service.text.number}")
    if service.chat:
        parts.append(f"chat at {service.chat}")
    if service.web:
        parts.append(service.web)
    return parts


def format_service(service: Service, channel: str) -> str:
    """One line: name, what it is for (when that changes the choice), contacts, hours, note."""
    name = f"**{service.name}**" if channel in WEB_CHANNELS else service.name
    contacts = ", or ".join(contact_parts(service))
    if service.show_about:
        if contacts.startswith(CONTACT_VERBS):
            contacts = contacts[:1].upper() + contacts[1:]
        contacts = f"{service.about} {contacts}"
    details = "; ".join(part for part in (service.shown_hours, service.shown_languages) if part)
    line = f"• {name}: {contacts}."
    if details:
        line += f" ({details})"
    if service.note:
        line += f" {service.note}"
    return line


def format_services(services: Iterable[Service], channel: str) -> str:
    return "\n".join(format_service(service, channel) for service in services)
