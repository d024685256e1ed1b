"""Messages in other languages through the REST channel: the bridge reply in that language."""

import pytest

from components.language_router import BRIDGE_LANGUAGES

HOTLINE = "1-833-900-1010"
ENGLISH_BUTTON = '/choose_language{"language": "en"}'

# A message written for this test in each bridge language, and words its reply must contain.
# French is answered in full, not bridged (tests/e2e/test_french_help.py).
MESSAGES = {
    "es": ("¿el trabajo sexual es legal en Canadá?", "Llame al 911"),
    "tl": ("tulungan mo ako, hindi ako makaalis sa bahay ng amo ko", "Tumawag sa 911"),
    "vi": ("tôi cần giúp đỡ, chủ giữ hộ chiếu của tôi", "Hãy gọi 911"),
    "pa": ("ਮੈਨੂੰ ਮਦਦ ਚਾਹੀਦੀ ਹੈ", "ਫ਼ੋਨ ਕਰੋ"),
    "zh_hans": ("我的老板拿走了我的护照", "请打 911"),
    "zh_hant": ("我的老闆拿走了我的護照", "請打 911"),
    "zh": ("你好", "请打 911。／現在有危險嗎"),
    "ko": ("도와주세요", "911에 전화하세요"),
    "fa": ("به کمک نیاز دارم", "با 911 تماس بگیرید"),
    "ar": ("أحتاج إلى مساعدة", "اتصل بالرقم 911"),
    "hi": ("मुझे मदद चाहिए", "911 पर फ़ोन करें"),
    "uk": ("мені потрібна допомога", "Телефонуйте 911"),
    "ru": ("мне нужна помощь", "Звоните 911"),
}


def test_every_bridge_language_is_tested():
    assert set(MESSAGES) == set(BRIDGE_LANGUAGES)


@pytest.mark.parametrize("language", sorted(MESSAGES))
def test_a_message_in_a_bridge_language_gets_the_reply_in_that_language(conversation, language):
    text, words = MESSAGES[language]
    [reply] = conversation.say(text)
    assert words in reply["text"].splitlines()[0] or words in reply["text"]
    assert "911" in reply["text"].splitlines()[0]
    assert HOTLINE in reply["text"]
    assert [b["payload"] for b in reply["buttons"]] == [ENGLISH_BUTTON]


def test_the_same_reply_whatever_the_question(conversation):
    first = conversation.say("hola")
    second = conversation.say("mi jefe tiene mi pasaporte y no me deja salir de la casa")
    assert first == second


def test_english_after_a_bridge_message_gets_the_normal_english_path(conversation):
    conversation.say("necesito ayuda, tengo miedo de mi jefe")
    messages = conversation.say("what is human trafficking")
    assert "trafficking" in messages[0]["text"].lower()
    assert "Llame" not in messages[0]["text"]


def test_the_english_button_and_typed_choices_switch_the_language(conversation):
    conversation.say("我需要帮助")
    [reply] = conversation.say(ENGLISH_BUTTON)
    assert reply["text"].startswith("OK, I will answer in English.")
    [spanish] = conversation.say("español por favor")
    assert "Llame al 911" in spanish["text"]
    [english] = conversation.say("English please")
    assert english["text"].startswith("OK, I will answer in English.")


def test_french_is_answered_not_bridged_and_can_be_chosen(conversation):
    [reply, *_] = conversation.say("c'est quoi le travail du sexe au Canada?")
    assert "Cet assistant parle seulement anglais" not in reply["text"]
    assert ENGLISH_BUTTON not in [b["payload"] for b in reply.get("buttons") or []]
    conversation.say("English please")
    [french] = conversation.say("en français")
    assert french["text"].startswith("D'accord, je vais répondre en français.")
    [spanish] = conversation.say("español por favor")
    assert "Llame al 911" in spanish["text"]


def test_english_danger_in_a_mixed_message_gets_911_first(conversation):
    messages = conversation.say("ayuda por favor he has a knife")
    assert messages[0]["text"].startswith("If you are in danger right now, call 911")


def test_the_bridge_reply_needs_no_action_server(action_server_stopped, conversation):
    [reply] = conversation.say("помогите мне пожалуйста, я боюсь")
    assert "Звоните 911" in reply["text"] and HOTLINE in reply["text"]
