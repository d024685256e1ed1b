"""Rasa itself picks the youth variation of a response once `is_minor` is set.

The domain is built the way `rasa train` builds it (FAQ answers from data/faq
included), and the answers go through Rasa's own retrieval action, response
generator and action fallback, so these tests show what a minor actually gets.
"""

from __future__ import annotations

import pytest
from rasa.core.actions.action import ActionRetrieveResponse, RemoteAction
from rasa.core.channels.channel import CollectingOutputChannel
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter
from rasa.utils.endpoints import EndpointConfig
from test_action_fallback import closed_port

from serving import action_fallback
from serving.specific_responses import SpecificResponseGenerator

MINOR_SLOT = "is_minor"
# FAQ answers whose adult text would mislead a minor (adult sex-work framing, or consent).
ADULT_FRAMED_TOPICS = (
    "sex_work_legality_canada",
    "what_is_sex_work",
    "sex_work_vs_trafficking",
    "harms_of_conflation",
    "consent_and_trafficking",
)
YOUTH_NUMBERS = ("1-800-668-6868", "CONNECT to 686868", "310-1234")
ADULT_PAYLOADS = ("/request_sex_worker_support", "/faq/sex_work_legality_canada")


@pytest.fixture(scope="module")
def domain(root) -> Domain:
    importer = TrainingDataImporter.load_from_config(
        str(root / "config.yml"), str(root / "domain.yml"), [str(root / "data")]
    )
    return importer.get_domain()


def tracker_for(domain: Domain, minor: bool, parse_data=None) -> DialogueStateTracker:
    parse_data = parse_data or {"intent": {"name": "faq", "confidence": 1.0}}
    tracker = DialogueStateTracker.from_events(
        "someone",
        [UserUttered("question", parse_data["intent"], parse_data=parse_data)],
        slots=domain.slots,
    )
    if minor:
        tracker.update(SlotSet(MINOR_SLOT, True))
    return tracker


def faq_parse(topic: str) -> dict:
    key = f"faq/{topic}"
    return {
        "intent": {"name": "faq", "confidence": 1.0},
        "entities": [],
        "response_selector": {
            "faq": {
                "response": {
                    "intent_response_key": key,
                    "utter_action": f"utter_{key}",
                    "confidence": 1.0,
                    "responses": [],
                },
                "ranking": [],
            }
        },
    }


def said(events) -> dict:
    [bot] = [event for event in events if isinstance(event, BotUttered)]
    return {"text": bot.text, "buttons": bot.data.get("buttons")}


async def answer(domain: Domain, topic: str, minor: bool) -> dict:
    tracker = tracker_for(domain, minor, faq_parse(topic))
    events = await ActionRetrieveResponse("utter_faq").run(
        CollectingOutputChannel(),
        SpecificResponseGenerator(responses=domain.responses),
        tracker,
        domain,
    )
    return said(events)


def assert_youth(message: dict) -> None:
    text = message["text"]
    for number in YOUTH_NUMBERS:
        assert number in text, f"{number} missing: {text}"
    assert "sex worker" not in text.lower()
    payloads = [button["payload"] for button in message.get("buttons") or []]
    assert not set(payloads) & set(ADULT_PAYLOADS), payloads


@pytest.mark.parametrize("topic", [*ADULT_FRAMED_TOPICS, "youth_sexual_exploitation"])
async def test_a_minor_gets_the_youth_faq_answer_from_the_retrieval_action(domain, topic):
    youth = await answer(domain, topic, minor=True)
    adult = await answer(domain, topic, minor=False)
    assert youth["text"] != adult["text"]
    assert_youth(youth)
    assert "under 18" in youth["text"] and "under 19" in youth["text"]


async def test_an_adult_gets_the_adult_answer(domain):
    adult = await answer(domain, "sex_work_legality_canada", minor=False)
    assert "immunity" in adult["text"]


# What every youth variation must say, and never say, in each language.
YOUTH_TEXT = {
    "en": {"numbers": ("1-800-668-6868", "CONNECT to 686868"), "adult_words": ("sex worker",)},
    "fr": {
        "numbers": ("1-800-668-6868", "CONNECT au 686868"),
        "adult_words": ("travailleur du sexe", "travailleuse du sexe", "travailleurs du sexe"),
    },
}


def variant_language(variant: dict) -> str:
    conditions = variant.get("condition") or []
    return next((c["value"] for c in conditions if c.get("name") == "language"), "en")


def test_every_youth_variation_carries_the_youth_numbers_and_no_adult_framing(domain):
    youth = [
        (name, variant)
        for name, variants in domain.responses.items()
        for variant in variants
        if any(c.get("name") == MINOR_SLOT for c in variant.get("condition") or [])
    ]
    assert {f"utter_faq/{topic}" for topic in ADULT_FRAMED_TOPICS} <= {name for name, _ in youth}
    for name, variant in youth:
        text = variant["text"]
        rules = YOUTH_TEXT[variant_language(variant)]
        assert all(number in text for number in rules["numbers"]), name
        assert not any(word in text.lower() for word in rules["adult_words"]), name
        payloads = {button["payload"] for button in variant.get("buttons") or []}
        assert not payloads & set(ADULT_PAYLOADS), name


async def test_the_age_statement_answer_has_the_youth_numbers(domain):
    nlg = SpecificResponseGenerator(responses=domain.responses)
    message = await nlg.generate("utter_youth_info", tracker_for(domain, True), "rest")
    assert_youth(message)


@pytest.mark.parametrize("response", ["utter_fallback", "utter_out_of_scope"])
async def test_generic_replies_say_what_to_do_if_controlled_or_under_18(domain, response):
    nlg = SpecificResponseGenerator(responses=domain.responses)
    for minor in (False, True):
        message = await nlg.generate(response, tracker_for(domain, minor), "rest")
        assert "1-833-900-1010" in message["text"] and "1-800-668-6868" in message["text"]
        assert "911" in message["text"]


async def test_offline_help_for_a_minor_leads_with_youth_lines(domain):
    action_fallback.install()
    endpoint = EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook")
    events = await RemoteAction("action_refer_sex_worker_support", endpoint).run(
        CollectingOutputChannel(),
        SpecificResponseGenerator(responses=domain.responses),
        tracker_for(domain, True),
        domain,
    )
    text = said(events)["text"]
    assert text.index("1-800-668-6868") < text.index("1-833-900-1010")
    assert "310-1234" in text and "911" in text and "VictimLinkBC" not in text
