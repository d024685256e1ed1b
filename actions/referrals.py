"""Actions that answer the help intents with services from the directory.

Each action fills a curated response (`utter_referral_<need>` in domain.yml,
with a `{services}` placeholder) with the services that fit the person's need
and place. The wording lives in the domain; the contacts in the directory.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.context import (
    ReferralData,
    channel,
    conditions,
    danger_possible,
    person_location,
    referral_data,
)
from actions.directory import Service
from actions.formatting import format_services
from actions.places import Location

NEED_SLOT = "need"
ASKED_SLOT = "location_asked"
MINOR_SLOT = "is_minor"
LANGUAGE_SLOT = "language"
FALLBACK_NEED = "trafficking"
ELSEWHERE = "utter_referral_elsewhere"
SEX_WORKERS_ELSEWHERE = "utter_referral_sex_workers_elsewhere"
NOTHING_LISTED = "utter_referral_none"
VIOLENCE_CHOICE = "utter_referral_sex_workers_violence"
# Before the services, when the classifier also saw danger in the request (the same choice).
DANGER_FIRST = "utter_referral_danger_first"
# After 911, for an adult who said they sell or trade sex and told of violence: the services
# sex workers run to warn each other (directory entries with `only_if: violence`).
BAD_DATE = "utter_referral_bad_date"
# After a trafficking or reporting list, for an adult who said they sell or trade sex: the
# sex-worker services too, so the person chooses (needs whose list this adds to).
SEX_WORKERS_TOO = "utter_referral_sex_workers_too"
SEX_WORKERS_TOO_AFTER = ("trafficking", "reporting")
SEX_WORKERS_TOO_LIMIT = 2
YOUTH_NEED = "youth"
EMERGENCY_NEED = "emergency"
# Needs whose services and wording are for adults: a person under 18 gets the youth ones instead.
ADULT_NEEDS = ("sex_workers",)
# Any other referral about someone under 18, or maybe young, ends with the youth lines; so do
# the trafficking, reporting and emergency ones for everyone, since a young person often gives no
# sign of their age (the fallback and out-of-scope replies carry the same line),
YOUTH_LINES = "utter_youth_lines"
YOUTH_LINES_ALWAYS_AFTER = ("trafficking", "reporting", EMERGENCY_NEED)
# and with Cybertip.ca when pictures or online pressure were mentioned.
IMAGES_RESPONSE = "utter_referral_images"
IMAGES_SERVICE = "cybertip"


def need_for(need: str, tracker: Tracker) -> str:
    """The need to answer: youth services replace adult ones when the person is under 18."""
    if need in ADULT_NEEDS and tracker.get_slot(MINOR_SLOT):
        return YOUTH_NEED
    return need


def sex_worker_response(services: List[Service], location: Location | None) -> str:
    """The wording that is true of this list: a local or peer group, or plainly none nearby."""
    if location is not None and not any(s.is_local for s in services):
        return "utter_referral_sex_workers_none_local"
    if services[0].is_community:
        return "utter_referral_sex_workers"
    return "utter_referral_sex_workers_general"


def choose_referral(
    need: str,
    data: ReferralData,
    location: Location | None,
    exclude: Tuple[str, ...],
    mentioned: Tuple[str, ...],
) -> Tuple[str, List[Service]]:
    """The response and services for a need and place; never a response with an empty list.

    When nothing in the directory fits (e.g. outside BC), the Canada-wide trafficking lines
    are offered with wording that says so; when even those are excluded, a response with
    no list at all.
    """
    limit = data.settings.max_services
    services = data.directory.choose(need, location, limit, exclude=exclude, conditions=mentioned)
    if services:
        if need == "sex_workers":
            return sex_worker_response(services, location), services
        return f"utter_referral_{need}", services
    services = data.directory.choose(FALLBACK_NEED, location, limit, exclude=exclude)
    if not services:
        return NOTHING_LISTED, []
    return (SEX_WORKERS_ELSEWHERE if need == "sex_workers" else ELSEWHERE), services


def refer(
    need: str,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    exclude: Tuple[str, ...] = (),
) -> List[EventType]:
    """Utters the services for `need`, and asks for the place once if it would help."""
    need = need_for(need, tracker)
    data = referral_data()
    location = person_location(tracker, data.gazetteer)
    mentioned = conditions(tracker)
    response, services = choose_referral(need, data, location, exclude, mentioned)
    danger_first = need != EMERGENCY_NEED and danger_possible(tracker)
    if danger_first:
        dispatcher.utter_message(response=DANGER_FIRST)
    dispatcher.utter_message(
        response=response,
        services=format_services(services, channel(tracker), tracker.get_slot(LANGUAGE_SLOT) or ""),
    )
    if (
        need == "sex_workers"
        and "violence" in mentioned
        and response != SEX_WORKERS_ELSEWHERE
        and not danger_first
    ):
        dispatcher.utter_message(response=VIOLENCE_CHOICE)
    if need == EMERGENCY_NEED or need in SEX_WORKERS_TOO_AFTER:
        offer_violence_reporting(dispatcher, tracker, data, location, mentioned)
    place_need = need
    if (
        need in SEX_WORKERS_TOO_AFTER
        and "sex_work" in mentioned
        and not tracker.get_slot(MINOR_SLOT)
    ):
        offer_sex_worker_services(dispatcher, tracker, data, location, services)
        # The place would only narrow the groups: without it, every one was listed.
        place_need = "sex_workers" if location is not None else need
    if need == "sex_workers" and "control" in mentioned:
        offer_trafficking_lines(dispatcher, tracker, data, location, services)
    if need == YOUTH_NEED and not tracker.get_slot(MINOR_SLOT):
        # Youth help chosen for someone whose age is not known: an adult telling of
        # trafficking must not be left with youth lines only.
        offer_trafficking_lines(dispatcher, tracker, data, location, services)
    maybe_young = bool(tracker.get_slot(MINOR_SLOT)) or "youth_hint" in mentioned
    if need != YOUTH_NEED and (maybe_young or need in YOUTH_LINES_ALWAYS_AFTER):
        dispatcher.utter_message(response=YOUTH_LINES)
    if need != YOUTH_NEED and maybe_young and "images" in mentioned:
        offer_images_reporting(dispatcher, tracker, data, location)
    return [
        SlotSet(NEED_SLOT, need),
        *ask_place_once(place_need, location, dispatcher, tracker, data),
    ]


def ask_place_once(
    need: str,
    location: Location | None,
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    data: ReferralData,
) -> List[EventType]:
    """Asks for the place, once per conversation, when local services would change the list."""
    if (
        location is None
        and not tracker.get_slot(ASKED_SLOT)
        and data.directory.has_local_services(need)
    ):
        dispatcher.utter_message(response="utter_ask_location")
        return [SlotSet(ASKED_SLOT, True)]
    return []


class ReferralAction(Action):
    action_name = ""
    need = ""
    exclude: Tuple[str, ...] = ()

    def name(self) -> str:
        return self.action_name

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        return refer(self.need, dispatcher, tracker, self.exclude)


class ActionReferTrafficking(ReferralAction):
    action_name = "action_refer_trafficking"
    need = "trafficking"


class ActionGiveOctipContact(ReferralAction):
    action_name = "action_give_octip_contact"
    need = "octip"


class ActionReferSexWorkerSupport(ReferralAction):
    action_name = "action_refer_sex_worker_support"
    need = "sex_workers"


class ActionReferYouthSupport(ReferralAction):
    action_name = "action_refer_youth_support"
    need = "youth"


class ActionExplainReporting(ReferralAction):
    action_name = "action_explain_reporting"
    need = "reporting"


def utter_services(
    dispatcher: CollectingDispatcher, tracker: Tracker, response: str, services: List[Service]
) -> None:
    """`response` with its list in the person's channel and language; nothing for no service."""
    if services:
        language = tracker.get_slot(LANGUAGE_SLOT) or ""
        dispatcher.utter_message(
            response=response, services=format_services(services, channel(tracker), language)
        )


