"""Language of each message: French and English classified, the bridge for others, a person's
choice, and the conversation's language kept when the detector is not sure."""

from __future__ import annotations

import pytest
from rasa.core.actions.action import ActionExtractSlots
from rasa.core.channels import CollectingOutputChannel
from rasa.core.nlg import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message

from bench.language_detection import answered_in, is_right, language_examples
from components.language_router import (
    BRIDGE_LANGUAGES,
    LanguageRouter,
    detect_language,
)
from tools.heldout import HELDOUT, load_examples

HOTLINE = "1-833-900-1010"
VICTIMLINK = "1-800-563-0808"
MIN_ACCURACY = 0.95

# One message per bridge language, and the slot value (reply variation) it must select.
BRIDGE_MESSAGES = {
    "es": "mi jefe no me deja salir de la casa y tiene mis papeles",
    "tl": "kinuha ng employer ko ang passport ko at hindi ako pinapaalis",
    "vi": "chủ nhà hàng giữ giấy tờ của tôi và không trả lương",
    "pa": "ਮੇਰਾ ਮਾਲਕ ਮੈਨੂੰ ਘਰੋਂ ਬਾਹਰ ਨਹੀਂ ਜਾਣ ਦਿੰਦਾ",
    "zh_hans": "老板不让我离开，还拿走了我的证件",
    "zh_hant": "老闆不讓我離開，還拿走了我的證件",
    "zh": "救命",
    "ko": "사장님이 제 여권을 돌려주지 않아요",
    "fa": "کارفرمایم مدارکم را گرفته و نمی‌گذارد بروم",
    "ar": "صاحب العمل يأخذ كل راتبي ولا يسمح لي بالخروج",
    "hi": "मेरा मालिक मुझे बाहर नहीं जाने देता",
    "uk": "мій роботодавець забрав документи і не відпускає мене",
    "ru": "мой работодатель забрал документы и не отпускает меня",
}


@pytest.fixture(scope="module")
def router() -> LanguageRouter:
    return LanguageRouter()


@pytest.fixture(scope="module")
def rasa_domain(root) -> Domain:
    return Domain.load(str(root / "domain.yml"))


def parsed(text, intent="nlu_fallback", entities=None) -> Message:
    """A message as the classifier left it: an English guess, whatever the language."""
    return Message(
        data={
            "text": text,
            "intent": {"name": intent, "confidence": 0.4},
            "intent_ranking": [{"name": intent, "confidence": 0.4}],
            "entities": entities or [],
        }
    )


async def slot_after(rasa_domain: Domain, start: str | None, message: Message) -> str | None:
    """The `language` slot after the domain's slot mappings read the routed message."""
    events = [SlotSet("language", start)] if start else []
    tracker = DialogueStateTracker.from_events("test", events, slots=rasa_domain.slots)
    parse = {key: message.get(key) for key in ("text", "intent", "entities")}
    tracker.update(UserUttered(message.get("text"), parse["intent"], parse["entities"], parse))
    nlg = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    action = ActionExtractSlots(action_endpoint=None)
    for event in await action.run(CollectingOutputChannel(), nlg, tracker, rasa_domain):
        tracker.update(event)
    return tracker.get_slot("language")


async def bridge_reply(rasa_domain: Domain, language: str | None) -> dict:
    events = [SlotSet("language", language)] if language else []
    tracker = DialogueStateTracker.from_events("test", events, slots=rasa_domain.slots)
    nlg = TemplatedNaturalLanguageGenerator(rasa_domain.responses)
    return await nlg.generate("utter_language_bridge", tracker, "rest")


@pytest.mark.parametrize("language", sorted(BRIDGE_MESSAGES))
def test_a_bridge_language_gets_the_bridge_intent_and_its_language(router, language):
    [message] = router.process([parsed(BRIDGE_MESSAGES[language], intent="faq")])
    assert message.get("intent") == {"name": "other_language", "confidence": 1.0}
    assert message.get("intent_ranking")[0]["name"] == "other_language"
    [entity] = [e for e in message.get("entities") if e["entity"] == "language"]
    assert entity["value"] == language


def test_every_bridge_language_is_tested():
    assert set(BRIDGE_MESSAGES) == set(BRIDGE_LANGUAGES)


