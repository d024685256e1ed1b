"""Both languages: every FAQ topic has examples and answers in English and French, and no French
young person can be given an adult text.

An example's language is the one the assistant itself detects (components/language_router.py),
so a French example counts only if a French message like it would reach the French answers. Staff
write each language's examples in their own block of the topic, marked in Rasa's intent metadata
(tools.project.block_language).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Dict, List, Set

from tools.checks.translations import variations
from tools.paths import FAQ_DIR
from tools.problems import Problem
from tools.project import (
    ANSWER_PREFIX,
    FAQ_PREFIX,
    LANGUAGE_KEY,
    METADATA_KEY,
    MORE_PREFIX,
    SOURCE_LANGUAGE,
    Block,
    Project,
)
from tools.situations import adult_framing_in

# Every FAQ topic is answered in these languages; each has its own block of examples.
FAQ_LANGUAGES = {SOURCE_LANGUAGE: "English", "fr": "French"}
MIN_EXAMPLES_PER_LANGUAGE = 10
YOUTH_CONDITION = "is_minor"


def example_language(text: str) -> str:
    """The language the assistant answers this message in: English unless it detects another."""
    # Imported here: the router loads Rasa, which only this check needs.
    from components.language_router import ENGLISH, detect_language

    detection = detect_language(text)
    return detection.language if detection else ENGLISH


def where_to_add(intent: str, language: str, block: Block | None) -> str:
    """Where staff add a topic's examples in `language` (its block, if it has one), for a fix."""
    name = FAQ_LANGUAGES.get(language, language)
    if language == SOURCE_LANGUAGE:
        return f"in the topic's {name} list (the first one, with no `{LANGUAGE_KEY}:` line)"
    if block is not None:
        return f"in the topic's {name} list (the one marked `{LANGUAGE_KEY}: {language}`)"
    header = [f"- intent: {intent}", f"  {METADATA_KEY}:", f"    {LANGUAGE_KEY}: {language}"]
    return (
        f"in a new {name} list after the topic's English list: start it with the lines "
        + ", ".join(f"`{line}`" for line in [*header, "  examples: |"])
        + " (one per line, indented as shown)"
    )


def _languages_by_response(project: Project) -> Dict[str, Dict[str, Set[str]]]:
    """response -> language -> the `when` of each of its variations in that language."""
    found: Dict[str, Dict[str, Set[str]]] = defaultdict(lambda: defaultdict(set))
    for variation in variations(project):
        found[variation.response][variation.language].add(variation.when)
    return found


def _where(project: Project, name: str, fallback: str) -> tuple:
    variation = next((v for v in variations(project) if v.response == name), None)
    return (variation.file, variation.line) if variation else (fallback, None)


def examples_in_each_language(
    project: Project, minimum: int = MIN_EXAMPLES_PER_LANGUAGE
) -> List[Problem]:
    counts: Dict[str, Dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for example in project.examples:
        if example.intent.startswith(FAQ_PREFIX):
            counts[example.intent][example_language(example.plain)] += 1
    problems = []
    for topic in project.topics():
        intent = f"{FAQ_PREFIX}{topic}"
        for language, name in FAQ_LANGUAGES.items():
            count = counts[intent][language]
            if count >= minimum:
                continue
            own = project.intent_block(intent, language)
            block = own or project.intent_block(intent)
            problems.append(
                Problem(
                    block.file if block else FAQ_DIR,
                    block.line if block else None,
                    f'The topic "{topic}" has {count} example questions the assistant reads as '
                    f"{name}; it needs at least {minimum}.",
                    f"Add {name} questions {where_to_add(intent, language, own)}, written the "
                    "ways people ask. Write whole sentences: a few words, or many English words, "
                    f"may not be read as {name}.",
                )
            )
    return problems


def known_block_languages(project: Project) -> List[Problem]:
    """A block marked with a language the assistant is not trained for would be misfiled."""
    problems = []
    for block in project.blocks:
        if block.kind != "intent" or block.language in FAQ_LANGUAGES:
            continue
        others = " or ".join(
            f"`{LANGUAGE_KEY}: {code}` for {name}"
            for code, name in FAQ_LANGUAGES.items()
            if code != SOURCE_LANGUAGE
        )
        problems.append(
            Problem(
                block.file,
                block.line,
                f'The examples of "{block.name}" are marked `{LANGUAGE_KEY}: {block.language}`, '
                "which is not a language the assistant is trained for.",
                f"Write {others}. An English list has no `{METADATA_KEY}:` lines at all.",
            )
        )
    return problems


def answers_in_each_language(project: Project) -> List[Problem]:
    """Each topic's answer, and its "tell me more" answer if it has one, in every language."""
    by_response = _languages_by_response(project)
    problems = []
    for topic in project.topics():
        for name in (f"{ANSWER_PREFIX}{topic}", f"{MORE_PREFIX}{topic}"):
            if name not in by_response:
                continue  # a missing answer is reported by tools.checks.answers
            for language, language_name in FAQ_LANGUAGES.items():
                if "" in by_response[name].get(language, set()):
                    continue
                file, line = _where(project, name, FAQ_DIR)
                condition = (
                    "with no language condition"
                    if language == SOURCE_LANGUAGE
                    else f"with the condition language: {language}"
                )
                problems.append(
                    Problem(
                        file,
                        line,
                        f'"{name}" has no {language_name} text, so people writing in '
                        f"{language_name} get another language.",
                        f"Add a variation {condition} under {name} (see STAFF_GUIDE.md), with "
                        "the same facts and buttons.",
                    )
                )
    return problems


def youth_text_in_each_language(project: Project) -> List[Problem]:
    """A response with a youth version and a translation needs the translated youth version too.

    Without it a young person writing in that language would get the adult text.
    """
    by_response = _languages_by_response(project)
    problems = []
    for name, languages in sorted(by_response.items()):
        if YOUTH_CONDITION not in languages.get(SOURCE_LANGUAGE, set()):
            continue
        for language, whens in sorted(languages.items()):
            if language == SOURCE_LANGUAGE or YOUTH_CONDITION in whens:
                continue
            language_name = FAQ_LANGUAGES.get(language, language)
            file, line = _where(project, name, FAQ_DIR)
            problems.append(
                Problem(
                    file,
                    line,
                    f'"{name}" has a youth version and a {language_name} version, but no '
                    f"{language_name} youth version: a young person writing in {language_name} "
                    "would get the adult text.",
                    f"Add a variation with both conditions ({YOUTH_CONDITION}: true and "
                    f"language: {language}), translating the youth version.",
                )
            )
    return problems


def youth_text_without_adult_framing(project: Project) -> List[Problem]:
    """A youth version never frames a young person as an adult who sells sex."""
    problems = []
    for variation in variations(project):
        if YOUTH_CONDITION not in variation.when.split("+"):
            continue
        found = adult_framing_in(variation.text, variation.buttons, variation.language)
        if found:
            problems.append(
                Problem(
                    variation.file,
                    variation.line,
                    f'The youth version of "{variation.response}" has adult sex-work framing '
                    f"({'; '.join(found)}): a person under 18 must never get it.",
                    "Write it for a young person: name the youth lines, say it is not their "
                    "fault, and leave out adult services, adult law and buttons to them.",
                )
            )
    return problems


def check(project: Project) -> List[Problem]:
    return [
        *known_block_languages(project),
        *examples_in_each_language(project),
        *answers_in_each_language(project),
        *youth_text_in_each_language(project),
        *youth_text_without_adult_framing(project),
    ]
