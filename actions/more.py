"""The "tell me more" follow-up to an FAQ answer."""

from __future__ import annotations

from typing import Any, Dict, List

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

FAQ_PREFIX = "utter_faq/"


def last_faq_topic(tracker: Tracker) -> str | None:
    for event in reversed(tracker.events):
        if event.get("event") != "bot":
            continue
        utter_action = (event.get("metadata") or {}).get("utter_action") or ""
        if utter_action.startswith(FAQ_PREFIX):
            return utter_action[len(FAQ_PREFIX) :]
    return None


class ActionTellMore(Action):
    def name(self) -> str:
        return "action_tell_more"

    async def run(
        self,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: Dict[str, Any],
    ) -> List[EventType]:
        topic = last_faq_topic(tracker)
        response = f"utter_more_{topic}" if topic else None
        if response and response in domain.get("responses", {}):
            dispatcher.utter_message(response=response)
        else:
            dispatcher.utter_message(response="utter_no_more")
        return []
