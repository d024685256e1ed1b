"""Hiding personal details in messages before staff read them.

What is replaced (see STAFF_GUIDE.md, "What the masking catches and misses"; measured by
tools/masking_score.py on tests/tools/data/masking_set.txt):
  [EMAIL]      name@example.com, also with spaces around @ or spelled out ("jo dot lee at gmail
               dot com", "jo (at) gmail (dot) com", "jo at gmail")
  [URL]        web addresses: https://..., www...., example.com/...
  [HANDLE]     social media handles: @someone, any word joined by an underscore (kayla_xo), or a
               username after snap, IG, insta, tiktok, kik... ("snap: x", "my insta is x"); in a
               message naming such an app, any word shaped like a username (letters with dots or
               trailing digits)
  [BIRTHDATE]  a date after "born", "dob", "birthday", "date of birth"
  [PLATE]      licence plates in BC's formats (ABC 123, 123 ABC, AB1 23C); in lower case or other
               shapes only after plate, licence, car, truck, van...
  [ID]         a number after SIN, passport, care card, health card, PHN, driver's licence
  [PHONE]      any run of 7 or more digits, with or without spaces, dashes, dots or brackets (and an
               extension), also in words or mixed ("six oh four 555 0199"); numbers in the service
               directory (911, the hotlines) are kept
  [ADDRESS]    a street address (a number, up to three words, a street word such as St, Ave, Road;
               a number before a direction and a numbered street, "1550 W 8th"; a number before a
               main BC street, "2211 Kingsway"), unit or apartment numbers, PO boxes and Canadian
               postal codes
  [NAME]       1. the word(s) after "my name is", "her name is", "named", "called", "call me",
                  "I go by", "ask for";
               2. after "I'm", "I am", "this is", "it's", or after "my friend", "my boyfriend",
                  "my pimp"..., a capitalised word that is not an English word, or a known first
                  name;
               3. a known first name anywhere (names that are also words, like Will or Grace, only
                  when capitalised in the middle of a sentence, or at its start before "said",
                  "told", "is"...);
               4. any capitalised word that is not an English word or a word of this project's
                  questions and answers (all-capital abbreviations such as RCMP are kept);
               5. a word after Mr, Mrs, Ms, Dr (with the title).
Place names from data/referrals/places.yml are never treated as names.
"""

from __future__ import annotations

import gzip
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Callable, FrozenSet, Iterable, List, Tuple, Union

import yaml

from actions.directory import digits, numbers_by_service
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
BIRTHDATE, PLATE, ID = "[BIRTHDATE]", "[PLATE]", "[ID]"
PLACEHOLDERS = (EMAIL, URL, HANDLE, PHONE, ADDRESS, NAME, BIRTHDATE, PLATE, ID)

_STREET = (
    r"street|st|avenue|ave|road|rd|boulevard|blvd|drive|dr|way|lane|ln|crescent|cres|court|ct|"
    r"place|pl|highway|hwy|terrace|parkway|pkwy|circle|cir|square|sq|alley|mews|close|gate|row"
)


def _read_list(name: str) -> FrozenSet[str]:
    lines = (DATA / name).read_text(encoding="utf-8").splitlines()
    return frozenset(w.strip().lower() for w in lines if w.strip() and not w.startswith("#"))


NOT_A_NAME = _read_list("not_names.txt")
MAIN_STREETS = tuple(sorted(_read_list("main_streets.txt")))


