"""Whole conversations through the REST channel, with the action server up and down."""

import pytest

HOTLINE = "1-833-900-1010"

FAQ_QUESTIONS = {
    "what does human trafficking mean": "trafficking",
    "is sex work the same thing as trafficking?": "sex work",
    "is it legal to sell sex in canada": "sell",
    "what is OCTIP": "OCTIP",
}


@pytest.mark.parametrize(("question", "word"), FAQ_QUESTIONS.items())
def test_faq_questions_get_their_curated_answer_with_buttons(conversation, question, word):
    messages = conversation.say(question)
    assert word.lower() in messages[0]["text"].lower()
    assert messages[-1].get("buttons"), "every answer ends with next steps"


def test_a_topic_button_payload_selects_that_answer(conversation):
    messages = conversation.say("/faq/smuggling_vs_trafficking")
    assert "smuggl" in messages[0]["text"].lower()


def test_danger_gets_911_first_then_more_help(conversation):
    messages = conversation.say("he has a knife and says he will kill me")
    assert messages[0]["text"].startswith("If you are in danger right now, call 911")
    assert HOTLINE in messages[0]["text"]
    assert "VictimLinkBC" in "\n".join(m.get("text", "") for m in messages[1:])


def test_help_request_lists_services_from_the_directory(conversation):
    text = conversation.text("I need help, my boss took my passport and says I owe him")
    assert "1-888-712-7974" in text and HOTLINE in text


def test_sex_worker_support_asks_the_place_then_adds_local_services(conversation):
    first = conversation.say("I'm a sex worker, where can I find support")
    assert "Which city or region" in first[-1]["text"]
    text = conversation.text('/inform_location{"location": "Victoria"}')
    assert "Peers Victoria" in text


def test_tell_me_more_follows_the_last_answer(conversation):
    conversation.say("/faq/canadian_trafficking_laws")
    text = conversation.text("tell me more")
    assert "279" in text


def test_out_of_scope_and_gibberish_never_dead_end(conversation):
    for message in ("what's the weather tomorrow", "asdf qwer zxcv"):
        messages = conversation.say(message)
        assert HOTLINE in messages[0]["text"]
        assert messages[0].get("buttons")


def test_without_the_action_server_help_still_reaches_the_person(
    action_server_stopped, conversation
):
    text = conversation.text("I think I'm being trafficked, I need help")
    assert "911" in text and HOTLINE in text

    danger = conversation.say("help he's going to hurt me right now")
    assert danger[0]["text"].startswith("If you are in danger right now, call 911")
