"""French conversations through the REST channel: the help intents, chit-chat and referrals are
answered in French, the conversation keeps its language on short replies, and a person's choice
of language wins."""

import pytest

HOTLINE = "1-833-900-1010"
ENGLISH_ONLY = ("Call 911", "call 911", "You are not alone", "Sorry, I'm not sure")


def assert_french(text):
    for words in ENGLISH_ONLY:
        assert words not in text, f"English '{words}' in: {text}"


@pytest.mark.parametrize(
    "message, start",
    [
        ("bonjour", "Bonjour. Je suis un assistant automatique."),
        (
            "je crois que mon employeur me fait travailler de force, qui peut m'aider?",
            "Vous n'êtes pas seul.",
        ),
        (
            "qu'est-ce qu'ils font si je les appelle, ils vont avertir la police?",
            "C'est vous qui choisissez",
        ),
        (
            "je fais de l'escorte et j'aimerais parler a des gens qui connaissent ça",
            "Voici des services",
        ),
        (
            "je veux signaler un salon ou les filles dorment sur place",
            "Vous pouvez choisir comment signaler",
        ),
        ("c'est quoi le numero pour joindre OCTIP", "Le bureau du gouvernement de la C.-B."),
        (
            "ma fille de 13 ans parle a un adulte qui lui envoie de l'argent",
            "Si vous avez moins de 18 ans",
        ),
        ("quel est le meilleur film de l'annee", "Je ne peux pas vous aider avec ça."),
    ],
)
def test_a_french_message_gets_its_french_reply(conversation, message, start):
    text = conversation.text(message)
    assert text.startswith(start), text
    assert_french(text)


def test_a_french_conversation_stays_french_on_short_replies(conversation):
    assert conversation.text("salut").startswith("Bonjour.")
    bot = conversation.text("t'es un robot?")
    assert bot.startswith("Je suis un assistant automatique, pas une personne.")
    thanks = conversation.text("ok")
    assert_french(thanks)


def test_a_french_referral_asks_the_place_in_french_and_uses_it(conversation):
    text = conversation.text("je fais de l'escorte, y a des groupes de soutien pour nous?")
    assert "Dans quelle ville ou région êtes-vous ?" in text
    local = conversation.text("je suis a Victoria")
    assert "Peers Victoria" in local and "Soutien par des pairs" in local
    assert_french(local)


def test_the_persons_choice_of_english_wins_over_french(conversation):
    conversation.say("bonjour")
    [english] = conversation.say("English please")
    assert english["text"].startswith("OK, I will answer in English.")
    assert "Appelez" not in conversation.text("ok")
    [french] = conversation.say("en français")
    assert french["text"].startswith("D'accord, je vais répondre en français.")


def test_a_french_minor_gets_french_youth_text_on_the_generic_reply(conversation):
    conversation.text("j'ai 15 ans")
    text = conversation.text("c'est quoi la meilleure pizza en ville")
    assert "Kids Help Phone" in text and "textez CONNECT au 686868" in text
    assert "travail du sexe" not in text
