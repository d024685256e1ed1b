"""Language of each message: English and French answered, a bridge for the others.

The classifier is trained on English and French, so a message in another language must
not get an intent guessed from it. This step runs before the safety gate and decides, for
each message, without any ML intent:

1. A person's choice ("English please", "en français", "in Spanish", "中文"): intent
   `choose_language` with the entity `language`.
2. A message confidently in a bridge language: intent `other_language` with the entity
   `language`. Script (Unicode block) decides for non-Latin text; Latin text needs
   distinctive letters, a common short phrase, or CLD2 (pycld2, offline) reliably naming
   the language. Short or unclear Latin text is never sent away.
3. Text in a script no bridge language uses: `other_language` with the value `other`
   (the bridge's English text).
4. A message confidently in English or French: only the entity `language` (the slot of the
   same name picks the reply variations); the classifier's intent stands. French written on a
   phone often has no accents and is too short for CLD2: French-only words and elisions
   ("l'octip", "qu'est") decide it: a French word and no English word is enough, in a reply
   of up to three words ("ok merci"), or in a longer one when CLD2 is not sure of a bridge
   language.

A message the detector is not sure of ("ok", "help", a place name) sets nothing, so the
conversation keeps its language (English until one is detected or chosen). Button payloads
("/...") are left to Rasa. The danger patterns of the safety gate run after this step, so
English danger still wins.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, List

import pycld2
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from components.safety_gate import LANGUAGE_ENTITY, PatternComponent, language_entity, set_intent

OTHER_LANGUAGE_INTENT = "other_language"
CHOOSE_LANGUAGE_INTENT = "choose_language"
SOURCE_KEY = "language_router"
ENGLISH = "en"
FRENCH = "fr"
UNSUPPORTED = "other"
# Languages the assistant answers in: the classifier decides the intent.
ANSWERED_LANGUAGES = (ENGLISH, FRENCH)

# Slot values of the bridge reply's variations (domain.yml, utter_language_bridge).
# Chinese has one value per written form; "zh" (form unknown) shows both.
BRIDGE_LANGUAGES = (
    "es",
    "tl",
    "vi",
    "pa",
    "zh",
    "zh_hans",
    "zh_hant",
    "ko",
    "fa",
    "ar",
    "hi",
    "uk",
    "ru",
)
LANGUAGE_VALUES = (*ANSWERED_LANGUAGES, *BRIDGE_LANGUAGES, UNSUPPORTED)


def _word_set(words: str) -> frozenset:
    return frozenset(words.split())


# Names a person may use to ask for a language, in English and in the language itself.
LANGUAGE_NAMES: Dict[str, tuple] = {
    ENGLISH: ("english", "inglés", "ingles", "anglais", "英语", "英語", "영어"),
    FRENCH: ("french", "français", "francais", "francés", "frances"),
    "es": ("spanish", "español", "espanol", "castellano", "espagnol"),
    "tl": ("tagalog", "filipino", "pilipino"),
    "vi": ("vietnamese", "tiếng việt", "tieng viet"),
    "pa": ("punjabi", "panjabi", "ਪੰਜਾਬੀ"),
    "zh": ("chinese", "mandarin", "cantonese", "中文", "华语", "華語"),
    "zh_hans": ("普通话", "国语", "汉语", "简体", "简体中文"),
    "zh_hant": ("廣東話", "粵語", "國語", "繁體", "繁體中文", "繁体"),
    "ko": ("korean", "한국어", "한국말"),
    "fa": ("farsi", "persian", "فارسی"),
    "ar": ("arabic", "العربية", "عربي"),
    "hi": ("hindi", "हिंदी", "हिन्दी"),
    "uk": ("ukrainian", "українська", "українською"),
    "ru": ("russian", "русский", "по-русски", "на русском", "русском"),
}

# Words that may surround a language name in a request to switch ("can you speak X please").
SWITCH_FILLERS = _word_set(
    """
    please pls plz pleas in speak speaking talk can could would you u do i want need prefer only
    language lang answer reply write switch change to the me my ok okay yes use en le la por
    favor s'il sil vous plait plaît svp parlez parler parle hablar habla hablas puedes idioma po
    sa
    """
)

# Whole messages that are common short greetings, thanks or calls for help. Detectors cannot
# tell these apart from English, so they are listed; none of them is an English word.
SHORT_PHRASES: Dict[str, tuple] = {
    FRENCH: (
        "bonjour",
        "bonsoir",
        "salut",
        "merci",
        "merci beaucoup",
        "aide",
        "aidez-moi",
        "aidez moi",
        "aide-moi",
        "à l'aide",
        "au secours",
        "oui",
        "ouais",
        "allo",
        "allô",
        "s'il vous plaît",
        "au revoir",
        "bonne nuit",
        "bonne soirée",
        "d'accord",
        "merci bien",
        "non merci",
    ),
    "es": (
        "hola",
        "gracias",
        "muchas gracias",
        "ayuda",
        "ayúdame",
        "ayudame",
        "auxilio",
        "socorro",
        "buenos días",
        "buenos dias",
        "buenas tardes",
        "buenas noches",
        "por favor",
        "ayuda por favor",
    ),
    "tl": (
        "salamat",
        "salamat po",
        "maraming salamat",
        "tulong",
        "tulungan mo ako",
        "tulungan niyo ako",
        "saklolo",
        "kumusta",
        "kamusta",
        "kumusta po",
        "magandang umaga",
        "magandang hapon",
        "magandang gabi",
        "opo",
    ),
    "vi": (
        "xin chào",
        "xin chao",
        "chào",
        "chào bạn",
        "cảm ơn",
        "cám ơn",
        "cam on",
        "giúp tôi",
        "giúp với",
        "cứu tôi",
        "cứu",
        "cứu với",
    ),
    "fa": ("ممنون", "مرسی", "خواهش می‌کنم"),
    "uk": ("дякую", "будь ласка", "допоможіть", "привіт", "добрий день"),
    "ru": ("спасибо", "пожалуйста", "помогите", "здравствуйте", "привет", "добрый день"),
}
PHRASE_LANGUAGE = {
    phrase: language for language, phrases in SHORT_PHRASES.items() for phrase in phrases
}

# Letters only Vietnamese uses among these languages (with tone marks, and ơ ư ă đ).
VIETNAMESE_LETTERS = re.compile(r"[\u1ea0-\u1ef9ơưăđƠƯĂĐ]")
PERSIAN_LETTERS = re.compile(r"[پچژگکی]")
URDU_LETTERS = re.compile(r"[ٹڈڑںےھ]")
ARABIC_LETTERS = re.compile(r"[ةيكىأإؤ]")
UKRAINIAN_LETTERS = re.compile(r"[іїєґІЇЄҐ]")
RUSSIAN_LETTERS = re.compile(r"[ыэъёЫЭЪЁ]")
# Characters written differently in Simplified and Traditional Chinese.
SIMPLIFIED_CHARS = frozenset(
    "这个们说会来国时对帮吗请贩卖电话谁护让钱没问题险吓警报务门认识语谢给还么里为与无处见东车长开关机听买"
    "爱边们该样经过动发现实"
)
TRADITIONAL_CHARS = frozenset(
    "這個們說會來國時對幫嗎請販賣電話誰護讓錢沒問題險嚇警報務門認識語謝給還麼裡為與無處見東車長開關機聽買"
    "愛邊們該樣經過動發現實闆"
)
TRADITIONAL_CHARS = TRADITIONAL_CHARS - SIMPLIFIED_CHARS

# English words that no Latin-script bridge language uses; a message where they are frequent stays
# English, whatever CLD2 says (it reads some place names, "Vancouver", as French).
ENGLISH_WORDS = _word_set(
    """
    i im i'm the is my you your what how and it this that she we they with for of from about are
    am was can do don't dont not have has will would should help work where who why when want
    need get please pls im i've ive
    """
)
MAX_ENGLISH_SHARE = 0.2
# Enough words to call a message English (and so switch a French conversation back).
MIN_WORDS_FOR_ENGLISH = 3

# French words that English, Spanish and Tagalog do not use (with common phone spellings):
# text-speak and Québécois French is often too short or too unusual for CLD2.
FRENCH_WORDS = _word_set(
    """
    je j'ai jai j'suis jsuis jsui chuis chui suis c'est cest c'était est pas mon mes une des et
    ou où qui quoi koi comment pourquoi avec pour dans moi toi il elle ils elles nous vous mais
    aussi très tres besoin aide aidez aider veux peux peut faut fait faire travail traite
    patron patronne passeport papiers quelqu'un kelkun qqn stp svp ça ca chez m'a m'ont
    j'veux jveux jpeux j'peux j'sais jsais sais ans ami amie blonde chum être etre avoir
    avez êtes etes suis-je travailleuse travailleur sexe oui ouais non merci bonjour salut
    allo au aux du sont ont ma ton tes leur leurs cette ces ce qu'il qu'elle à t'es es-tu
    vis habite j'habite jhabite ici là-bas quand combien c'que jsp jsais chu d'accord
    quel quelle quels quelles est-ce qu'est-ce sur rien trop beaucoup toujours jamais maintenant
    aujourd'hui parce pcq tout tous toute toutes cela ceci celle celui quelque chose personne
    peut-être peut-etre explique expliquez expliquer comprends comprend compris dis-moi dites-moi
    parle-moi parlez-moi joindre rejoindre appeler appelle courriel voudrais pourrais pouvez
    savez connais connaissez j'aimerais bonsoir coucou revoir bientôt bientot tantôt tantot
    parfait génial genial ouin nan pis fak tsé icitte moé toé tard
    """
)
MIN_FRENCH_WORDS = 2
MIN_FRENCH_SHARE = 0.3
# French elision ("l'OCTIP", "d'aide", "qu'est", "n'ai", "s'il"): a one-letter word and an
# apostrophe before the next word, which English, Spanish and Tagalog do not write.
FRENCH_ELISION = re.compile(r"^(l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu)'[a-zàâçéèêëîïôûùœh]")
# A message this short with a French word and no English word is French ("ok merci").
MAX_WORDS_FOR_ONE_FRENCH_WORD = 3

# Tagalog function words that English, French and Spanish do not use: CLD2 is often unsure of
# short Tagalog, which would then stay on the English path.
TAGALOG_WORDS = _word_set(
    """
    ako ikaw siya kami tayo kayo sila nila namin natin ninyo niya akin kanila ko mo ng mga sa po
    ang hindi wala kasi dahil naman lang nang yung iyong ito iyan doon dito saan bakit paano
    kailan tulong tulungan akong ikaw'y kami'y
    """
)
MIN_TAGALOG_WORDS = 2
MIN_TAGALOG_SHARE = 0.4

# What CLD2 may name for Latin text, and how sure it must be.
# Not English: on short French CLD2 often guesses English; English is decided by its words.
LATIN_DETECTED = {"fr": FRENCH, "es": "es", "tl": "tl", "vi": "vi"}
MIN_WORDS_FOR_DETECTOR = 2
MIN_LETTERS_FOR_DETECTOR = 10
MIN_PERCENT = 70

WORD = re.compile(r"[^\W\d_]+(?:['’-][^\W\d_]+)*", re.UNICODE)


@dataclass(frozen=True)
class Detection:
    """The language a message should be answered in, and whether the person chose it."""

    language: str
    chosen: bool = False
    reason: str = ""


# Unicode blocks of the scripts that decide a language; any other letter is "other".
SCRIPT_RANGES = (
    ("latin", ((0x0000, 0x024F), (0x1E00, 0x1EFF))),
    ("cyrillic", ((0x0400, 0x04FF),)),
    ("arabic", ((0x0600, 0x06FF), (0x0750, 0x077F), (0xFB50, 0xFEFF))),
    ("devanagari", ((0x0900, 0x097F),)),
    ("gurmukhi", ((0x0A00, 0x0A7F),)),
    ("hangul", ((0x1100, 0x11FF), (0x3130, 0x318F), (0xAC00, 0xD7AF))),
    ("kana", ((0x3040, 0x30FF),)),
    ("han", ((0x3400, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x2FFFF))),
)


def script_of(char: str) -> str:
    """The writing system of a letter, by Unicode block."""
    code = ord(char)
    for script, ranges in SCRIPT_RANGES:
        if any(low <= code <= high for low, high in ranges):
            return script
    return "other"


def normalise(text: str) -> str:
    return unicodedata.normalize("NFC", text).strip().lower().replace("’", "'")


def words_of(text: str) -> List[str]:
    return WORD.findall(text)


def is_french_word(word: str) -> bool:
    """A word only French writes, among the Latin-script languages the router tells apart."""
    return word in FRENCH_WORDS or FRENCH_ELISION.match(word) is not None


def detect_language(text: str) -> Detection | None:
    """The language to answer in, or None when unsure (the conversation keeps its language)."""
    text = normalise(text or "")
    if not text or text.startswith("/"):
        return None
    choice = _chosen_language(text)
    if choice:
        return Detection(choice, chosen=True, reason="choice")
    phrase = PHRASE_LANGUAGE.get(" ".join(words_of(text)))
    if phrase:
        return Detection(phrase, reason="phrase")
    letters = [char for char in text if char.isalpha()]
    if not letters:
        return None
    scripts: Dict[str, int] = {}
    for char in letters:
        script = script_of(char)
        scripts[script] = scripts.get(script, 0) + 1
    script, count = max(scripts.items(), key=lambda item: item[1])
    if script != "latin" and count * 2 >= len(letters):
        if scripts.get("kana"):
            return Detection(UNSUPPORTED, reason="script")
        return _by_script(script, text)
    return _latin(text, len(letters))


def conversation_language(current: str | None, text: str) -> str:
    """The conversation's language after this message, as the router and the slot decide it:
    the detected or chosen language, else the current one (English when none)."""
    detection = detect_language(text)
    return (detection.language if detection else current) or ENGLISH


def _chosen_language(text: str) -> str | None:
    cleaned = re.sub(r"[^\w\s'-]", " ", text)
    phrase = " ".join(word for word in cleaned.split() if word not in SWITCH_FILLERS)
    for language, names in LANGUAGE_NAMES.items():
        if phrase in names or text.strip(" .!?。！？") in names:
            return language
    return None


def _by_script(script: str, text: str) -> Detection:
    if script == "gurmukhi":
        return Detection("pa", reason="script")
    if script == "devanagari":
        return Detection("hi", reason="script")
    if script == "hangul":
        return Detection("ko", reason="script")
    if script == "han":
        return Detection(_chinese_form(text), reason="script")
    if script == "arabic":
        if URDU_LETTERS.search(text):
            return Detection(UNSUPPORTED, reason="script")
        if PERSIAN_LETTERS.search(text):
            return Detection("fa", reason="letters")
        if ARABIC_LETTERS.search(text):
            return Detection("ar", reason="letters")
        return Detection(_cld2_choice(text, ("fa", "ar"), "ar"), reason="detector")
    if script == "cyrillic":
        if UKRAINIAN_LETTERS.search(text):
            return Detection("uk", reason="letters")
        if RUSSIAN_LETTERS.search(text):
            return Detection("ru", reason="letters")
        return Detection(_cld2_choice(text, ("uk", "ru"), "ru"), reason="detector")
    return Detection(UNSUPPORTED, reason="script")


def _chinese_form(text: str) -> str:
    simplified = sum(char in SIMPLIFIED_CHARS for char in text)
    traditional = sum(char in TRADITIONAL_CHARS for char in text)
    if simplified > traditional:
        return "zh_hans"
    if traditional > simplified:
        return "zh_hant"
    return "zh"


def _latin(text: str, letters: int) -> Detection | None:
    vietnamese = len(VIETNAMESE_LETTERS.findall(text))
    if vietnamese >= 2 and vietnamese * 20 >= letters:
        return Detection("vi", reason="letters")
    words = words_of(text)
    french = sum(is_french_word(word) for word in words)
    if len(words) >= MIN_WORDS_FOR_DETECTOR and french * 2 > len(words):
        return Detection(FRENCH, reason="words")
    english = sum(word in ENGLISH_WORDS for word in words)
    if french and not english and len(words) <= MAX_WORDS_FOR_ONE_FRENCH_WORD:
        return Detection(FRENCH, reason="words")
    if len(words) < MIN_WORDS_FOR_DETECTOR or letters < MIN_LETTERS_FOR_DETECTOR:
        return None
    if english > MAX_ENGLISH_SHARE * len(words):
        return Detection(ENGLISH, reason="words") if len(words) >= MIN_WORDS_FOR_ENGLISH else None
    if "¿" in text or "¡" in text:
        return Detection("es", reason="letters")
    tagalog = sum(word in TAGALOG_WORDS for word in words)
    if tagalog >= MIN_TAGALOG_WORDS and tagalog >= MIN_TAGALOG_SHARE * len(words):
        return Detection("tl", reason="words")
    if french >= MIN_FRENCH_WORDS and french >= MIN_FRENCH_SHARE * len(words):
        return Detection(FRENCH, reason="words")
    languages = _cld2(text)
    if languages:
        code, percent = languages[0]
        if code in LATIN_DETECTED and percent >= MIN_PERCENT:
            return Detection(LATIN_DETECTED[code], reason="detector")
    if french and not english:
        # No bridge language is sure, no English word: French written on a phone.
        return Detection(FRENCH, reason="words")
    return None


def _cld2(text: str) -> List[tuple]:
    """CLD2's best guesses as (code, percent of the text), most likely first; none if unreadable.

    bestEffort: short messages get a guess too; the callers decide how sure it must be.
    """
    try:
        _, _, details = pycld2.detect(text, bestEffort=True)
    except (pycld2.error, UnicodeError):
        return []
    return [(code, percent) for _, code, percent, _ in details if code != "un"]


def _cld2_choice(text: str, candidates: tuple, default: str) -> str:
    for code, _ in _cld2(text):
        if code in candidates:
            return code
    return default


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class LanguageRouter(PatternComponent):
    """Marks each message's language; bridge languages and choices get deterministic intents."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {}

    def __init__(self, config: Dict[str, Any] | None = None) -> None:
        """Nothing to configure: the languages and their rules are this module's."""

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = message.get(TEXT) or ""
            detection = detect_language(_without_entities(text, message.get(ENTITIES)))
            if detection is None:
                continue
            _set_language(message, detection.language, len(text))
            if detection.chosen:
                set_intent(message, CHOOSE_LANGUAGE_INTENT, 1.0, detection.reason, SOURCE_KEY)
            elif detection.language not in ANSWERED_LANGUAGES:
                set_intent(message, OTHER_LANGUAGE_INTENT, 1.0, detection.reason, SOURCE_KEY)
        return messages


def _without_entities(text: str, entities: List[Dict[str, Any]] | None) -> str:
    """The text with extracted entities (place names) blanked: they say nothing of the language."""
    for entity in entities or []:
        start, end = entity.get(ENTITY_ATTRIBUTE_START), entity.get(ENTITY_ATTRIBUTE_END)
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= len(text):
            text = text[:start] + " " * (end - start) + text[end:]
    return text


def _set_language(message: Message, language: str, length: int) -> None:
    entities = [
        entity
        for entity in (message.get(ENTITIES) or [])
        if entity.get(ENTITY_ATTRIBUTE_TYPE) != LANGUAGE_ENTITY
    ]
    entities.append(language_entity(language, length, LanguageRouter.__name__))
    message.set(ENTITIES, entities, add_to_output=True)
