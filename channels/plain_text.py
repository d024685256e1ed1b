"""Plain text for messaging apps: Markdown and HTML removed, long answers split at sentence ends.

Links and phone numbers are kept as they are written, so phones can make them tappable.
"""

from __future__ import annotations

import html
import re
from typing import List

_MD_LINK = re.compile(r"\[([^\]\n]+)\]\(\s*<?([^)\s>]+)>?\s*\)")
_HTML_LINK = re.compile(r"<a\s[^>]*?href\s*=\s*[\"']([^\"']+)[\"'][^>]*>(.*?)</a\s*>", re.I | re.S)
_HTML_BREAK = re.compile(r"<br\s*/?>|</p\s*>|</div\s*>|</li\s*>|</h[1-6]\s*>", re.I)
_HTML_ITEM = re.compile(r"<li\b[^>]*>", re.I)
_HTML_TAG = re.compile(r"</?[a-zA-Z][^>]*>|<!--.*?-->", re.S)
_BOLD = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1", re.S)
_STAR_ITALIC = re.compile(r"(?<![\w*])\*(?=\S)([^*\n]+?)(?<=\S)\*(?![\w*])")
_UNDERSCORE_ITALIC = re.compile(r"(?<![\w_])_(?=\S)([^_\n]+?)(?<=\S)_(?![\w_])")
_STRIKE = re.compile(r"~~(?=\S)(.+?)(?<=\S)~~")
_CODE = re.compile(r"`+([^`\n]+?)`+")
_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]+", re.M)
_QUOTE = re.compile(r"^[ \t]{0,3}>[ \t]?", re.M)
_STAR_BULLET = re.compile(r"^([ \t]*)[*+][ \t]+", re.M)
_RULE = re.compile(r"^[ \t]*([-*_])([ \t]*\1){2,}[ \t]*$", re.M)
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.M)
_BLANK_LINES = re.compile(r"\n{3,}")

# GSM-7 is the SMS alphabet: one character outside it makes every part of the SMS hold 70
# characters instead of 153, so the same answer costs two to three times as many messages.
_GSM_FRIENDLY = str.maketrans(
    {
        "•": "-",
        "·": "-",
        "–": "-",
        "—": "-",
        "‑": "-",
        "‘": "'",
        "’": "'",
        "“": '"',
        "”": '"',
        "…": "...",
        "\u00a0": " ",
    }
)

# Where a long answer may be cut, best first: between paragraphs, lines, sentences, words.
_CUTS = (
    r"\n[ \t]*\n\s*",
    r"\n\s*",
    r"(?<=[.!?:;])\s+|(?<=[.!?][\"')\]])\s+",
    r"\s+",
)


def _bare(address: str) -> str:
    return re.sub(r"^(https?://)?(www\.)?", "", address.strip(), flags=re.I).rstrip("/").lower()


def _link(label: str, address: str) -> str:
    label = label.strip()
    if re.match(r"(tel|sms):", address, re.I) or _bare(address) == _bare(label):
        return label
    if address.lower().startswith("mailto:"):
        address = address[len("mailto:") :]
    return f"{label}: {address}" if label else address


def to_plain(text: str) -> str:
    """Removes Markdown and HTML formatting, keeping the words, links and line breaks."""
    text = text.replace("\r\n", "\n")
    text = _HTML_LINK.sub(lambda m: _link(_HTML_TAG.sub("", m.group(2)), m.group(1)), text)
    text = _HTML_BREAK.sub("\n", text)
    text = _HTML_ITEM.sub("- ", text)
    text = _HTML_TAG.sub("", text)
    text = html.unescape(text)
    text = _MD_LINK.sub(lambda m: _link(m.group(1), m.group(2)), text)
    text = _CODE.sub(r"\1", text)
    text = _RULE.sub("", text)
    text = _STAR_BULLET.sub(r"\1- ", text)
    text = _BOLD.sub(r"\2", text)
    text = _STRIKE.sub(r"\1", text)
    text = _STAR_ITALIC.sub(r"\1", text)
    text = _UNDERSCORE_ITALIC.sub(r"\1", text)
    text = _HEADING.sub("", text)
    text = _QUOTE.sub("", text)
    text = text.replace("**", "").replace("__", "")
    text = _TRAILING_SPACE.sub("", text)
    return _BLANK_LINES.sub("\n\n", text).strip()


def to_gsm(text: str) -> str:
    """Replaces typographic characters that would make an SMS cost more."""
    return text.translate(_GSM_FRIENDLY)


def split_message(text: str, limit: int) -> List[str]:
    """Cuts `text` into parts of at most `limit` characters, at the best place available."""
    text = text.strip()
    if not text:
        return []
    return [part.strip() for part in _split(text, limit, 0) if part.strip()]


def _split(text: str, limit: int, level: int) -> List[str]:
    if len(text) <= limit:
        return [text]
    if level == len(_CUTS):
        return [text[i : i + limit] for i in range(0, len(text), limit)]
    pieces = re.split(f"({_CUTS[level]})", text)
    if len(pieces) == 1:
        return _split(text, limit, level + 1)
    parts: List[str] = []
    current = ""
    for index in range(0, len(pieces), 2):
        piece = pieces[index]
        joined = current + pieces[index - 1] + piece if current else piece
        if len(joined) <= limit:
            current = joined
            continue
        if current:
            parts.append(current)
        if len(piece) <= limit:
            current = piece
        else:
            *done, current = _split(piece, limit, level + 1)
            parts.extend(done)
    if current:
        parts.append(current)
    return parts
