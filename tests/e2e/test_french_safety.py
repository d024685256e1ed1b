"""The danger backstop, the age gate and the help backstop in French, through the REST channel."""

import pytest

HOTLINE = "1-833-900-1010"
KIDS_HELP_PHONE = "1-800-668-6868"
KIDS_TEXT_FR = "textez CONNECT au 686868"
HELPLINE_FOR_CHILDREN = "310-1234"
ADULT_FRAMING = ("travail du sexe", "sex work", "immunity", "Peers", "SWAN", "WISH", "Bad Date")


@pytest.mark.parametrize(
    "message",
    [
        "il est devant ma porte et menace de me tuer",
        "au secours il a un couteau",
        "jsuis enfermée, je peux pas sortir",
    ],
)
def test_french_danger_gets_the_french_911_message_first(conversation, message):
    messages = conversation.say(message)
    assert messages[0]["text"].startswith("Si vous êtes en danger maintenant, appelez le 911.")
    text = "\n".join(m.get("text", "") for m in messages)
    assert HOTLINE in text
    assert "Plus d'aide, quand vous êtes en sécurité" in text


def test_french_past_danger_is_not_an_emergency(conversation):
    messages = conversation.say("il y a deux ans il m'a enfermée, est-ce que c'est de la traite?")
    assert not messages[0]["text"].startswith("Si vous êtes en danger maintenant")


def test_a_french_minor_asking_about_escorting_gets_the_youth_reply_in_french(conversation):
    text = conversation.text("j'ai 15 ans et je veux faire de l'escorte, c'est légal?")
    # the youth referral or the youth answer on exploitation: either is the youth reply
    assert "moins de 18 ans" in text
    # "never your fault" in the referral, "never the young person's fault" in the answer
    assert any(
        words in text for words in ("jamais votre faute", "pas votre faute", "jamais la faute")
    )
    assert KIDS_HELP_PHONE in text and KIDS_TEXT_FR in text and HELPLINE_FOR_CHILDREN in text
    for words in ADULT_FRAMING:
        assert words.lower() not in text.lower(), f"adult framing '{words}' shown to a minor"


def test_a_bare_french_age_gets_the_youth_information_in_french(conversation):
    text = conversation.text("j'ai 15 ans")
    assert text.startswith("Merci de me le dire.")
    assert KIDS_TEXT_FR in text


@pytest.mark.parametrize(
    "message",
    ["mon patron garde mon passeport", "il me force à voir des hommes"],
)
def test_a_french_control_message_gets_the_french_trafficking_referral(conversation, message):
    text = conversation.text(message)
    assert text.startswith("Vous n'êtes pas seul. Vous choisissez qui contacter")
    assert HOTLINE in text and "appelez le" in text.lower()
    assert "Appelez le 911" in text


def test_other_french_messages_are_answered_not_bridged(conversation):
    text = conversation.text("j'ai besoin d'aide, mon patron me paye pas depuis des mois")
    assert "Cet assistant parle seulement anglais" not in text
    assert "Appelez le 911" in text


def test_english_danger_is_unchanged(conversation):
    messages = conversation.say("he is going to kill me")
    assert messages[0]["text"].startswith("If you are in danger right now, call 911")
