"""After an FAQ answer about a person's own situation: a short way to reach help.

The safety gate marks a message that tells of the person's own situation, or of someone close
to them (entity `situation`, components/safety_gate.py); a rule then runs this action after the
FAQ answer. It names a few services that fit the answer's topic and the person's place, from the
directory, so the answer does not end without a way to reach help, and asks for the place once
when local services (e.g. groups run by sex workers) would change the list. Someone under 18
always gets the youth services, and Cybertip.ca when pictures or online pressure were told; in
the youth context a rule runs this after every FAQ answer, whatever the message told.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import channel, conditions, person_location, referral_data
from actions.formatting import format_services
from actions.referrals import (
    IMAGES_SERVICE,
    LANGUAGE_SLOT,
    MINOR_SLOT,
    NEED_SLOT,
    YOUTH_NEED,
    ask_place_once,
    offer_images_reporting,
)

# Which services fit a question on each FAQ topic, when it is about the person's own situation.
TOPIC_NEEDS = {
    "canadian_trafficking_laws": "trafficking",
    "consent_and_trafficking": "trafficking",
    "forms_of_exploitation": "trafficking",
    "harms_of_conflation": "sex_workers",
    "sex_work_legality_canada": "sex_workers",
    "sex_work_vs_trafficking": "sex_workers",
    "signs_of_trafficking": "trafficking",
    "smuggling_vs_trafficking": "trafficking",
    "trafficking_root_causes": "trafficking",
    "trafficking_within_canada": "trafficking",
    "what_is_human_trafficking": "trafficking",
    "what_is_octip": "octip",
    "what_is_sex_work": "sex_workers",
    "youth_sexual_exploitation": YOUTH_NEED,
}
# After a question that tells of control (an ID held, the money taken).
CONTROL_NEED = "trafficking"
# Topics whose youth answer already gives the youth lines: nothing is added after it.
YOUTH_LINES_IN_ANSWER = frozenset({"youth_sexual_exploitation"})
RESPONSE = "utter_help_if_about_you"
# A few lines after an answer: the full list stays one button away.
LIMIT = 2


def answered_topic(tracker: Tracker) -> str | None:
    """The FAQ topic the latest answer came from (`faq/<topic>` in the response selector)."""
    selector = (tracker.latest_message.get("response_selector") or {}).get("faq") or {}
    key = (selector.get("response") or {}).get("intent_response_key") or ""
    return key.split("/", 1)[1] if key.startswith("faq/") else None


def need_after(topic: str | None, tracker: Tracker, mentioned: Tuple[str, ...]) -> str | None:
    """The services that fit the answer: a young person's, the trafficking lines when the
    person told of control (whatever the topic), else those of the topic."""
    if tracker.get_slot(MINOR_SLOT):
        return YOUTH_NEED
    if topic in TOPIC_NEEDS and "control" in mentioned:
        return CONTROL_NEED
    return TOPIC_NEEDS.get(topic or "")


class ActionOfferHelp(Action):
    def name(self) -> str:
        return "action_offer_help"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        mentioned = conditions(tracker)
        topic = answered_topic(tracker)
        need = need_after(topic, tracker, mentioned)
        if need is None:
            return []
        data = referral_data()
        location = person_location(tracker, data.gazetteer)
        services = data.directory.choose(need, location, LIMIT, conditions=mentioned)
        place_need = need
        if need == CONTROL_NEED and (
            "sex_work" in mentioned or TOPIC_NEEDS.get(topic or "") == "sex_workers"
        ):
            # Control told by someone who sells sex, or asking about sex work: one sex-worker
            # service as well, so the choice is theirs; their groups are local, so the place
            # question is asked for them.
            services += data.directory.choose(
                "sex_workers", location, 1, exclude=tuple(s.id for s in services)
            )
            place_need = "sex_workers"
        if need == YOUTH_NEED and topic in YOUTH_LINES_IN_ANSWER:
            services = []
        elif not services:
            return []
        if services:
            language = tracker.get_slot(LANGUAGE_SLOT) or ""
            dispatcher.utter_message(
                response=RESPONSE, services=format_services(services, channel(tracker), language)
            )
        shown = {service.id for service in services}
        if need == YOUTH_NEED and "images" in mentioned and IMAGES_SERVICE not in shown:
            offer_images_reporting(dispatcher, tracker, data, location)
        # A place named next ("I'm in Nanaimo") redoes this referral for that place.
        return [
            SlotSet(NEED_SLOT, need),
            *ask_place_once(place_need, location, dispatcher, tracker, data),
        ]