_DIRECTION = r"(?:north|south|east|west|n|s|e|w)\.?"
_NOT_STREET_WORD = r"(?!(?:and|or|he|she|they|we|you|me|my|i|to|the|is|was|are|for|of|in|on|at)\b)"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_YEARS = re.compile(r"^(?:(?:19|20)\d\d[\s,-]+)+(?:19|20)\d\d$")
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"
_DAY = r"\d{1,2}(?:st|nd|rd|th)?"
_A_DATE = (
    rf"(?:\d{{1,4}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|{_MONTH}\s+{_DAY}(?:,?\s+\d{{4}})?"
    rf"|{_DAY}\s+(?:of\s+)?{_MONTH}(?:,?\s+\d{{4}})?)"
)
_DOT = r"(?:\s*\.\s*|\s+dot\s+|\s*[(\[]dot[)\]]\s*)"
_TLD = r"(?:com|ca|net|org|io|me|co|info|live|edu)"
_MAIL_PROVIDER = r"(?:gmail|hotmail|yahoo|outlook|icloud|protonmail|proton|live|shaw|telus|aol|msn)"
_PLATFORM = (
    r"snap(?:chat)?|sc|ig|insta(?:gram)?|tik\s?tok|tt|twitter|kik|telegram|tg|discord|fb|"
    r"facebook|onlyfans|reddit|threads|wickr|tinder|grindr"
)
_HANDLE_CUE = re.compile(
    rf"\b(?:{_PLATFORM})\b(?:\s+(?:name|handle|username|user|id|acct|account))?"
    r"(?:\s+is|\s*[:=-])?\s*(?:me\s+(?:at\s+|on\s+)?)?@?"
    r"(?P<handle>[A-Za-z0-9_](?:[\w.#]*\w)?)",
    re.IGNORECASE,
)
_MENTIONS_PLATFORM = re.compile(rf"\b(?:{_PLATFORM})\b", re.IGNORECASE)
_USERNAME_SHAPE = re.compile(
    r"(?<![\w@.\[])(?:[A-Za-z][A-Za-z0-9]*(?:[._][A-Za-z0-9]+)+|[A-Za-z]{2,}\d{2,})(?![\w\]])"
)
_PLATE_CUE = re.compile(
    r"\b(?:plates?|licen[cs]e|car|truck|van|suv|jeep|vehicle|drives|driving|reg)\b", re.IGNORECASE
)
# BC passenger and commercial plates, in capitals: ABC 123, 123 ABC, AB1 23C (AB123C).
_PLATE = re.compile(r"\b(?:[A-Z]{3}[ -]?\d{3}|\d{3}[ -]?[A-Z]{3}|[A-Z]{2}\d[ -]?\d{2}[A-Z])\b")
# Plate-sized words ("cz2 81k", "EX358T"), checked one by one when a vehicle is mentioned.
_PLATE_PART = re.compile(r"[A-Za-z0-9]+")
_DIGIT_WORD = r"(?:zero|one|two|three|four|five|six|seven|eight|nine|oh|o|\d)"
_SPELLED_NUMBER = re.compile(
    rf"\b{_DIGIT_WORD}+\b(?:[\s,.-]{{1,3}}\b{_DIGIT_WORD}+\b)+", re.IGNORECASE
)
_DIGIT_VALUES = {
    "zero": "0",
    "oh": "0",
    "o": "0",
    "one": "1",
    "two": "2",
    "three": "3",
    "four": "4",
    "five": "5",
    "six": "6",
    "seven": "7",
    "eight": "8",
    "nine": "9",
}
_DIGITS_IN = re.compile(_DIGIT_WORD, re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w])\(?\+?\d(?:[\s().-]{0,2}\d){6,}(?:\s*(?:ext|x|extension)\.?\s*\d{1,5})?(?![\w])",
    re.IGNORECASE,
)

Rule = Tuple[re.Pattern, Union[str, Callable[[re.Match], str]]]

