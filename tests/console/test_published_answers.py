"""Answers published without training: what is published, what the server says, rollback."""

from __future__ import annotations

import asyncio
import json

import pytest
from rasa.shared.core.domain import Domain
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.utils.endpoints import EndpointConfig

from console import edits
from serving.specific_responses import SpecificResponseGenerator
from tools.model_store import StoreError, publish, publish_answers, read_state, rollback
from tools.published_answers import PublishedAnswers, model_responses, pending, variants_hash

ALPHA = "utter_faq/alpha"


def say(nlg, name: str) -> str:
    tracker = DialogueStateTracker("someone", [])
    return asyncio.run(nlg.generate(name, tracker, "rest"))["text"]


def test_hashes_agree_however_the_answers_were_read(trained, tiny):
    from tools.published_answers import content_responses

    own = model_responses(trained)
    content = content_responses(tiny)
    assert own and {n: variants_hash(v) for n, v in own.items()} == {
        n: variants_hash(v) for n, v in content.items()
    }


def test_only_changed_answers_the_model_has_are_published(tiny, trained, edit):
    edits.save_answer(tiny, ALPHA, "Alpha is the first topic, in new words.")
    edit(
        tiny,
        "domain.yml",
        "utter_fallback:",
        "utter_brand_new:\n    - text: New.\n  utter_fallback:",
    )
    waiting = pending(tiny, trained)
    assert list(waiting["replace"]) == [ALPHA]
    assert waiting["need_training"] == ["utter_brand_new"]


def test_publish_answers_then_roll_back(tiny, trained):
    publish(tiny, trained, "first")
    with pytest.raises(StoreError, match="already live"):
        publish_answers(tiny, "nothing changed")
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    entry = publish_answers(tiny, "answers by alice")
    state = read_state(tiny)
    assert state["current"]["answers"] == entry["answers"]
    assert state["current"]["file"] == state["previous"]["file"]  # the same model: no training
    folder = tiny / "models" / "published"
    published = PublishedAnswers(folder)
    own = model_responses(trained)[ALPHA]
    assert published.variants_for(ALPHA, own)[0]["text"] == "Alpha, in new words."
    rollback(tiny)
    assert PublishedAnswers(folder).variants_for(ALPHA, own) is None
    assert published.variants_for(ALPHA, own) is None  # the running server notices the change


def test_the_server_says_the_published_text_and_only_over_the_text_it_replaces(tiny, trained):
    publish(tiny, trained, "first")
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    publish_answers(tiny, "answers")
    folder = tiny / "models" / "published"
    domain = Domain.from_dict({"responses": model_responses(trained)})
    nlg = SpecificResponseGenerator(EndpointConfig(published=str(folder)), domain)
    assert say(nlg, ALPHA) == "Alpha, in new words."
    assert say(nlg, "utter_greet").startswith("Hi.")
    # A model trained later with other text for the answer keeps its own text.
    newer = Domain.from_dict({"responses": {ALPHA: [{"text": "Alpha, trained later."}]}})
    later = SpecificResponseGenerator(EndpointConfig(published=str(folder)), newer)
    assert say(later, ALPHA) == "Alpha, trained later."
    rollback(tiny)
    assert say(nlg, ALPHA) == "Alpha is the first topic."


def test_a_broken_published_file_falls_back_to_the_models_text(tiny, trained):
    publish(tiny, trained, "first")
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    entry = publish_answers(tiny, "answers")
    folder = tiny / "models" / "published"
    (folder / entry["answers"]).write_text("{not json", encoding="utf-8")
    state = json.loads((folder / "state.json").read_text())
    (folder / "state.json").write_text(json.dumps(state, indent=2))  # a new mtime and size
    own = model_responses(trained)[ALPHA]
    assert PublishedAnswers(folder).variants_for(ALPHA, own) is None


def test_waiting_lists_only_answers_whose_saved_text_is_not_live(tiny, trained):
    from tools.published_answers import not_live

    folder = tiny / "models" / "published"
    publish(tiny, trained, "first")
    assert not_live(tiny, folder, trained) == []
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    assert not_live(tiny, folder, trained) == [ALPHA]
    publish_answers(tiny, "answers")
    assert not_live(tiny, folder, trained) == []
    edits.save_answer(tiny, ALPHA, "Alpha is the first topic.")  # back to the model's own text
    assert not_live(tiny, folder, trained) == [ALPHA]


def test_administrators_publish_answers_from_the_terminal(tiny, trained, capsys):
    from tools.publish import main

    publish(tiny, trained, "first")
    edits.save_answer(tiny, ALPHA, "Alpha, in new words.")
    assert main(["answers", "--root", str(tiny)]) == 0
    assert read_state(tiny)["current"]["answers"]
    assert main(["answers", "--root", str(tiny)]) == 1
    assert "already live" in capsys.readouterr().out


def test_an_edited_french_version_is_waiting_then_published_and_said_in_french(tiny, trained):
    from rasa.shared.core.events import SlotSet
    from rasa.shared.core.slots import TextSlot

    from tools.published_answers import not_live

    folder = tiny / "models" / "published"
    publish(tiny, trained, "first")
    edits.save_answer(tiny, ALPHA, "Alpha, en nouveaux mots.", 1)
    assert list(pending(tiny, trained)["replace"]) == [ALPHA]
    assert not_live(tiny, folder, trained) == [ALPHA]
    publish_answers(tiny, "answers")
    assert not_live(tiny, folder, trained) == []
    own = model_responses(trained)[ALPHA]
    published = PublishedAnswers(folder).variants_for(ALPHA, own)
    assert [v["text"] for v in published] == [
        "Alpha is the first topic.",
        "Alpha, en nouveaux mots.",
    ]
    slots = [TextSlot("language", mappings=[])]
    domain = Domain.from_dict({"responses": model_responses(trained)})
    nlg = SpecificResponseGenerator(EndpointConfig(published=str(folder)), domain)
    french = DialogueStateTracker.from_events("someone", [SlotSet("language", "fr")], slots=slots)
    said = asyncio.run(nlg.generate(ALPHA, french, "rest"))["text"]
    assert said == "Alpha, en nouveaux mots."
    assert say(nlg, ALPHA) == "Alpha is the first topic."
