"""French FAQ answers, as Rasa's retrieval action gives them once the conversation is French.

The domain is built the way `rasa train` builds it, so these tests show what a person writing in
French gets for each topic, and that a French-speaking minor never gets an adult text.
"""

from __future__ import annotations

from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from test_youth_responses import (
    domain,  # noqa: F401 (the fixture)
    faq_parse,
    variant_language,
    said,
    tracker_for,
)

from components.language_router import detect_language
from tools.project import ANSWER_PREFIX, load_project

YOUTH_CONDITION = "is_minor"
# Rasa picks at random among the variations that match: ask often enough to see each.
TRIES = 8


async def french_answer(domain, topic: str, minor: bool) -> dict:  # noqa: F811
    tracker = tracker_for(domain, minor, faq_parse(topic))
    tracker.update(SlotSet("language", "fr"))
    events = await ActionRetrieveResponse("utter_faq").run(
        CollectingOutputChannel(),
        TemplatedNaturalLanguageGenerator(domain.responses),
        tracker,
        domain,
    )
    return said(events)


def variants(domain, topic: str) -> list:  # noqa: F811
    return domain.responses[f"{ANSWER_PREFIX}{topic}"]


def is_youth(variant: dict) -> bool:
    return any(c.get("name") == YOUTH_CONDITION for c in variant.get("condition") or [])


async def test_every_topic_answers_a_french_conversation_in_french(domain, root):  # noqa: F811
    for topic in load_project(root).topics():
        message = await french_answer(domain, topic, minor=False)
        detection = detect_language(message["text"])
        assert detection and detection.language == "fr", (topic, message["text"][:80])
        english_titles = {
            button["title"]
            for variant in variants(domain, topic)
            if variant_language(variant) == "en"
            for button in variant.get("buttons") or []
        }
        titles = {button["title"] for button in message["buttons"] or []}
        assert titles and not titles & english_titles, (topic, titles)


async def test_a_french_speaking_minor_always_gets_a_youth_text(domain, root):  # noqa: F811
    for topic in load_project(root).topics():
        youth = [v["text"] for v in variants(domain, topic) if is_youth(v)]
        if not youth:
            continue
        assert any(variant_language(v) == "fr" for v in variants(domain, topic) if is_youth(v)), topic
        for _ in range(TRIES):
            message = await french_answer(domain, topic, minor=True)
            assert message["text"] in youth, topic