@pytest.mark.parametrize("language", sorted(BRIDGE_LANGUAGES))
async def test_each_language_reply_starts_with_911_and_gives_the_hotline(rasa_domain, language):
    reply = await bridge_reply(rasa_domain, language)
    default = await bridge_reply(rasa_domain, None)
    assert reply["text"] != default["text"], f"{language} has no text of its own"
    assert "911" in reply["text"].splitlines()[0]
    assert HOTLINE in reply["text"]
    assert VICTIMLINK in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == ['/choose_language{"language": "en"}']


@pytest.mark.parametrize("language", ["other", None])
async def test_an_unknown_language_gets_the_plain_english_bridge(rasa_domain, language):
    reply = await bridge_reply(rasa_domain, language)
    assert reply["text"].startswith("In danger now? Call 911.")
    assert HOTLINE in reply["text"]


async def test_choosing_english_gets_an_english_reply_with_a_way_on(rasa_domain):
    reply = await bridge_reply(rasa_domain, "en")
    assert reply["text"].startswith("OK, I will answer in English.")
    assert "911" in reply["text"]
    assert reply["buttons"]


NON_LATIN = ["pa", "zh_hans", "zh_hant", "ko", "fa", "ar", "hi", "uk", "ru"]


@pytest.mark.parametrize("language", NON_LATIN)
async def test_a_reply_in_a_non_latin_script_reads_as_its_own_language(rasa_domain, language):
    reply = await bridge_reply(rasa_domain, language)
    assert detect_language(reply["text"].splitlines()[1]).language == language


def test_a_text_unlike_any_bridge_language_gets_the_english_bridge(router):
    [message] = router.process([parsed("ฉันต้องการความช่วยเหลือ")])
    assert message.get("intent")["name"] == "other_language"
    assert message.get("entities")[0]["value"] == "other"
    [japanese] = router.process([parsed("助けてください")])
    assert japanese.get("entities")[0]["value"] == "other"


FRENCH_MESSAGES = [
    "je pense que je suis victime de traite, aidez-moi",
    "c koi la traite",
    "mon chum me force a voir des clients",
    "jai 16 ans",
    "c'est quoi le travail du sexe au Canada?",
    "ou est-ce que je peux trouver de l'aide a Surrey",
]


@pytest.mark.parametrize("text", FRENCH_MESSAGES)
def test_french_is_classified_like_english_and_marks_the_conversation_french(router, text):
    [message] = router.process([parsed(text, intent="request_help_trafficking")])
    assert message.get("intent") == {"name": "request_help_trafficking", "confidence": 0.4}
    [entity] = [e for e in message.get("entities") if e["entity"] == "language"]
    assert entity["value"] == "fr"


@pytest.mark.parametrize(
    "text",
    [
        "wat is trafficking",
        "my bf makes me work 4 him",
        "im in vancouver",
        "he took my passport, idk wat to do",
    ],
)
def test_english_keeps_the_classifier_intent_and_marks_the_conversation_english(router, text):
    [message] = router.process([parsed(text, intent="faq")])
    assert message.get("intent")["name"] == "faq"
    assert [e["value"] for e in message.get("entities") if e["entity"] == "language"] == ["en"]


@pytest.mark.parametrize(
    "text",
    [
        "help",
        "ok",
        "hi",
        "thx",
        "u a bot?",
        "sex wrk legal in bc",
        "Port Coquitlam",
        "",
        "   ",
        "🙏🙏",
        "1-833-900-1010",
    ],
)
def test_unclear_messages_keep_the_intent_and_set_no_language(router, text):
    entities = [{"entity": "location", "value": "Port Coquitlam", "start": 0, "end": 14}]
    message = parsed(text, intent="faq", entities=entities if text == "Port Coquitlam" else None)
    [result] = router.process([message])
    assert result.get("intent")["name"] == "faq"
    assert all(e["entity"] != "language" for e in result.get("entities"))


@pytest.mark.parametrize(
    "start, text, language",
    [
        ("fr", "ok", "fr"),
        ("fr", "help", "fr"),
        ("fr", "Kelowna", "fr"),
        ("fr", "thx", "fr"),
        ("en", "ok", "en"),
        (None, "ok", None),
        ("en", "merci", "fr"),
        ("fr", "what is human trafficking", "en"),
        ("en", "c'est quoi la traite", "fr"),
        ("es", "c'est quoi la traite", "fr"),
    ],
)
async def test_the_conversation_keeps_its_language_unless_the_detector_is_sure(
    router, rasa_domain, start, text, language
):
    [message] = router.process([parsed(text, intent="greet")])
    assert await slot_after(rasa_domain, start, message) == language