PATTERNS: Tuple[Rule, ...] = (
    (re.compile(r"[\w.+-]+\s?@\s?[\w-]+(?:\.[\w-]+)+"), EMAIL),
    (
        re.compile(
            rf"\b[\w+-]+(?:{_DOT}[\w+-]+){{0,4}}(?:\s\d+)?"
            rf"(?:\s*(?:@|[(\[]at[)\]])\s*|\s+at\s+)"
            rf"(?:[\w-]+(?:{_DOT}[\w-]+){{0,3}}{_DOT}{_TLD}\b|{_MAIL_PROVIDER}\b)",
            re.IGNORECASE,
        ),
        EMAIL,
    ),
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
    (re.compile(r"(?<![\w@])@\w(?:[\w.]*\w)?"), HANDLE),
    # A word joined by an underscore ("kayla_xo") is a username wherever it is.
    (re.compile(r"(?<![\w.\[])[A-Za-z0-9]+_[\w.]*[A-Za-z0-9](?![\w\]])"), HANDLE),
    (
        re.compile(
            rf"\b(?:born(?:\s+on)?|dob|d\.o\.b\.?|b-?day|birthday|birth\s?date|date\s+of\s+birth)"
            rf"(?:\s+(?:is|was))?\s*:?\s*(?P<date>{_A_DATE})",
            re.IGNORECASE,
        ),
        lambda found: _replace_group(found, "date", BIRTHDATE),
    ),
    (re.compile(r"\b[A-Za-z]\d[A-Za-z][ -]?\d[A-Za-z]\d\b"), ADDRESS),
    # Before plates: "SIN 046 454 286" starts like a plate.
    (
        re.compile(
            r"\b(?:sin|social\s+insurance|passport|care\s?card|health\s?card|phn|"
            r"driver'?s\s+licen[cs]e|id)(?:\s+(?:number|no\.?|num|#))?(?:\s+is)?\s*:?\s*"
            r"(?P<id>(?=[A-Za-z]{0,3}\d)[A-Za-z]{0,3}\d[\d -]{4,14}\d)",
            re.IGNORECASE,
        ),
        lambda found: _replace_group(found, "id", ID),
    ),
    (_PLATE, PLATE),
    (
        re.compile(
            rf"(?:#\s?\d+\s?[- ]\s?)?\b\d{{1,6}}[A-Za-z]?(?:-\d+)?\s+"
            rf"(?:{_NOT_STREET_WORD}[\w.'-]+\s+){{1,3}}(?:{_STREET})\b\.?"
            rf"(?:\s+{_DIRECTION}(?!\w))?",
            re.IGNORECASE,
        ),
        ADDRESS,
    ),
    (
        re.compile(
            rf"(?:#\s?\d+\s?[- ]\s?)?\b\d{{1,6}}\s+(?:{_DIRECTION}\s+)?"
            rf"(?:\d{{1,3}}(?:st|nd|rd|th)\b|(?:{'|'.join(MAIN_STREETS)})\b)",
            re.IGNORECASE,
        ),
        ADDRESS,
    ),
    (re.compile(rf"\b\d{{1,6}}\s+(?:{_DIRECTION}\s+)[A-Z][a-z]+\b"), ADDRESS),
    (
        re.compile(
            r"\b(?:apt|apartment|unit|suite|ste|room|rm)\.?\s*#?\s?\d+\w?\b"
            r"|\bp\.?\s?o\.?\s+box\s*#?\s*\d+",
            re.IGNORECASE,
        ),
        ADDRESS,
    ),
)

STRONG = re.compile(
    r"\b(?:my name is|my names|my name'?s|name'?s|names|name (?:is|was))\s+$",
    re.IGNORECASE,
)
# Cues that also come before ordinary words ("call me later", "ask for help"): a name after them
# is capitalised, on a name list, or not an English word.
NAMING = re.compile(r"\b(?:named|called|call me|i go by|goes by|ask for|signed)\s+$", re.IGNORECASE)
WEAK = re.compile(
    r"\b(?:i'?m|im|i am|this is|it'?s|its|it is)\s+$"
    r"|\b(?:my|our|his|her|their)\s+(?:friend|bestie|bff|sister|brother|cousin|boyfriend|bf|"
    r"girlfriend|gf|partner|husband|wife|ex|daughter|son|kid|niece|nephew|mom|mum|dad|boss|"
    r"manager|pimp|daddy|roommate|neighbour|neighbor|client|date|trafficker)\s+(?:is\s+)?$",
    re.IGNORECASE,
)
TITLE = re.compile(r"\b(?:mr|mrs|ms|miss|mister|dr)\.?\s+$", re.IGNORECASE)
# Words that follow a name at the start of a sentence ("Hope told me"), not a wish ("Hope you").
_NAME_FOLLOWER = re.compile(
    r"^\s+(?:said|says|told|tells|is|was|has|had|and|went|wants|took|takes|keeps|kept|gave|gives|"
    r"works|lives|knows|called|texted|messaged|asked|hit|hits)\b",
    re.IGNORECASE,
)
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'-]*")
# A training example in a YAML examples block; answers, buttons and directory fields are not.
_EXAMPLE_LINE = re.compile(r"^\s*- (?!text:|title:|payload:|id:|name:)")
# Long links or pasted junk: hidden whole, and the patterns below then stay fast on hostile input.
_LONG_RUN = re.compile(r"\S{120,}")
# The cues above end where a word starts: looking this far back is enough, and keeps masking linear.
_CUE_WINDOW = 60


