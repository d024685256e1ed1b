"""The age gate across turns and the help backstop, through the REST channel."""

import pytest

KIDS_HELP_PHONE = "1-800-668-6868"
KIDS_TEXT = "CONNECT to 686868"
HELPLINE_FOR_CHILDREN = "310-1234"
HOTLINE = "1-833-900-1010"
ADULT_FRAMING = ("sex worker", "immunity", "Peers", "SWAN", "WISH", "Bad Date")


def assert_youth(text):
    assert KIDS_HELP_PHONE in text and KIDS_TEXT in text and HELPLINE_FOR_CHILDREN in text, text
    for words in ADULT_FRAMING:
        assert words.lower() not in text.lower(), f"adult framing '{words}' shown to a minor"


def test_age_first_then_an_adult_question_gets_the_youth_answer(conversation):
    assert_youth(conversation.text("im 15"))
    assert_youth(conversation.text("is sex work legal in canada"))
    assert_youth(conversation.text("what is sex work"))


def test_adult_question_first_then_the_age_gets_a_youth_reply(conversation):
    assert "immunity" in conversation.text("is it legal to sell sex in canada")
    assert_youth(conversation.text("i'm 16 btw"))
    assert_youth(conversation.text("/faq/sex_work_legality_canada"))


def test_a_minor_asking_about_escorting_never_gets_the_adult_law(conversation):
    assert_youth(conversation.text("I'm 16 and I do escorting, is that legal?"))


def test_a_minor_asking_for_sugar_dating_support_gets_youth_services(conversation):
    conversation.say("im 17")
    text = conversation.text("where can i get support for sugar dating")
    assert KIDS_HELP_PHONE in text and KIDS_TEXT in text
    for words in ADULT_FRAMING:
        assert words.lower() not in text.lower()


def test_a_minor_in_danger_gets_911_first(conversation):
    conversation.say("im 14")
    messages = conversation.say("he has a knife and says he will kill me")
    assert messages[0]["text"].startswith("If you are in danger right now, call 911")


@pytest.mark.parametrize(
    "message",
    [
        "i think i'm being trafficked what do i do",
        "they took my passport and id and i owe the agency, i have to work it off",
        "he moves me from city to city and keeps all my money",
    ],
)
def test_signs_of_control_reach_the_trafficking_services(conversation, message):
    text = conversation.text(message)
    assert HOTLINE in text
    assert "not sure I understood" not in text and "outside what I can help" not in text