def test_no_english_line_of_the_heldout_or_dev_sets_is_sent_to_the_bridge(root):
    english = load_examples(HELDOUT) + load_examples(root / "tests/nlu/dev.yml")
    diverted = [text for text, _ in english if answered_in(detect_language(text)) != "en"]
    assert diverted == []


def test_every_english_line_of_the_language_set_stays_english():
    english = [text for text, language in language_examples() if language == "en"]
    assert [text for text in english if answered_in(detect_language(text)) != "en"] == []


def test_detection_accuracy_on_the_language_set():
    examples = language_examples()
    right = sum(is_right(answered_in(detect_language(t)), lang) for t, lang in examples)
    assert right / len(examples) >= MIN_ACCURACY


@pytest.mark.parametrize(
    "text",
    [
        "qu est ce que l'octip",
        "comment on rejoint l'octip",
        "c quoi d'la traite",
        "ok merci",
        "super genial",
        "a plus tard",
        "jai besoin d'aide pour mon amie",
        "je comprends pas explique",
        "passeur vs trafiquant c koi la diff",
        "chu rendu a kelowna",
    ],
)
def test_french_written_without_accents_is_french(text):
    """Phone French: no accents, elisions ("l'octip"), one French word in a short reply."""
    assert detect_language(text).language == "fr"


@pytest.mark.parametrize("text", ["ok thanks", "I'm fine", "don't know", "it's ok", "o'clock"])
def test_english_contractions_are_not_french_elisions(text):
    detection = detect_language(text)
    assert detection is None or detection.language == "en"


@pytest.mark.parametrize(
    "text, language",
    [
        ("bonjour", "fr"),
        ("merci", "fr"),
        ("aide", "fr"),
        ("hola", "es"),
        ("salamat", "tl"),
        ("xin chào", "vi"),
        ("谢谢", "zh_hans"),
        ("謝謝", "zh_hant"),
    ],
)
def test_very_short_messages(text, language):
    assert detect_language(text).language == language


@pytest.mark.parametrize(
    "text, language",
    [
        ("English please", "en"),
        ("in english", "en"),
        ("english pls", "en"),
        ("can you speak English?", "en"),
        ("en français", "fr"),
        ("français svp", "fr"),
        ("español por favor", "es"),
        ("in Spanish please", "es"),
        ("Tagalog po", "tl"),
        ("tiếng Việt", "vi"),
        ("punjabi", "pa"),
        ("中文", "zh"),
        ("繁體中文", "zh_hant"),
        ("한국어", "ko"),
        ("فارسی", "fa"),
        ("русский", "ru"),
        ("українською", "uk"),
    ],
)
def test_a_persons_choice_sets_the_language(router, text, language):
    [message] = router.process([parsed(text, intent="greet")])
    assert message.get("intent") == {"name": "choose_language", "confidence": 1.0}
    assert message.get("entities")[0]["value"] == language


@pytest.mark.parametrize(
    "text",
    ["no hablo inglés", "i speak english and spanish", "is english my only option for help"],
)
def test_a_sentence_that_mentions_a_language_is_not_a_choice(router, text):
    [message] = router.process([parsed(text, intent="faq")])
    assert message.get("intent")["name"] != "choose_language"


@pytest.mark.parametrize(
    "text", ["/faq/what_is_sex_work", '/choose_language{"language": "en"}', "/greet"]
)
def test_button_payloads_are_left_to_rasa(router, text):
    [message] = router.process([parsed(text, intent="greet")])
    assert message.get("intent")["name"] == "greet"


@pytest.mark.parametrize(
    "text",
    [
        "he is going to kill me",
        "ayuda por favor he has a knife",
        "English please, he is going to kill me",
    ],
)
def test_english_danger_still_wins_after_the_router(router, gate, text):
    [message] = gate.process(router.process([parsed(text)]))
    assert message.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    ["\ud800 broken surrogate ayuda", "a" * 5000, "¿" * 3000, "\x00\x01 hola", "ok\u200b"],
)
def test_odd_input_never_raises(router, text):
    router.process([parsed(text)])
    detect_language(text)


@pytest.mark.parametrize(
    "text",
    [
        "hindi ako makaalis sa bahay ng amo ko",
        "kinuha nila ang pasaporte ko",
        "wala akong sweldo ng tatlong buwan",
        "saan po ako pwedeng humingi ng tulong",
    ],
)
def test_tagalog_function_words_name_tagalog_when_the_detector_is_unsure(text):
    assert detect_language(text).language == "tl"
