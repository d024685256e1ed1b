"""Translated texts and who reviewed them.

A translated text is a response variation (in domain.yml or a data file, such as an FAQ topic)
with a condition on the `language` slot (other than English). A variation with more conditions
(the youth version, `is_minor`) is a text of its own: its review record names those conditions
in `when`. data/translations/review.yml records, for each text, who checked it and the
fingerprint of the text they checked: editing the text changes its fingerprint, so the review no
longer counts. Texts nobody fluent has reviewed are warnings (listed by `make check`), not
errors: the text may still be sent.
"""

from __future__ import annotations

import hashlib
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List

from tools.paths import DATA, DOMAIN, ROOT, TRANSLATION_REVIEW, WIDGET_SCRIPT
from tools.problems import Problem
from tools.project import SOURCE_LANGUAGE, Project
from tools.yaml_io import line_of_item

LANGUAGE_SLOT = "language"
# The widget keeps its own review record next to its strings (it is served as one file).
WIDGET_REVIEW = re.compile(r"var TRANSLATION_REVIEW = (\{.*?\});", re.DOTALL)


@dataclass(frozen=True)
class Variation:
    """One variation of a response, with the language it is shown in."""

    response: str
    language: str  # SOURCE_LANGUAGE when no condition names another language
    when: str  # the other conditions, e.g. "is_minor"; "" for none
    text: str
    file: str
    line: int | None
    buttons: tuple = ()


@dataclass(frozen=True)
class Translation:
    response: str
    language: str
    text: str
    line: int | None
    file: str = DOMAIN
    when: str = ""

    @property
    def key(self) -> str:
        return review_key(self.response, self.language, self.when)

    @property
    def fingerprint(self) -> str:
        return fingerprint(self.text)


def fingerprint(text: str) -> str:
    """A short hash of the text as a person reads it (Unicode-normalised, outer spaces removed)."""
    normal = unicodedata.normalize("NFC", text).strip()
    return hashlib.sha256(normal.encode("utf-8")).hexdigest()[:12]


def review_key(response: str, language: str, when: str = "") -> str:
    """How a text is named in the review file: "response/language", then "/when" if any."""
    return f"{response}/{language}" + (f"/{when}" if when else "")


def variations(project: Project) -> Iterator[Variation]:
    """Every response variation in domain.yml and the data files, with its language."""
    for file, document in project.documents.items():
        if file != DOMAIN and not file.startswith(f"{DATA}/"):
            continue
        responses = document.get("responses") if isinstance(document, dict) else None
        for name, variants in (responses if isinstance(responses, dict) else {}).items():
            for index, variant in enumerate(variants if isinstance(variants, list) else []):
                if not isinstance(variant, dict):
                    continue
                language, when = conditions_of(variant)
                text = str(variant.get("text") or "")
                line = line_of_item(variants, index)
                buttons = tuple(b for b in variant.get("buttons") or [] if isinstance(b, dict))
                yield Variation(str(name), language, when, text, file, line, buttons)


def translations(project: Project) -> Iterator[Translation]:
    """Every response variation shown for a language other than English."""
    for variation in variations(project):
        if variation.language != SOURCE_LANGUAGE:
            yield Translation(
                variation.response,
                variation.language,
                variation.text,
                variation.line,
                variation.file,
                variation.when,
            )


def conditions_of(variant: Dict[str, Any]) -> tuple:
    """(language, the other conditions' slot names joined by "+") of one variation."""
    language, others = SOURCE_LANGUAGE, []
    for condition in variant.get("condition") or []:
        if not isinstance(condition, dict):
            continue
        if condition.get("name") == LANGUAGE_SLOT:
            language = str(condition.get("value"))
        else:
            others.append(str(condition.get("name")))
    return language, "+".join(sorted(others))


def reviews(project: Project) -> Dict[str, Dict[str, Any]]:
    """Review records by "response/language" (and "/when" for a variation with more conditions)."""
    document = project.documents.get(TRANSLATION_REVIEW) or {}
    records = {}
    for record in document.get("translations") or []:
        if isinstance(record, dict):
            key = review_key(
                str(record.get("response")), str(record.get("language")), record.get("when") or ""
            )
            records[key] = record
    return records


def unreviewed(project: Project) -> List[Problem]:
    """Translated texts that no fluent speaker has signed off in their current wording."""
    records = reviews(project)
    warnings = []
    for text in translations(project):
        record = records.get(text.key) or {}
        name = record.get("name") or text.language
        which = f'"{text.response}"' + (f" (when {text.when})" if text.when else "")
        if not record:
            message = f"The {text.language} text of {which} has no review record."
        elif not record.get("reviewed_by"):
            message = f"The {name} text of {which} is not reviewed yet."
        elif record.get("fingerprint") != text.fingerprint:
            reviewer = record["reviewed_by"]
            message = f"The {name} text of {which} changed after {reviewer} reviewed it."
        else:
            continue
        warnings.append(
            Problem(
                text.file,
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
