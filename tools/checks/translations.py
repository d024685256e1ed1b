"""Translated texts and who reviewed them.

A translated text is a response variation in domain.yml with a condition on the `language`
slot (other than English); a variation also conditioned on `is_minor` is a text of its own (its
record has `audience: youth`). data/translations/review.yml records, for each one, who checked it
and the fingerprint of the text they checked: editing the text changes its fingerprint, so the
review no longer counts. Texts nobody fluent has reviewed are warnings (listed by `make
check`), not errors: the text may still be sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List

from tools.paths import DOMAIN, ROOT, TRANSLATION_REVIEW, WIDGET_SCRIPT
from tools.problems import Problem
from tools.project import Project
from tools.yaml_io import line_of_item

LANGUAGE_SLOT = "language"
MINOR_SLOT = "is_minor"
YOUTH = "youth"
# The widget keeps its own review record next to its strings (it is served as one file).
WIDGET_REVIEW = re.compile(r"var TRANSLATION_REVIEW = (\{.*?\});", re.DOTALL)
SOURCE_LANGUAGE = "en"


@dataclass(frozen=True)
class Translation:
    response: str
    language: str
    text: str
    line: int | None
    audience: str = ""

    @property
    def key(self) -> str:
        return record_key(self.response, self.language, self.audience)

    @property
    def label(self) -> str:
        return f'"{self.response}"' + (f" ({self.audience})" if self.audience else "")

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def record_key(response: Any, language: Any, audience: Any = "") -> str:
    """ "response/language", with "/youth" for the text a minor reads."""
    return f"{response}/{language}" + (f"/{audience}" if audience else "")


def fingerprint(text: str) -> str:
    """A short hash of the text as a person reads it (Unicode-normalised, outer spaces removed)."""
    normal = unicodedata.normalize("NFC", text).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def translations(project: Project) -> Iterator[Translation]:
    """Every response variation shown for a language other than English."""
    responses = (project.documents.get(DOMAIN) or {}).get("responses") or {}
    for name, variants in responses.items():
        for index, variant in enumerate(variants if isinstance(variants, list) else []):
            language = _language_of(variant)
            if language and language != SOURCE_LANGUAGE:
                text = str(variant.get("text") or "")
                line = line_of_item(variants, index)
                yield Translation(str(name), language, text, line, _audience_of(variant))


def _language_of(variant: Any) -> str | None:
    if not isinstance(variant, dict):
        return None
    for condition in variant.get("condition") or []:
        if isinstance(condition, dict) and condition.get("name") == LANGUAGE_SLOT:
            return str(condition.get("value"))
    return None


def _audience_of(variant: Dict[str, Any]) -> str:
    minor = any(
        isinstance(condition, dict)
        and condition.get("name") == MINOR_SLOT
        and condition.get("value") is True
        for condition in variant.get("condition") or []
    )
    return YOUTH if minor else ""


def reviews(project: Project) -> Dict[str, Dict[str, Any]]:
    """Review records by "response/language"."""
    document = project.documents.get(TRANSLATION_REVIEW) or {}
    records = {}
    for record in document.get("translations") or []:
        if isinstance(record, dict):
            key = record_key(record.get("response"), record.get("language"), record.get("audience"))
            records[key] = record
    return records


def unreviewed(project: Project) -> List[Problem]:
    """Translated texts that no fluent speaker has signed off in their current wording."""
    records = reviews(project)
    warnings = []
    for text in translations(project):
        record = records.get(text.key) or {}
        name = record.get("name") or text.language
        if not record:
            message = f"The {text.language} text of {text.label} has no review record."
        elif not record.get("reviewed_by"):
            message = f"The {name} text of {text.label} is not reviewed yet."
        elif record.get("fingerprint") != text.fingerprint:
            reviewer = record["reviewed_by"]
            message = f"The {name} text of {text.label} changed after {reviewer} reviewed it."
        else:
            continue
        warnings.append(
            Problem(
                DOMAIN,
                text.line,
                message,
                f"A fluent {name} speaker reads it; then in {TRANSLATION_REVIEW}, for {text.key}, "
                f'sets reviewed_by, reviewed_on and fingerprint: "{text.fingerprint}".',
            )
        )
    return warnings


def unreviewed_widget_strings(root=ROOT) -> List[Problem]:
    """The widget's languages whose strings no fluent speaker has signed off."""
    path = root / WIDGET_SCRIPT
    source = path.read_text(encoding="utf-8") if path.exists() else ""
    match = WIDGET_REVIEW.search(source)
    if not match:
        return []
    line = source[: match.start()].count("\n") + 1
    return [
        Problem(
            WIDGET_SCRIPT,
            line,
            f"The widget's {record.get('name') or language} strings are not reviewed yet.",
            f"A fluent speaker reads the {language!r} strings (STRINGS.{language}); then sets "
            "reviewed_by and reviewed_on in TRANSLATION_REVIEW.",
        )
        for language, record in json.loads(match.group(1)).items()
        if not record.get("reviewed_by")
    ]
