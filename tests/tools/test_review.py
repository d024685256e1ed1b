"""`make review` on a tracker store written with Rasa's own SQLTrackerStore."""

from __future__ import annotations

import csv
import time

import pytest
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tools.masking import default_masker
from tools.review import COLUMNS
from tools.review import main as review_main

NOW = time.time()
DAY = 86400


def parse(intent, confidence, topic=None, answer_confidence=None, ranking=None):
    data = {
        "intent": {"name": intent, "confidence": confidence},
        "intent_ranking": ranking or [{"name": intent, "confidence": confidence}],
    }
    if topic:
        data["response_selector"] = {
            "faq": {
                "response": {"intent_response_key": f"faq/{topic}", "confidence": answer_confidence}
            }
        }
    return data


async def save_conversation(db, sender, messages):
    """messages: (text, parse data, timestamp); each answered by the bot, as Rasa stores it."""
    store = SQLTrackerStore(domain=Domain.empty(), dialect="sqlite", db=str(db))
    events = []
    for text, data, timestamp in messages:
        events += [
            UserUttered(text, intent=data["intent"], parse_data=data, timestamp=timestamp),
            ActionExecuted("utter_fallback", timestamp=timestamp + 1),
            BotUttered("Sorry...", timestamp=timestamp + 1),
        ]
    await store.save(DialogueStateTracker.from_events(sender, events))


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("Hi my name is Jessica and I need help", "Hi my name is [NAME] and I need help"),
        ("my name is tyrone smith, im 16", "my name is [NAME], im 16"),
        ("I'm Kayleigh, he took my passport", "I'm [NAME], he took my passport"),
        ("My friend Tamsin is sold by her bf Dmitri", "My friend [NAME] is sold by her bf [NAME]"),
        ("I told Will and Maria Lopez", "I told [NAME] and [NAME]"),
        (
            "text 604-555-0199 or (778) 555 0100 or +1 604 555 0100",
            "text [PHONE] or [PHONE] or [PHONE]",
        ),
        ("write to jane.doe+x@gmail.com", "write to [EMAIL]"),
        ("my ad is on leolist.cc/abc and https://example.com/x", "my ad is on [URL] and [URL]"),
        ("follow @sweetgirl99", "follow [HANDLE]"),
        ("I live at 1234 Main St, apt 5, V6A 1B2", "I live at [ADDRESS], [ADDRESS], [ADDRESS]"),
        ("#204-1550 West 8th Ave", "[ADDRESS]"),
        ("the motel on 123 Kingsway", "the motel on [ADDRESS]"),
        # Kept: not personal, or needed to understand the message.
        ("I'm scared and alone", "I'm scared and alone"),
        ("I'm 15 and a guy gives me stuff", "I'm 15 and a guy gives me stuff"),
        ("im in Prince George", "im in Prince George"),
        ("is sex work legal in Victoria", "is sex work legal in Victoria"),
        ("Will you help me?", "Will you help me?"),
        ("a john hurt me", "a john hurt me"),
        ("it happened on 2024-01-15", "it happened on 2024-01-15"),
    ],
)
def test_masking(text, masked):
    assert default_masker().mask(text) == masked


async def test_review_exports_missed_messages_with_personal_details_masked(tmp_path, tiny):
    db = tmp_path / "trackers.db"
    await save_conversation(
        db,
        "person-1",
        [
            (
                "my name is Jessica, call me at 604-555-0199",
                parse(
                    "nlu_fallback",
                    0.45,
                    ranking=[
                        {"name": "nlu_fallback", "confidence": 0.45},
                        {"name": "request_help", "confidence": 0.4},
                    ],
                ),
                NOW - 3 * DAY,
            ),
            (
                "email jane.doe@example.com about 1234 Main St",
                parse("out_of_scope", 0.8),
                NOW - 2 * DAY,
            ),
            (
                "I'm Kayleigh and my friend Tamsin is on www.bad-site.com",
                parse("faq", 0.9, "alpha", 0.41),
                NOW - DAY,
            ),
            ("what is alpha", parse("faq", 0.97, "alpha", 0.95), NOW - DAY),
            ("/faq/alpha", parse("faq", 1.0, "alpha", 1.0), NOW - DAY),
        ],
    )
    out = tmp_path / "missed.csv"
    assert review_main(["--root", str(tiny), "--db", str(db), "--out", str(out)]) == 0
    content = out.read_text(encoding="utf-8-sig")
    for secret in (
        "Jessica",
        "604-555-0199",
        "jane.doe",
        "1234 Main",
        "Kayleigh",
        "Tamsin",
        "bad-site",
    ):
        assert secret not in content
    rows = list(csv.DictReader(content.splitlines()))
    assert tuple(rows[0]) == COLUMNS
    assert [(r["text"], r["predicted_intent"], r["confidence"], r["label"]) for r in rows] == [
        ("I'm [NAME] and my friend [NAME] is on [URL]", "faq/alpha", "0.41", ""),
        ("email [EMAIL] about [ADDRESS]", "out_of_scope", "0.80", ""),
        (
            "my name is [NAME], call me at [PHONE]",
            "nlu_fallback (closest: request_help)",
            "0.40",
            "",
        ),
    ]
