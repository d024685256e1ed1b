"""Shared lookups for actions: the directory, the places, and what the person said."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Tuple

from rasa_sdk import Tracker

from actions.directory import Directory, cached_directory
from actions.places import Gazetteer, Location, cached_gazetteer
from actions.settings import Settings, load_settings

VIOLENCE = re.compile(
    r"\b(bad date|hurt|hit|beat|attack|assault|rape|raped|violent|violence|robbed|"
    r"choke|choked|strangl\w*|stealth\w*|weapon|knife|gun|threat\w*|wouldn'?t pay|didn'?t pay)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class ReferralData:
    settings: Settings
    gazetteer: Gazetteer
    directory: Directory


def referral_data() -> ReferralData:
    """Loads the directory and places, re-reading them when the files change."""
    settings = load_settings()
    gazetteer = cached_gazetteer(settings.places_path, settings.places_path.stat().st_mtime)
    directory = cached_directory(
        settings.directory_path,
        gazetteer.region_ids,
        settings.directory_path.stat().st_mtime,
    )
    return ReferralData(settings, gazetteer, directory)


def person_location(tracker: Tracker, gazetteer: Gazetteer) -> Location | None:
    return gazetteer.resolve(tracker.get_slot("location"))


def conditions(tracker: Tracker) -> Tuple[str, ...]:
    text = tracker.latest_message.get("text") or ""
    return ("violence",) if VIOLENCE.search(text) else ()


def channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"
