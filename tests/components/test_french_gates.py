"""The danger backstop, the age gate and the help backstop in French, without a model.

Each message goes through the three pattern steps in pipeline order (language router,
youth gate, safety gate), as the Rasa server runs them after the classifier.
"""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message

from components.language_router import LanguageRouter
from components.safety_gate import SafetyGate, without_accents
from components.youth_gate import YouthGate
from tools.pipeline import configured


@pytest.fixture(scope="module")
def gates(root):
    return [LanguageRouter(), configured(YouthGate, root), configured(SafetyGate, root)]


@pytest.fixture
def run(gates):
    def process(text, intent="nlu_fallback", confidence=0.3):
        message = Message(data={"text": text, "intent": {"name": intent, "confidence": confidence}})
        for gate in gates:
            gate.process([message])
        return message

    return process


def entity(message, name):
    values = [e["value"] for e in message.get("entities") or [] if e["entity"] == name]
    return values[0] if values else None


@pytest.mark.parametrize(
    "text",
    [
        "il va me tuer",
        "Il est devant ma porte et menace de me tuer",
        "il menace de me tuer",
        "il est devant ma porte",
        "je suis enfermée",
        "je suis enfermee",
        "jsuis enfermée dans une chambre",
        "on m'a enlevée",
        "on m’a enlevee",
        "au secours",
        "AU SECOURS!!",
        "o secours",
        "aidez-moi vite",
        "aidez moi svp vite",
        "il a un couteau",
        "il a une arme",
        "je suis en danger",
        "je ne peux pas sortir",
        "jpeux pas sortir",
        "il me frappe",
        "ils essaient d'entrer",
        "je ne suis pas en sécurité",
        "ki va m tuer",
        "il vient de me frapper",
        "je saigne beaucoup",
        "quelqu'un cogne sur ma porte",
        "j'ai peur pour ma vie",
        "il s'en vient me chercher",
        "je pense que j'ai été droguée",
        "il frappe ma soeur dans la cuisine",
        "il me laisse pas partir de l'hôtel",
        "un gars me suit depuis le bar",
        "ils veulent pas me laisser partir ce soir",
        "il me retient dans un motel depuis hier",
    ],
)
def test_french_danger_becomes_emergency_in_french(run, text):
    for intent in ("nlu_fallback", "faq", "greet"):
        result = run(text, intent=intent, confidence=0.99)
        assert result.get("intent") == {"name": "emergency", "confidence": 1.0}, (text, intent)
        assert entity(result, "language") == "fr", text


@pytest.mark.parametrize(
    "text",
    [
        "hier il a dit qu'il va me tuer",
        "il y a deux ans il m'a enfermée",
        "la semaine dernière il était devant ma porte",
        "quand j'étais jeune je ne pouvais pas sortir, il me frappait",
        "c'est la vie",
        "elle est la seule qui m'aide",
        "je suis en sécurité maintenant",
        "bonjour",
        "il arrive demain pour le travail",
        "quelqu'un frappe a la porte, c'est le livreur",
        "peut-on mettre de la drogue dans un verre sans que je le voie?",
        "il me suit sur instagram",
    ],
)
def test_french_past_events_and_calm_messages_are_not_emergency(run, text):
    assert run(text).get("intent")["name"] != "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "j'ai 15 ans",
        "jai 15 ans",
        "15 ans",
        "j'ai quinze ans",
        "je suis en secondaire 3",
        "je suis en 3e",
        "je suis au lycée",
        "je suis au secondaire",
        "je suis mineure",
        "je suis mineur",
        "mon fils a 16 ans",
    ],
)
def test_a_bare_french_age_under_18_is_inform_age_in_french(run, text):
    result = run(text, intent="greet", confidence=0.99)
    assert entity(result, "minor") is True, text
    assert result.get("intent") == {"name": "inform_age", "confidence": 1.0}
    assert entity(result, "language") == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "ma fille de 14 ans fait de l'escorte",
        "j'ai 15 ans et je veux faire de l'escorte, c'est légal?",
        "je suis en secondaire 4 et un homme me donne de l'argent pour des photos",
    ],
)
def test_a_french_question_about_a_minor_gets_the_youth_path(run, text):
    result = run(text)
    assert entity(result, "minor") is True
    assert result.get("intent")["name"] == "request_youth_support"
    assert entity(result, "language") == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "depuis 15 ans je travaille dans le sexe",
        "j'ai 24 ans",
        "15 ans de prison pour ça?",
        "j'avais 15 ans quand j'ai commencé, j'ai 30 ans maintenant",
    ],
)
def test_french_durations_and_adult_ages_are_not_minor(run, text):
    assert entity(run(text), "minor") is None


@pytest.mark.parametrize(
    "text",
    [
        "mon patron garde mon passeport",
        "je dois rembourser une dette",
        "je dois rembourser une dette à l'agence",
        "il menace ma famille",
        "il me force à voir des hommes",
        "on me déplace de ville en ville",
        "il va me faire expulser",
        "il va publier mes photos",
        "il prend tout mon argent",
        "il ne me laisse pas partir",
        "je pense que je suis victime de traite, aidez-moi",
    ],
)
def test_french_signs_of_control_get_the_trafficking_referral_in_french(run, text):
    result = run(text)
    assert result.get("intent") == {"name": "request_help_trafficking", "confidence": 1.0}
    assert entity(result, "language") == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi le travail du sexe au Canada?",
        "est-ce que c'est légal de vendre du sexe?",
        "bonjour, j'ai une question",
    ],
)
def test_other_french_messages_keep_the_classifier_intent_in_french(run, text):
    result = run(text, intent="ask_what_happens", confidence=0.9)
    assert result.get("intent")["name"] == "ask_what_happens"
    assert entity(result, "language") == "fr"


def test_another_bridge_language_keeps_the_bridge_even_with_a_minor(run):
    result = run("tengo 15 años y necesito ayuda con mi novio")
    assert result.get("intent")["name"] == "other_language"
    assert entity(result, "language") == "es"


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("he is going to kill me", "emergency"),
        ("my boss has my passport", "request_help_trafficking"),
        ("i'm 15", "inform_age"),
        ("last week he said he would kill me", "nlu_fallback"),
        ("i make 15 an hour, is that normal", "nlu_fallback"),
        ("sos", "emergency"),
    ],
)
def test_english_is_unchanged_and_not_marked_french(run, text, intent):
    result = run(text)
    assert result.get("intent")["name"] == intent
    assert entity(result, "language") in (None, "en")


def test_without_accents_keeps_one_character_for_one():
    text = "Je suis ENFERMÉE, aidez-moi… ça va pas"
    folded = without_accents(text)
    assert folded == "je suis enfermee, aidez-moi… ca va pas"
    assert len(folded) == len(text)
