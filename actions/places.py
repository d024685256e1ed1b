"""Turning a place a person names into a province and local regions (data/referrals/places.yml)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Tuple

import yaml

OUTSIDE_BC = {"outside bc", "outside of bc", "not in bc", "another province", "elsewhere in canada"}


@dataclass(frozen=True)
class Location:
    name: str
    province: str | None
    regions: Tuple[str, ...] = ()


def place_key(text: str) -> str:
    """How a place name is looked up: lower case, no punctuation or words like "near"."""
    text = re.sub(r"[^\w\s.'-]", " ", text.lower())
    text = re.sub(r"\b(in|near|from|around|the city of|city|town)\b", " ", text)
    return re.sub(r"\s+", " ", text).strip(" .")


@dataclass(frozen=True)
class Gazetteer:
    places: Dict[str, Location]
    region_ids: Tuple[str, ...]

    def resolve(self, text: str | None) -> Location | None:
        """The Location for a place name, or None if it is not known."""
        if not text:
            return None
        key = place_key(text)
        if key in OUTSIDE_BC:
            return Location(name="outside BC", province="CA")
        if key in self.places:
            return self.places[key]
        key = re.sub(r"\s*,?\s*(bc|b\.c|british columbia)$", "", key)
        return self.places.get(key)


def load_gazetteer(path: Path) -> Gazetteer:
    raw = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    places: Dict[str, Location] = {}
    regions = {"bc", "yukon"}
    for code, province in raw["provinces"].items():
        base = ("bc",) if code == "BC" else tuple(province.get("regions", ()))
        whole = Location(name=province["name"], province=code, regions=base)
        for alias in [province["name"], *province.get("aliases", [])]:
            places[place_key(alias)] = whole
        for place in province.get("places", []):
            local = tuple(place.get("regions", ()))
            regions.update(local)
            location = Location(name=place["name"], province=code, regions=base + local)
            for alias in [place["name"], *place.get("aliases", [])]:
                places[place_key(alias)] = location
    return Gazetteer(places=places, region_ids=tuple(sorted(regions)))


@lru_cache(maxsize=4)
def cached_gazetteer(path: Path, mtime: float) -> Gazetteer:
    return load_gazetteer(path)