def _plate_like(value: str) -> bool:
    """5 to 7 letters and digits, at least two of each (BC plates, also older or custom ones)."""
    letters = sum(c.isalpha() for c in value)
    numbers = sum(c.isdigit() for c in value)
    return 5 <= letters + numbers <= 7 and letters >= 2 and numbers >= 2


def _mask_plates(text: str) -> str:
    """Plates in any case: one word ("ex358t") or two short ones ("cz2 81k", "RD7-34B")."""
    parts = list(_PLATE_PART.finditer(text))
    spans = []
    index = 0
    while index < len(parts):
        part = parts[index]
        following = parts[index + 1] if index + 1 < len(parts) else None
        joined = (
            following is not None
            and text[part.end() : following.start()] in (" ", "-")
            and len(part.group(0)) <= 4
            and len(following.group(0)) <= 4
            and _plate_like(part.group(0) + following.group(0))
        )
        if joined:
            spans.append((part.start(), following.end()))
            index += 2
            continue
        if text[max(part.start() - 1, 0)] != "[" and _plate_like(part.group(0)):
            spans.append(part.span())
        index += 1
    for start, end in reversed(spans):
        text = text[:start] + PLATE + text[end:]
    return text


def _replace_group(found: re.Match, group: str, placeholder: str) -> str:
    start, end = found.span(group)
    whole = found.group(0)
    return whole[: start - found.start()] + placeholder + whole[end - found.start() :]


def _english_words() -> FrozenSet[str]:
    """About 80,000 English words and their irregular forms (WordNet, from spacy-lookups-data)."""
    import spacy_lookups_data

    folder = Path(spacy_lookups_data.__file__).parent / "data"
    with gzip.open(folder / "en_lemma_index.json.gz", "rt", encoding="utf-8") as handle:
        index = json.load(handle)
    with gzip.open(folder / "en_lemma_exc.json.gz", "rt", encoding="utf-8") as handle:
        irregular = json.load(handle)
    words = {word for words in index.values() for word in words if "_" not in word}
    words.update(form for forms in irregular.values() for form in forms if "_" not in form)
    return frozenset(words)


_ENDINGS = (("ies", "y"), ("es", ""), ("s", ""), ("ed", ""), ("ed", "e"), ("ing", ""), ("ing", "e"))


def _project_words(root: Path) -> FrozenSet[str]:
    """Words of the project's answers and directory (service names, apps, abbreviations).

    From training examples only words written in lower case somewhere: the examples hold made-up
    names ("my friend Tasha..."), which must stay names.
    """
    files = [Path(root) / paths.DOMAIN, *sorted((Path(root) / paths.DATA).rglob("*.yml"))]
    words = set()
    for path in files:
        if not path.exists():
            continue
        for line in path.read_text(encoding="utf-8").splitlines():
            tokens = _TOKEN.findall(line)
            if _EXAMPLE_LINE.match(line):
                tokens = [t for t in tokens if t.islower()]
            words.update(t.lower() for t in tokens)
    return frozenset(words)


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


def _directory_numbers(root: Path) -> FrozenSet[str]:
    path = Path(root) / paths.SERVICES
    if not path.exists():
        return frozenset()
    return frozenset(numbers_by_service(yaml.safe_load(path.read_text(encoding="utf-8"))))


