"""Text helpers shared by the checks and the review import: comparing examples, counting words."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

_ENTITY = re.compile(r"\[([^\]]+)\](?:\([^)]*\)|\{[^}]*\})")
_NOT_WORD = re.compile(r"[^a-z0-9 ]+")
_PLACEHOLDER = re.compile(r"\{[^{}]*\}")
_WORD = re.compile(r"[A-Za-z0-9][\w'’.-]*")


def plain(example: str) -> str:
    """An example without entity markup: "I'm in [Kelowna](location)" -> "I'm in Kelowna"."""
    return _ENTITY.sub(r"\1", example).strip()


def without_entities(example: str) -> str:
    """An example with its marked entities blanked, as the language router blanks extracted ones."""
    return _ENTITY.sub(" ", example).strip()


def normalise(text: str) -> str:
    """Lower case, no markup, no punctuation, single spaces: how examples are compared."""
    text = plain(text).lower().replace("’", "'").replace("'", "")
    return " ".join(_NOT_WORD.sub(" ", text).split())


# Words that do not change what a question asks, and text-speak spellings of common words.
FILLER = frozenset(
    [
        "please",
        "pls",
        "plz",
        "the",
        "a",
        "an",
        "um",
        "uh",
        "hey",
        "ok",
        "okay",
        "so",
        "just",
        "like",
        "lol",
        "really",
        "actually",
        "anyway",
    ]
)
TEXT_SPEAK = {"u": "you", "ur": "your", "r": "are", "y": "why", "wat": "what", "wats": "whats"}


def _words(normalised: str) -> list:
    words = [TEXT_SPEAK.get(w, w) for w in normalised.split()]
    kept = [w for w in words if w not in FILLER]
    return kept or words


def _typo_of(a: str, b: str) -> bool:
    """Two spellings of one word ("traficking", "trafficking"); short words must match exactly."""
    return (
        min(len(a), len(b)) >= 5
        and a[0] == b[0]
        and SequenceMatcher(None, a, b, autojunk=False).ratio() >= 0.85
    )


def similarity(a: str, b: str) -> float:
    """How alike two normalised texts are, from 0 to 1, word by word and in order.

    Spelling mistakes, filler words ("please", "the") and text-speak ("u") do not count as
    differences, so "wat is traficking" and "what is trafficking pls" score 1.0, while
    "what is sex work" and "is sex work trafficking" score 0.75.
    """
    words_a, words_b = _words(a), _words(b)
    known = set(words_a)
    words_b = [
        w if w in known else next((v for v in words_a if _typo_of(v, w)), w) for w in words_b
    ]
    return SequenceMatcher(None, words_a, words_b, autojunk=False).ratio()


def word_count(text: str) -> int:
    """Words a person reads; template slots such as {services} are not counted."""
    return len(_WORD.findall(_PLACEHOLDER.sub(" ", text)))


def example_lines(block: str) -> list:
    """(index of the line in the block, example text) for each '- ' line of an examples block."""
    found = []
    for index, line in enumerate(str(block).splitlines()):
        stripped = line.strip()
        if stripped.startswith("- "):
            found.append((index, stripped[2:].strip()))
        elif stripped == "-":
            found.append((index, ""))
    return found


_VOWELS = re.compile(r"[aeiouy]+")
_SENTENCE_END = re.compile(r"[.!?]+(?:\s|$)|\n+")


def syllables(word: str) -> int:
    """An estimate good enough for a reading grade: groups of vowels, a silent final e dropped."""
    word = word.lower().strip("'’.-")
    if not word:
        return 0
    if word.isdigit():
        return 1
    count = len(_VOWELS.findall(word))
    if word.endswith("e") and not word.endswith(("le", "ee")) and count > 1:
        count -= 1
    return max(count, 1)


def reading_grade(text: str) -> float:
    """Flesch-Kincaid grade level (school year needed to read the text); 0 for no words."""
    text = _PLACEHOLDER.sub(" ", text)
    words = _WORD.findall(text)
    if not words:
        return 0.0
    sentences = max(len([s for s in _SENTENCE_END.split(text) if _WORD.search(s)]), 1)
    per_sentence = len(words) / sentences
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(max(0.39 * per_sentence + 11.8 * per_word - 15.59, 0.0), 1)
