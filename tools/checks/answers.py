"""Answers: each topic has one, each answer a topic; answers are short, buttons lead somewhere."""

from __future__ import annotations

import difflib
import re
from pathlib import PurePosixPath
from typing import List

from tools.paths import DOMAIN, FAQ_DIR
from tools.problems import Problem
from tools.project import ANSWER_PREFIX, FAQ_PREFIX, MORE_PREFIX, RETRIEVAL_INTENT, Project
from tools.text import word_count

MAX_WORDS = 120
PAYLOAD = re.compile(r"^/(?P<intent>[\w-]+)(?:/(?P<topic>[\w-]+))?(?P<entities>\{.*\})?$")


def _suggest(name: str, known: List[str]) -> str:
    close = difflib.get_close_matches(name, known, n=1)
    return f' Did you mean "{close[0]}"?' if close else ""


def intents_not_in_domain(project: Project) -> List[Problem]:
    problems = []
    for block in project.intent_blocks():
        if block.file.startswith("tests/"):
            continue
        base = block.name.split("/")[0]
        if base not in project.domain_intents:
            problems.append(
                Problem(
                    block.file,
                    block.line,
                    f'The intent "{base}" is not listed in {DOMAIN}.',
                    f'Add "  - {base}" under "intents:" in {DOMAIN}, and a rule in '
                    "data/rules.yml saying what the assistant does for it. For an FAQ topic, "
                    f'write "intent: {FAQ_PREFIX}<topic>" instead.',
                )
            )
    return problems


def topics_and_answers(project: Project) -> List[Problem]:
    topics = project.topics()
    answers = {r.name: r for r in project.responses}
    problems = []
    for topic in topics:
        if f"{ANSWER_PREFIX}{topic}" not in answers:
            block = project.intent_block(f"{FAQ_PREFIX}{topic}")
            problems.append(
                Problem(
                    block.file if block else FAQ_DIR,
                    block.line if block else None,
                    f'The topic "{topic}" has example questions but no answer.',
                    f'Add a "responses:" section with "{ANSWER_PREFIX}{topic}:" and its text '
                    '(see STAFF_GUIDE.md, "Add a new FAQ topic").',
                )
            )
    for name, response in answers.items():
        if name.startswith(ANSWER_PREFIX):
            topic = name[len(ANSWER_PREFIX) :]
            kind = "answer"
        elif name.startswith(MORE_PREFIX):
            topic = name[len(MORE_PREFIX) :]
            kind = '"tell me more" answer'
        else:
            continue
        if topic not in topics:
            problems.append(
                Problem(
                    response.file,
                    response.line,
                    f'The {kind} "{name}" belongs to no topic: no examples are filed under '
                    f'"{FAQ_PREFIX}{topic}".{_suggest(topic, topics)}',
                    f'Add example questions under "- intent: {FAQ_PREFIX}{topic}", correct the '
                    "name, or delete the answer.",
                )
            )
    return problems


def faq_file_names(project: Project) -> List[Problem]:
    problems = []
    for block in project.intent_blocks():
        path = PurePosixPath(block.file)
        if str(path.parent) != FAQ_DIR:
            continue
        expected = f"{FAQ_PREFIX}{path.stem}"
        if block.name != expected:
            problems.append(
                Problem(
                    block.file,
                    block.line,
                    f'This file holds "{block.name}", but files in {FAQ_DIR}/ hold the topic of '
                    f'their name ("{expected}").',
                    f'Name the file after its topic ({FAQ_DIR}/<topic>.yml with "intent: '
                    f'{FAQ_PREFIX}<topic>"); other intents go in data/nlu/<intent>.yml.',
                )
            )
    return problems


def answer_length(project: Project, limit: int = MAX_WORDS) -> List[Problem]:
    problems = []
    for response in project.responses:
        words = word_count(response.text)
        if words > limit:
            problems.append(
                Problem(
                    response.file,
                    response.line,
                    f'The answer "{response.name}" is {words} words long; the limit is {limit}.',
                    "People read on phones, some in a second language: shorten it. Details can "
                    f'go in a "tell me more" answer ({MORE_PREFIX}<topic>).',
                )
            )
    return problems


def buttons(project: Project) -> List[Problem]:
    topics = project.topics()
    intents = sorted(project.domain_intents)
    problems = []
    for response in project.responses:
        for button in response.buttons:
            where = f'The button "{button.title}" of "{response.name}"'
            if not button.payload.startswith("/"):
                continue  # plain text: sent as if the person had typed it
            match = PAYLOAD.match(button.payload.strip())
            if not match:
                problem = f'{where} has the payload "{button.payload}", which cannot be read.'
                fix = 'Write "/faq/<topic>" for an FAQ answer or "/<intent>" for help.'
            elif match["topic"] is not None or match["intent"] == RETRIEVAL_INTENT:
                topic = match["topic"] or ""
                if match["intent"] == RETRIEVAL_INTENT and topic in topics:
                    continue
                problem = (
                    f"{where} points to {button.payload}, but there is no FAQ topic "
                    f'"{topic}".{_suggest(topic, topics)}'
                )
                fix = f"Use one of the topics (file names in {FAQ_DIR}/): " + ", ".join(topics)
            elif match["intent"] in intents:
                entities = match["entities"]
                if entities is None or (entities.startswith("{{") and entities.endswith("}}")):
                    continue
                # Rasa fills {name} in a response from the slots, buttons included; doubled
                # braces reach the person as single ones, without an error in the log.
                problem = (
                    f"{where} has the payload {button.payload}, whose braces Rasa reads as a slot."
                )
                fix = "Double the braces: " + button.payload.replace("{", "{{").replace("}", "}}")
            else:
                problem = (
                    f'{where} points to {button.payload}, but "{match["intent"]}" is not an '
                    f"intent in {DOMAIN}.{_suggest(match['intent'], intents)}"
                )
                fix = f'Use "/faq/<topic>" or one of the intents listed in {DOMAIN}.'
            problems.append(Problem(response.file, button.line or response.line, problem, fix))
    return problems


def check(project: Project) -> List[Problem]:
    return [
        *intents_not_in_domain(project),
        *topics_and_answers(project),
        *faq_file_names(project),
        *answer_length(project),
        *buttons(project),
    ]
