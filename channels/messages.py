"""What the connectors say themselves, without the dialogue: HELP, too long, privacy, trouble.

Each text is in English and in French; a conversation in French gets the French one (any other
language gets English, like the bridge reply's buttons). Phone numbers come from
data/referrals/services.yml (through the action package's loader), never from this file. If the
directory cannot be read, the texts still point to emergency services.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Dict

from actions.context import referral_data
from actions.directory import Service

logger = logging.getLogger(__name__)

EMERGENCY = "emergency_911"
HOTLINE = "canadian_human_trafficking_hotline"
ENGLISH = "en"
FRENCH = "fr"


@dataclass(frozen=True)
class Texts:
    """Every fixed text of the connectors, in one language."""

    about: str
    stop_hint: str
    danger: str  # "{}": the emergency number
    danger_unknown: str  # when the directory cannot be read
    hotline: str  # "{name}", "{police}", "{hours}", "{phone}"
    not_police: str
    too_long: str  # "{}": the limit in characters
    unsupported: str
    stopped: str
    too_fast: str
    trouble: str
    privacy: Dict[str, str]  # by channel kind: sms, whatsapp


TEXTS = {
    ENGLISH: Texts(
        about=(
            "This is an automated assistant. It explains sex work, youth sexual exploitation and "
            "human trafficking, and helps you find support in BC."
        ),
        stop_hint="Reply STOP to stop messages.",
        danger="In danger right now? Call {}.",
        danger_unknown="In danger right now? Call emergency services.",
        hotline="To talk to a person: {name} (confidential{police}{hours}): {phone}.",
        not_police=", not police",
        too_long=(
            "Sorry, that message is too long for me. Please send a shorter message (under {} "
            "characters), or ask one question at a time."
        ),
        unsupported="Sorry, I can only read text. Please type your question.",
        stopped="OK. You will not get any more messages from me unless you write again.",
        too_fast=(
            "You are sending messages very fast. Please wait a minute, then send your question "
            "again."
        ),
        trouble="Sorry, something went wrong on my side.",
        privacy={
            "sms": (
                "Privacy: this chat stays in your phone's text messages. If someone else might see "
                "your phone, delete this conversation in your messages app when you are done. I "
                "will never ask for your name or other personal details."
            ),
            "whatsapp": (
                "Privacy: this chat stays in your WhatsApp history. If someone else might see your "
                "phone, delete it when you are done: in your list of chats, press and hold this "
                "chat, then choose Delete. I will never ask for your name or other personal "
                "details."
            ),
        },
    ),
    FRENCH: Texts(
        about=(
            "Ceci est un assistant automatique. Il explique le travail du sexe, l'exploitation "
            "sexuelle des jeunes et la traite des personnes, et vous aide à trouver du soutien "
            "en C.-B."
        ),
        stop_hint="Répondez STOP pour ne plus recevoir de messages.",
        danger="En danger maintenant ? Appelez le {}.",
        danger_unknown="En danger maintenant ? Appelez les services d'urgence.",
        hotline="Pour parler à une personne : {name} (confidentiel{police}{hours}) : {phone}.",
        not_police=", pas la police",
        too_long=(
            "Désolé, ce message est trop long pour moi. Envoyez un message plus court (moins de "
            "{} caractères), ou posez une question à la fois."
        ),
        unsupported="Désolé, je peux seulement lire du texte. Écrivez votre question.",
        stopped="D'accord. Vous ne recevrez plus de messages de moi, sauf si vous écrivez.",
        too_fast=(
            "Vous envoyez des messages très vite. Attendez une minute, puis envoyez votre "
            "question de nouveau."
        ),
        trouble="Désolé, quelque chose n'a pas marché de mon côté.",
        privacy={
            "sms": (
                "Confidentialité : cette conversation reste dans les textos de votre téléphone. "
                "Si quelqu'un d'autre peut voir votre téléphone, effacez cette conversation dans "
                "votre application de messages quand vous avez fini. Je ne vous demanderai jamais "
                "votre nom ni d'autres renseignements personnels."
            ),
            "whatsapp": (
                "Confidentialité : cette conversation reste dans votre historique WhatsApp. Si "
                "quelqu'un d'autre peut voir votre téléphone, effacez-la quand vous avez fini : "
                "dans la liste des discussions, appuyez longtemps sur celle-ci, puis choisissez "
                "Supprimer. Je ne vous demanderai jamais votre nom ni d'autres renseignements "
                "personnels."
            ),
        },
    ),
}
# The English notes by channel kind, as the connectors name them.
PRIVACY_NOTE = TEXTS[ENGLISH].privacy


def texts(language: str | None) -> Texts:
    return TEXTS.get(language or ENGLISH, TEXTS[ENGLISH])


def _service(service_id: str) -> Service | None:
    try:
        service = referral_data().directory.get(service_id)
    except Exception:
        logger.exception("Could not read %s from the referral directory.", service_id)
        return None
    return service if service.status == "active" and service.phone else None


def danger_line(language: str = ENGLISH) -> str:
    service = _service(EMERGENCY)
    if not service:
        return texts(language).danger_unknown
    return texts(language).danger.format(service.phone[0])


def hotline_line(language: str = ENGLISH) -> str:
    service = _service(HOTLINE)
    if not service:
        return ""
    words = texts(language)
    hours = service.wording(language).hours
    return words.hotline.format(
        name=service.name,
        police=words.not_police if service.police is False else "",
        hours=f", {hours}" if hours else "",
        phone=service.phone[0],
    )


def privacy_note(kind: str, language: str = ENGLISH) -> str:
    """The privacy note of a channel kind ("sms", "whatsapp"); empty for channels without one."""
    return texts(language).privacy.get(kind, "")


def _join(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


def help_text(stop_hint: bool, language: str = ENGLISH) -> str:
    """The answer to HELP / INFO: 911 first (someone texting HELP may be in danger), then what
    this is and the hotline."""
    words = texts(language)
    return _join(
        danger_line(language),
        words.about,
        hotline_line(language),
        words.stop_hint if stop_hint else "",
    )


def too_long(limit: int, language: str = ENGLISH) -> str:
    return _join(texts(language).too_long.format(limit), danger_line(language))


def unsupported(language: str = ENGLISH) -> str:
    return _join(texts(language).unsupported, danger_line(language))


def stopped(language: str = ENGLISH) -> str:
    return _join(texts(language).stopped, danger_line(language))


def too_fast(language: str = ENGLISH) -> str:
    return _join(texts(language).too_fast, danger_line(language), hotline_line(language))


def danger_only(language: str = ENGLISH) -> str:
    """For a message that skips the dialogue but matches the danger patterns."""
    return _join(danger_line(language), hotline_line(language))


def trouble(language: str = ENGLISH) -> str:
    return _join(texts(language).trouble, danger_line(language), hotline_line(language))
