"""What the assistant should say, read from the project's data (never copied into the tests)."""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List

import yaml

REPO = Path(__file__).resolve().parents[2]
MARKUP = re.compile(r"\*\*|__|~~|`|<[a-zA-Z/][^>]*>|\]\(|^#{1,6} ", re.M)
PART_MARK = re.compile(r" \((\d+)/(\d+)\)$")
# GSM 03.38 basic character set (plus the extension table), the SMS alphabet.
GSM7 = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    "ÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà^{}\\[~]|€"
)


@lru_cache(maxsize=1)
def responses() -> Dict[str, List[Dict[str, Any]]]:
    found: Dict[str, List[Dict[str, Any]]] = {}
    for path in [REPO / "domain.yml", *sorted((REPO / "data").rglob("*.yml"))]:
        data = yaml.safe_load(path.read_text()) or {}
        if isinstance(data, dict):
            found.update(data.get("responses") or {})
    return found


def response(name: str) -> Dict[str, Any]:
    return responses()[name][0]


def buttons(name: str) -> List[Dict[str, str]]:
    return response(name).get("buttons") or []


def phone(service_id: str) -> str:
    raw = yaml.safe_load((REPO / "data/referrals/services.yml").read_text())
    return next(s for s in raw["services"] if s["id"] == service_id)["phone"][0]


def squash(text: str) -> str:
    return " ".join(text.split())


def without_part_marks(texts: List[str]) -> str:
    return "\n".join(PART_MARK.sub("", text) for text in texts)