def offer_violence_reporting(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    data: ReferralData,
    location: Location | None,
    mentioned: Tuple[str, ...],
) -> None:
    """An adult sex worker hurt by a client also hears of the reporting sex workers run."""
    if tracker.get_slot(MINOR_SLOT) or "violence" not in mentioned:
        return
    if "sex_work" not in mentioned and "client" not in mentioned:
        return
    services = [
        service
        for service in data.directory.choose(
            "sex_workers", location, data.settings.max_services, conditions=mentioned
        )
        if service.only_if == "violence"
    ]
    utter_services(dispatcher, tracker, BAD_DATE, services)


def offer_sex_worker_services(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    data: ReferralData,
    location: Location | None,
    shown: List[Service],
) -> None:
    """An adult who sells or trades sex and told of control: sex-worker services as a choice.

    Near the person when their place is known; otherwise, or when no group works there, every
    local group, each saying where it works, so no one is left with trafficking services only."""
    shown_ids = tuple(s.id for s in shown)
    services: List[Service] = []
    if location is not None:
        services = data.directory.choose(
            "sex_workers", location, SEX_WORKERS_TOO_LIMIT, exclude=shown_ids
        )
    if not any(s.is_local for s in services):
        services = data.directory.local_groups("sex_workers", exclude=shown_ids)
    utter_services(dispatcher, tracker, SEX_WORKERS_TOO, services)


def offer_trafficking_lines(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    data: ReferralData,
    location: Location | None,
    shown: List[Service],
) -> None:
    """The trafficking lines after another list: for a sex worker who told of control, or
    after youth help for someone whose age is not known."""
    services = data.directory.choose(
        "trafficking",
        location,
        data.settings.max_services,
        exclude=tuple(s.id for s in shown),
    )
    utter_services(dispatcher, tracker, "utter_referral_trafficking", services)


def offer_images_reporting(
    dispatcher: CollectingDispatcher,
    tracker: Tracker,
    data: ReferralData,
    location: Location | None,
) -> None:
    """Pictures or online pressure on a young person: where to report it."""
    services = [
        service
        for service in data.directory.choose(YOUTH_NEED, location, len(data.directory.services))
        if service.id == IMAGES_SERVICE
    ]
    utter_services(dispatcher, tracker, IMAGES_RESPONSE, services)


class ActionGiveEmergencyHelp(ReferralAction):
    """Runs after the static `utter_emergency`, which already gave 911 and the hotline."""

    action_name = "action_give_emergency_help"
    need = EMERGENCY_NEED
    exclude = ("emergency_911", "canadian_human_trafficking_hotline")


class ActionUpdateReferral(Action):
    """After the person names a place: redo the latest referral for that place."""

    def name(self) -> str:
        return "action_update_referral"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        need = tracker.get_slot(NEED_SLOT)
        data = referral_data()
        if person_location(tracker, data.gazetteer) is None:
            dispatcher.utter_message(response="utter_location_unknown")
        if not need:
            dispatcher.utter_message(response="utter_location_noted")
            return [SlotSet(ASKED_SLOT, True)]
        exclude = ActionGiveEmergencyHelp.exclude if need == EMERGENCY_NEED else ()
        return refer(need, dispatcher, tracker, exclude) + [SlotSet(ASKED_SLOT, True)]
