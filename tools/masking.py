"""Hiding personal details in messages before staff read them.

What is replaced (see STAFF_GUIDE.md, "What the masking catches and misses"):
  [EMAIL]    anything shaped like name@example.com
  [URL]      web addresses: https://..., www...., example.com/...
  [HANDLE]   social media handles: @someone
  [PHONE]    any run of 7 or more digits, with or without spaces, dashes, dots or brackets
  [ADDRESS]  a street address (a number, up to three words, a street word such as St, Ave, Road;
             or a number before Kingsway or Broadway), unit or apartment numbers, and Canadian
             postal codes
  [NAME]     1. the word(s) after "my name is", "call me", "I go by", "name's";
             2. after "I'm", "I am", "this is", "it's", or after "my friend", "my boyfriend",
                "my pimp"..., a capitalised word that is not an English word, or a known first name;
             3. a known first name anywhere (names that are also words, like Will or Grace, only
                when capitalised in the middle of a sentence).
Place names from data/referrals/places.yml are never treated as names.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import FrozenSet, Iterable, List, Tuple

import yaml

from tools import paths

DATA = Path(__file__).resolve().parent / "data"
EMAIL, URL, HANDLE, PHONE, ADDRESS, NAME = (
    "[EMAIL]",
    "[URL]",
    "[HANDLE]",
    "[PHONE]",
    "[ADDRESS]",
    "[NAME]",
)
PLACEHOLDERS = (EMAIL, URL, HANDLE, PHONE, ADDRESS, NAME)

_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|way|lane|ln|crescent|cres|court|ct|"
    r"place|pl|highway|hwy|terrace|parkway|pkwy|circle|cir|square|sq|alley|mews|close|gate|row"
)
_NOT_STREET_WORD = r"(?!(?:and|or|he|she|they|we|you|me|my|i|to|the|is|was|are|for|of|in|on|at)\b)"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _phone(found: re.Match) -> str:
    return found.group(0) if _DATE.match(found.group(0)) else PHONE


PATTERNS: Tuple[Tuple[re.Pattern, object], ...] = (
    (re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"), EMAIL),
    (re.compile(r"\b(?:https?://|www\.)\S+", re.IGNORECASE), URL),
    (re.compile(r"\b[\w-]+(?:\.[\w-]+)*\.[a-z]{2,6}/\S*", re.IGNORECASE), URL),
    (
        re.compile(
            r"\b[\w-]+(?:\.[\w-]+)*\.(?:com|ca|org|net|io|me|info|co|cc|ly|app|xyz|biz|gov|"
            r"edu|tv|us|uk)\b",
            re.IGNORECASE,
        ),
        URL,
    ),
    (re.compile(r"(?<![\w@])@\w{2,}"), HANDLE),
    (
        re.compile(
            rf"(?:#\s?\d+\s?[- ]\s?)?\b\d{{1,6}}[A-Za-z]?(?:-\d+)?\s+"
            rf"(?:{_NOT_STREET_WORD}[\w.'-]+\s+){{1,3}}(?:{_STREET})\b\.?"
            r"(?:\s+(?:north|south|east|west|n|s|e|w)\b)?",
            re.IGNORECASE,
        ),
        ADDRESS,
    ),
    (
        re.compile(r"\b\d{1,6}\s+(?:(?:east|west|e|w)\s+)?(?:kingsway|broadway)\b", re.IGNORECASE),
        ADDRESS,
    ),
    (
        re.compile(r"\b(?:apt|apartment|unit|suite|ste|room|rm)\.?\s*#?\s?\d+\w?\b", re.IGNORECASE),
        ADDRESS,
    ),
    (re.compile(r"\b[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d\b"), ADDRESS),
    (re.compile(r"(?<![\w])\(?\+?\d(?:[\s().-]{0,2}\d){6,}(?![\w])"), _phone),
)

STRONG = re.compile(
    r"\b(?:my name is|my names|my name'?s|name'?s|names|call me|i go by|signed)\s+$", re.IGNORECASE
)
WEAK = re.compile(
    r"\b(?:i'?m|im|i am|this is|it'?s|its|it is)\s+$"
    r"|\b(?:my|our|his|her|their)\s+(?:friend|bestie|bff|sister|brother|cousin|boyfriend|bf|"
    r"girlfriend|gf|partner|husband|wife|ex|daughter|son|kid|niece|nephew|mom|mum|dad|boss|"
    r"manager|pimp|daddy|roommate|neighbour|neighbor|client|date|trafficker)\s+(?:is\s+)?$",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*")
_SENTENCE_END = re.compile(r"(?:^|[.!?\n]\s*)$")


def _read_list(name: str) -> FrozenSet[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


NOT_A_NAME = _read_list("not_names.txt")


def _english_words() -> FrozenSet[str]:
    """About 80,000 English words (WordNet, shipped with spacy-lookups-data)."""
    import spacy_lookups_data

    path = Path(spacy_lookups_data.__file__).parent / "data" / "en_lemma_index.json.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    return frozenset(word for words in index.values() for word in words if "_" not in word)


def _places(root: Path) -> List[str]:
    path = Path(root) / paths.PLACES
    if not path.exists():
        return []
    raw = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    names = []
    for province in (raw.get("provinces") or {}).values():
        names += [province.get("name", ""), *province.get("aliases", [])]
        for place in province.get("places") or []:
            names += [place.get("name", ""), *place.get("aliases", [])]
    return sorted({str(n).lower() for n in names if n}, key=len, reverse=True)


@dataclass(frozen=True)
class Masker:
    vocabulary: FrozenSet[str]
    first_names: FrozenSet[str]
    ambiguous_names: FrozenSet[str]
    places: Tuple[str, ...] = ()

    def mask(self, text: str) -> str:
        for pattern, placeholder in PATTERNS:
            text = pattern.sub(placeholder, text)
        return self._mask_names(text)

    def _protected(self, text: str) -> List[Tuple[int, int]]:
        lower = text.lower()
        spans = []
        for place in self.places:
            for found in re.finditer(rf"(?<![\w]){re.escape(place)}(?![\w])", lower):
                spans.append(found.span())
        return spans

    def _is_name(self, word: str, before: str) -> bool:
        lower = word.lower()
        capitalised = word[0].isupper()
        starts_sentence = bool(_SENTENCE_END.search(before))
        if lower in NOT_A_NAME:
            return False
        if STRONG.search(before):
            return True
        if lower in self.first_names:
            return True
        if lower in self.ambiguous_names:
            return capitalised and (not starts_sentence or bool(WEAK.search(before)))
        if WEAK.search(before):
            return capitalised and lower not in self.vocabulary
        return False

    def _is_surname(self, word: str, before_first_name: str) -> bool:
        """A word right after a masked name that is probably part of it ("Maria Lopez")."""
        lower = word.lower()
        if lower in NOT_A_NAME:
            return False
        if STRONG.search(before_first_name):
            return True
        return word[0].isupper() and (lower not in self.vocabulary or lower in self.first_names)

    def _mask_names(self, text: str) -> str:
        protected = self._protected(text)
        spans: List[Tuple[int, int]] = []
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            if any(a <= start < b for a, b in protected) or text[max(start - 1, 0)] == "[":
                continue
            before = text[:start]
            follows_name = spans and not text[spans[-1][1] : start].strip()
            word = token.group(0)
            if (
                follows_name
                and self._is_surname(word, text[: spans[-1][0]])
                or self._is_name(word, before)
            ):
                spans.append((start, end))
        for start, end in reversed(_merge(spans, text)):
            text = text[:start] + NAME + text[end:]
        return text


def _merge(spans: Iterable[Tuple[int, int]], text: str) -> List[Tuple[int, int]]:
    """Joins names separated only by spaces ("Maria Lopez" -> one [NAME])."""
    merged: List[List[int]] = []
    for start, end in spans:
        if merged and not text[merged[-1][1] : start].strip():
            merged[-1][1] = end
        else:
            merged.append([start, end])
    return [(a, b) for a, b in merged]


@lru_cache(maxsize=2)
def default_masker(root: Path | None = None) -> Masker:
    first = _read_list("first_names.txt")
    ambiguous = _read_list("ambiguous_names.txt")
    places = tuple(_places(root or paths.ROOT))
    vocabulary = (_english_words() | NOT_A_NAME | set(places)) - first
    return Masker(vocabulary, first - set(places), ambiguous - set(places), places)