@dataclass(frozen=True)
class Masker:
    vocabulary: FrozenSet[str]
    first_names: FrozenSet[str]
    ambiguous_names: FrozenSet[str]
    places: Tuple[str, ...] = ()
    kept_numbers: FrozenSet[str] = frozenset()

    def mask(self, text: str) -> str:
        text = _LONG_RUN.sub(URL, text)
        for pattern, placeholder in PATTERNS:
            text = pattern.sub(placeholder, text)
        text = _HANDLE_CUE.sub(self._handle, text)
        if _MENTIONS_PLATFORM.search(text):
            text = _USERNAME_SHAPE.sub(HANDLE, text)
        if _PLATE_CUE.search(text):
            text = _mask_plates(text)
        text = _SPELLED_NUMBER.sub(self._spelled_phone, text)
        text = _PHONE.sub(self._phone, text)
        return self._mask_names(text)

    def _handle(self, found: re.Match) -> str:
        handle = found.group("handle")
        lower = handle.lower()
        shaped = bool(re.search(r"[\d_.#]", handle))
        if not shaped and (self.is_word(lower) or lower in NOT_A_NAME or len(handle) < 3):
            return found.group(0)
        return _replace_group(found, "handle", HANDLE)

    def _phone(self, found: re.Match) -> str:
        number = found.group(0)
        if _DATE.match(number) or _YEARS.match(number) or digits(number) in self.kept_numbers:
            return number
        return PHONE

    def _spelled_phone(self, found: re.Match) -> str:
        number = "".join(
            _DIGIT_VALUES.get(d.lower(), d) for d in _DIGITS_IN.findall(found.group(0))
        )
        # Runs of digits alone are left to _PHONE, which also knows dates and years.
        words = re.search(r"[A-Za-z]", found.group(0))
        if len(number) < 7 or not words or digits(number) in self.kept_numbers:
            return found.group(0)
        return PHONE

    def _protected(self, text: str) -> List[Tuple[int, int]]:
        lower = text.lower()
        spans = []
        for place in self.places:
            for found in re.finditer(rf"(?<![\w]){re.escape(place)}(?![\w])", lower):
                spans.append(found.span())
        return spans

    def is_word(self, lower: str) -> bool:
        """An English or project word, also with a regular ending ("parents", "asked")."""
        lower = lower.removesuffix("'s")
        return lower in self.vocabulary or any(
            lower.endswith(end) and lower[: len(lower) - len(end)] + stem in self.vocabulary
            for end, stem in _ENDINGS
        )

    def _is_name(self, word: str, before: str, after: str) -> bool:
        lower = word.lower()
        capitalised = word[0].isupper()
        previous = before.rstrip(" \t")
        starts_sentence = not previous.strip() or previous[-1] in ".!?\n"
        if lower in NOT_A_NAME:
            return False
        if STRONG.search(before) or TITLE.search(before):
            return True
        if lower in self.first_names:
            return True
        if NAMING.search(before):
            return capitalised or lower in self.ambiguous_names or not self.is_word(lower)
        if lower in self.ambiguous_names:
            return capitalised and (
                not starts_sentence
                or bool(WEAK.search(before))
                or bool(_NAME_FOLLOWER.match(after))
            )
        if capitalised and not word.isupper() and not self.is_word(lower):
            return True
        if WEAK.search(before):
            return capitalised and not self.is_word(lower)
        return False

    def _is_surname(self, word: str, before_first_name: str) -> bool:
        """A word right after a masked name that is probably part of it ("Maria Lopez")."""
        lower = word.lower()
        if lower in NOT_A_NAME:
            return False
        if STRONG.search(before_first_name):
            return True
        return word[0].isupper() and not word.isupper()

    def _mask_names(self, text: str) -> str:
        protected = self._protected(text)
        spans: List[Tuple[int, int]] = []
        for token in _TOKEN.finditer(text):
            start, end = token.span()
            if text[max(start - 1, 0)] == "[":
                continue
            follows_name = spans and text[spans[-1][1] : start] == " "
            place = any(a <= start < b for a, b in protected)
            word = token.group(0)
            window = max(start - _CUE_WINDOW, 0)
            before = text[window:start]
            if follows_name and self._is_surname(word, text[window : spans[-1][0]]):
                spans.append((start, end))
            elif not place and self._is_name(word, before, text[end : end + _CUE_WINDOW]):
                title = TITLE.search(before)
                spans.append((window + title.start() if title else start, end))
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
    root = Path(root or paths.ROOT)
    first = _read_list("first_names.txt")
    ambiguous = _read_list("ambiguous_names.txt")
    places = tuple(_places(root))
    vocabulary = (
        _english_words() | _project_words(root) | NOT_A_NAME | set(places) | set(MAIN_STREETS)
    ) - first
    return Masker(
        vocabulary,
        first - set(places),
        ambiguous - set(places),
        places,
        _directory_numbers(root),
    )
