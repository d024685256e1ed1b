"""French FAQ answers, as Rasa's retrieval action gives them once the conversation is French.

The domain is built the way `rasa train` builds it and the replies come from the response
generator named in endpoints.yml, so these tests show what a person writing in French gets for
each topic, and that a French-speaking minor gets the French youth text wherever there is a youth
text.
"""

from __future__ import annotations

from rasa.core.actions.action import ActionRetrieveResponse
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.core.nlg.generator import NaturalLanguageGenerator
from rasa.shared.core.events import SlotSet
from rasa.utils.endpoints import read_endpoint_config
from test_youth_responses import (
    domain,  # noqa: F401 (the fixture)
    faq_parse,
    said,
    tracker_for,
    variant_language,
)

from components.language_router import detect_language
from tools.paths import ENDPOINTS, ROOT
from tools.project import ANSWER_PREFIX, load_project

YOUTH_CONDITION = "is_minor"
ENDPOINTS_FILE = ROOT / ENDPOINTS
# Rasa picks at random among the variations that match: ask often enough to see each.
TRIES = 8


async def french_answer(domain, topic: str, minor: bool) -> dict:  # noqa: F811
    tracker = tracker_for(domain, minor, faq_parse(topic))
    tracker.update(SlotSet("language", "fr"))
    events = await ActionRetrieveResponse("utter_faq").run(
        CollectingOutputChannel(),
        NaturalLanguageGenerator.create(read_endpoint_config(str(ENDPOINTS_FILE), "nlg"), domain),
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


async def test_a_french_speaking_minor_gets_the_french_youth_text(domain, root):  # noqa: F811
    for topic in load_project(root).topics():
        french_youth = [
            v["text"]
            for v in variants(domain, topic)
            if is_youth(v) and variant_language(v) == "fr"
        ]
        if not any(is_youth(v) for v in variants(domain, topic)):
            continue
        assert len(french_youth) == 1, topic
        for _ in range(TRIES):
            message = await french_answer(domain, topic, minor=True)
            assert message["text"] == french_youth[0], topic
