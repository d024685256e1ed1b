"""The last NLU step: rules that must not depend on the classifier's confidence.

1. Immediate danger: a message that matches one of the configured danger
   patterns (and none of the past-time markers, unless words of the present
   outweigh them: `now_markers`, "he's outside my door") becomes intent `emergency`
   with confidence 1.0, whatever the classifier said, so the 911 answer
   never rests on ML alone. Figures of speech and hypothetical questions
   (`not_danger_phrases`: "this homework is killing me", "what should I do if
   he threatens me") are blanked out first; the rest of the message still counts.
2. Topic buttons: a payload `/faq/<topic>` selects that FAQ answer directly
   (an unknown topic becomes `nlu_fallback`).
3. Unsure answers: a `faq` intent whose response-selector confidence is below
   `response_threshold` becomes `nlu_fallback`, like the FallbackClassifier
   does for intents.
4. Help backstop: a message that would get the generic fallback or
   out-of-scope reply, but matches one of the configured control patterns
   (documents held, a debt to work off, threats to family...), becomes
   `request_help_trafficking`, so the person is offered the trafficking
   services instead of "I'm not sure I understood". A confident classifier
   result is left alone, and danger still comes first.
5. Short replies stay short: an intent learnt only from short messages (yes, no,
   hi, thanks, a place name) on a message much longer than any of its examples
   is not believed. The next intent of the classifier's ranking is taken when it
   keeps enough confidence once the short-reply intent is set aside; otherwise
   the message is unsure (`nlu_fallback`), and the backstops below apply.
6. Own situation: an FAQ question that tells of the person's own situation, or of
   someone close to them ("my boss keeps...", "I work at..."), or asks in the first
   person on a sex-work topic (`first_person_topics`: "can I...", "my ads"), gets the
   entity `situation`; a rule then ends the answer with a way to reach help
   (actions/follow_up.py). Openers that only announce a question ("I was
   wondering") do not count.
7. Control told, law explained: a statement (not a question, or a question asking
   what to do or whom to call: `help_question_pattern`) that shows signs of control
   but got an FAQ answer gets the help offer instead: on a trafficking topic
   (`disclosure_topics`) always, on another topic unless the person says they sell
   sex. Not for a minor, whose answers carry the youth lines. Any other question
   keeps its answer, which the own-situation rule follows with help.
8. Danger when unsure: a message that would get the generic reply but whose best
   guess under the fallback is `emergency` gets the 911 answer.
9. Sex-worker backstop: an adult who says they sell or trade sex and would get the
   generic reply is offered the sex-worker services instead.
10. Youth backstop: a message about someone under 18 (the `minor` entity of
   components/youth_gate.py) that would get the generic reply becomes
   `request_youth_support`, so a young person, or an adult worried about one,
   gets the youth lines rather than "I'm not sure I understood". So does an unsure
   message with signs the person may be young, short of an age (school, a group
   home, a much older boyfriend: `YOUTH_HINT`, the words the referrals read); its
   reply adds the trafficking lines, since the age is not known.
11. Story backstop: a long message (`story_min_words` or more: longer than any
   out-of-scope example) that would still get the generic reply tells a story, and
   a story is never out of scope here. It gets the help intent (`story_intents`)
   the classifier ranks highest, so the person is offered services that fit.
12. Help asked, FAQ answered: a message given an FAQ topic that asks what to do,
   whom to call or where to find help (`help_question_pattern`) gets the help intent
   the classifier ranks highest (`story_intents`); a young person gets the youth help, an
   adult who says they sell or trade sex the sex-worker help.
13. Sex work said: a message in which an adult says they sell or trade sex gets
   the entity `sex_work`, so later replies can add what sex workers need (BC Bad
   Date Reporting after violence, actions/referrals.py); an FAQ question it asks
   is about the person's own situation (6).
14. Danger possible: a message that gets a help intent (`story_intents`) while the
   classifier still gives `emergency` at least `danger_possible_min_confidence` gets
   the entity `danger`; the referral then starts with the 911 choice before the
   services (actions/referrals.py). The intent stays: the person asked for services,
   and 911 is offered, not pushed.
15. Unsure between kinds of help: a message that would get the generic reply because the
   classifier could not choose between two help intents (`story_intents`), which together
   hold at least `help_pair_min_confidence`, needs help either way. It gets the better
   ranked of the two; the youth help when it is one of them and the person does not say
   they are an adult, since a young person must never be given the adult services.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Dict, Iterable, List

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.constants import (
    RESPONSE_SELECTOR_PREDICTION_KEY,
    RESPONSE_SELECTOR_PROPERTY_NAME,
    RESPONSE_SELECTOR_RANKING_KEY,
    RESPONSE_SELECTOR_RESPONSES_KEY,
    RESPONSE_SELECTOR_UTTER_ACTION_KEY,
)
from rasa.shared.constants import DEFAULT_NLU_FALLBACK_INTENT_NAME
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    INTENT_RESPONSE_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

from actions.context import DANGER_ENTITY, YOUTH_HINT

EMERGENCY_INTENT = "emergency"
HELP_INTENT = "request_help_trafficking"
YOUTH_HELP_INTENT = "request_youth_support"
SEX_WORKER_INTENT = "request_sex_worker_support"
MINOR_ENTITY = "minor"
OUT_OF_SCOPE_INTENT = "out_of_scope"
RETRIEVAL_INTENT = "faq"
LANGUAGE_ENTITY = "language"
FRENCH = "fr"
PAYLOAD = re.compile(r"^/faq/([a-z0-9_]+)$")
SOURCE_KEY = "safety_gate"
SITUATION_ENTITY = "situation"
SEX_WORK_ENTITY = "sex_work"
# The value of `situation` (and of `sex_work`) when the message also tells of control.
CONTROL = "control"


@dataclass(frozen=True)
class Signs:
    """What the control and sex-work patterns find in one message: the language of the pattern
    that matched, or None. Matched once per message; the gate's rules read it."""

    control: str | None
    sex_work: str | None


def compile_patterns(patterns: List[str], placeholders: Dict[str, str] | None = None) -> List[Any]:
    """Case-insensitive patterns from config.yml, with each placeholder written out."""
    compiled = []
    for pattern in patterns:
        for placeholder, value in (placeholders or {}).items():
            pattern = pattern.replace(placeholder, value)
        compiled.append(re.compile(pattern, re.IGNORECASE))
    return compiled


def without_accents(text: str) -> str:
    """Lower-case text with accents removed, one character for one, so spans still fit the text.

    French patterns are written without accents: people on phones often leave them out.
    """
    folded = []
    for char in text.lower().replace("’", "'"):
        parts = unicodedata.normalize("NFKD", char)
        base = "".join(c for c in parts if not unicodedata.combining(c))
        folded.append(base if len(base) == 1 else char)
    return "".join(folded)


def message_language(message: Message) -> str | None:
    for entity in message.get(ENTITIES) or []:
        if entity.get(ENTITY_ATTRIBUTE_TYPE) == LANGUAGE_ENTITY:
            return entity.get(ENTITY_ATTRIBUTE_VALUE)
    return None


def mark_french(message: Message, extractor: str) -> None:
    """A French pattern matched: answer in French unless the router already named a language."""
    if message_language(message):
        return
    entity = language_entity(FRENCH, len(message.get(TEXT) or ""), extractor)
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)


def language_entity(language: str, length: int, extractor: str) -> Dict[str, Any]:
    """The `language` entity (filling the slot of the same name) over the whole message."""
    return {
        ENTITY_ATTRIBUTE_TYPE: LANGUAGE_ENTITY,
        ENTITY_ATTRIBUTE_VALUE: language,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: length,
        EXTRACTOR: extractor,
    }


class PatternComponent(GraphComponent):
    """A pipeline step built from its configuration alone: nothing is trained or stored."""

    @classmethod
    def create(
        cls,
        config: Dict[str, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> PatternComponent:
        return cls(config)


@DefaultV1Recipe.register(DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER, is_trainable=False)
class SafetyGate(PatternComponent):
    """Applies the danger backstop, topic payloads and the answer-confidence check."""

    @staticmethod
    def get_default_config() -> Dict[str, Any]:
        return {
            "danger_patterns": [],
            "past_markers": None,
            "now_markers": None,
            "not_danger_phrases": None,
            "response_threshold": 0.5,
            "control_patterns": [],
            "danger_patterns_fr": [],
            "past_markers_fr": None,
            "now_markers_fr": None,
            "not_danger_phrases_fr": None,
            "control_patterns_fr": [],
            "short_reply_intents": [],
            "short_reply_max_words": 10,
            "short_reply_min_confidence": 0.45,
            "own_situation_patterns": [],
            "own_situation_patterns_fr": [],
            "question_openers": None,
            "disclosure_topics": [],
            "question_pattern": None,
            "help_question_pattern": None,
            "adult_pattern": None,
            "sex_work_patterns": [],
            "sex_work_patterns_fr": [],
            "story_min_words": 23,
            "story_intents": [],
            "danger_possible_min_confidence": 1.0,
            "help_pair_min_confidence": 1.0,
            "first_person_topics": [],
            "first_person_pattern": None,
            "youth_topics": [],
            "someone_young_pattern": None,
        }

    def __init__(self, config: Dict[str, Any]) -> None:
        self._danger = compile_patterns(config["danger_patterns"])
        self._not_danger = _optional_pattern(config.get("not_danger_phrases"))
        self._not_danger_fr = _optional_pattern(config.get("not_danger_phrases_fr"))
        self._past = _optional_pattern(config.get("past_markers"))
        self._now = _optional_pattern(config.get("now_markers"))
        self._response_threshold = float(config["response_threshold"])
        self._control = compile_patterns(config["control_patterns"])
        self._danger_fr = compile_patterns(config["danger_patterns_fr"])
        self._past_fr = _optional_pattern(config.get("past_markers_fr"))
        self._now_fr = _optional_pattern(config.get("now_markers_fr"))
        self._control_fr = compile_patterns(config["control_patterns_fr"])
        self._short_reply_intents = frozenset(config["short_reply_intents"])
        self._short_reply_max_words = int(config["short_reply_max_words"])
        self._short_reply_min_confidence = float(config["short_reply_min_confidence"])
        self._own_situation = compile_patterns(config["own_situation_patterns"])
        self._own_situation_fr = compile_patterns(config["own_situation_patterns_fr"])
        self._disclosure_topics = frozenset(config["disclosure_topics"])
        self._sex_work = compile_patterns(config["sex_work_patterns"])
        self._sex_work_fr = compile_patterns(config["sex_work_patterns_fr"])
        self._question = _optional_pattern(config.get("question_pattern"))
        self._help_question = _optional_pattern(config.get("help_question_pattern"))
        self._adult = _optional_pattern(config.get("adult_pattern"))
        self._story_min_words = int(config["story_min_words"])
        self._story_intents = tuple(config["story_intents"])
        self._danger_possible = float(config["danger_possible_min_confidence"])
        self._help_pair = float(config["help_pair_min_confidence"])
        self._first_person_topics = frozenset(config["first_person_topics"])
        self._first_person = _optional_pattern(config.get("first_person_pattern"))
        self._openers = _optional_pattern(config.get("question_openers"))
        self._youth_topics = frozenset(config["youth_topics"])
        self._someone_young = _optional_pattern(config.get("someone_young_pattern"))

    def is_danger(self, text: str) -> bool:
        """Danger happening now, in English or French."""
        return self.danger_language(text) is not None

    def danger_language(self, text: str) -> str | None:
        """The language of the danger pattern that matches, if the message is not about the past."""
        english = _blank(text, self._not_danger)
        if _now(english, self._danger, self._past, self._now):
            return "en"
        # Some French patterns are English words too ("overdose"): what only looks like danger in
        # English stays blank for them.
        folded = _blank(without_accents(english), self._not_danger_fr)
        if _now(folded, self._danger_fr, self._past_fr, self._now_fr):
            return FRENCH
        return None

    def shows_control(self, text: str) -> bool:
        """Strong signs that someone controls or exploits the person."""
        return self.control_language(text) is not None

    def control_language(self, text: str) -> str | None:
        if any(pattern.search(text) for pattern in self._control):
            return "en"
        folded = without_accents(text)
        if any(pattern.search(folded) for pattern in self._control_fr):
            return FRENCH
        return None

    def signs(self, text: str) -> Signs:
        return Signs(control=self.control_language(text), sex_work=self._sex_work_language(text))

    def process(self, messages: List[Message]) -> List[Message]:
        for message in messages:
            text = (message.get(TEXT) or "").strip()
            if text.startswith("/"):
                self._route_payload(message, text)
                continue
            signs = self.signs(text)
            if danger := self.danger_language(text):
                set_intent(message, EMERGENCY_INTENT, 1.0, reason="danger_pattern")
                if danger == FRENCH:
                    mark_french(message, self.__class__.__name__)
            else:
                if self._short_reply_on_long_message(message, text):
                    self._replace_short_reply(message)
                if self._help_question_read_as_short_reply(message, text):
                    # "what do i do" after a story asks for help, not "yes" or "hi"
                    set_intent(message, HELP_INTENT, 1.0, reason="help_question")
                if self._faq_answer_unsure(message):
                    set_intent(
                        message,
                        DEFAULT_NLU_FALLBACK_INTENT_NAME,
                        self._response_threshold,
                        reason="response_confidence",
                    )
            if self._control_disclosure_answered_by_faq(message, text, signs):
                # Someone telling of control needs the help offer more than the explanation.
                set_intent(message, HELP_INTENT, 1.0, reason="control_disclosure")
            elif help_intent := self._help_asked_but_faq_answered(message, text, signs):
                # "Who can I call?" asks for the help offer, not an explanation.
                set_intent(message, *help_intent, reason="help_question_faq")
            elif self._control_told_by_sex_worker(message, signs):
                # Sex-worker support stays; the referral adds the trafficking lines after it.
                add_entity(message, SEX_WORK_ENTITY, CONTROL, self.__class__.__name__)
            elif self._adult_sex_worker_given_youth_help(message, text, signs):
                set_intent(message, SEX_WORKER_INTENT, 1.0, reason="adult_sex_worker")
            elif self._adult_given_youth_answer(message, text):
                self._answer_with_next_topic(message)
            if self._generic_reply(message):
                self._replace_generic_reply(message, text, signs)
            if self._faq_about_own_situation(message, text, signs):
                # A question that tells of control keeps its answer; the help after it is
                # the trafficking lines (actions/follow_up.py).
                told = CONTROL if signs.control and not _mentions_minor(message) else "own"
                add_entity(message, SITUATION_ENTITY, told, self.__class__.__name__)
            if signs.sex_work and not _mentions_minor(message):
                add_entity(message, SEX_WORK_ENTITY, "self", self.__class__.__name__)
            if self._danger_possible_with_help(message):
                add_entity(message, DANGER_ENTITY, "possible", self.__class__.__name__)
        return messages

    def _danger_possible_with_help(self, message: Message) -> bool:
        """A help intent, with `emergency` still given enough confidence by the classifier."""
        if intent_name(message) not in self._story_intents:
            return False
        emergency = _best_ranked(message, (EMERGENCY_INTENT,))
        return emergency is not None and emergency[1] >= self._danger_possible

    def _replace_generic_reply(self, message: Message, text: str, signs: Signs) -> None:
        """A better reply than the generic one, when the message gives a reason for it."""
        if _best_guess(message) == EMERGENCY_INTENT and not signs.control:
            # Unsure, but its best guess is danger: 911 first costs little if wrong.
            set_intent(message, EMERGENCY_INTENT, 1.0, reason="emergency_best_guess")
        elif _mentions_minor(message):
            set_intent(message, YOUTH_HELP_INTENT, 1.0, reason="minor_context")
        elif intent_name(message) == DEFAULT_NLU_FALLBACK_INTENT_NAME and YOUTH_HINT.search(text):
            set_intent(message, YOUTH_HELP_INTENT, 1.0, reason="youth_hint")
        elif signs.control:
            set_intent(message, HELP_INTENT, 1.0, reason="control_pattern")
            if signs.control == FRENCH:
                mark_french(message, self.__class__.__name__)
        elif signs.sex_work:
            set_intent(message, SEX_WORKER_INTENT, 1.0, reason="sex_work_self")
            if signs.sex_work == FRENCH:
                mark_french(message, self.__class__.__name__)
        elif between := self._unsure_between_help(message, text):
            set_intent(message, *between, reason="unsure_between_help")
        elif story := self._best_help_for_story(message, text):
            set_intent(message, *story, reason="story_best_help_guess")
        elif intent_name(message) == DEFAULT_NLU_FALLBACK_INTENT_NAME and self._asks_for_help(text):
            # Unsure what it is about, but it asks what to do: the help offer (a young
            # person's in the youth context) rather than "not sure I understood".
            set_intent(message, HELP_INTENT, 1.0, reason="help_question")

    def _unsure_between_help(self, message: Message, text: str) -> tuple | None:
        """(intent, confidence) for a message left unsure only because two help intents came
        out close: the youth help if it is one of them (unless the person says they are an
        adult), else the better ranked."""
        if intent_name(message) != DEFAULT_NLU_FALLBACK_INTENT_NAME:
            return None
        ranked = _classifier_ranking(message)[:2]
        if len(ranked) < 2 or any(name not in self._story_intents for name, _ in ranked):
            return None
        together = sum(confidence for _, confidence in ranked)
        if together < self._help_pair:
            return None
        names = [name for name, _ in ranked]
        if YOUTH_HELP_INTENT in names and not self._says_adult(text):
            return YOUTH_HELP_INTENT, together
        best = next(name for name in names if name != YOUTH_HELP_INTENT)
        return best, together

    def _best_help_for_story(self, message: Message, text: str) -> tuple | None:
        """(intent, confidence) of the best-ranked help intent, for a long message."""
        if len(text.split()) < self._story_min_words:
            return None
        return _best_ranked(message, self._story_intents)

    def _help_asked_but_faq_answered(
        self, message: Message, text: str, signs: Signs
    ) -> tuple | None:
        """(intent, confidence) of the best-ranked help intent, for a message the classifier gave
        an FAQ topic but that asks what to do, whom to call or where to find help. A young
        person gets the youth help whatever the ranking; an adult who says they sell or trade
        sex, the sex-worker help (with the trafficking lines if they tell of control)."""
        if intent_name(message) != RETRIEVAL_INTENT or not self._asks_for_help(text):
            return None
        if _mentions_minor(message):
            return YOUTH_HELP_INTENT, 1.0
        if signs.sex_work:
            return SEX_WORKER_INTENT, 1.0
        return _best_ranked(message, self._story_intents)

    def tells_own_situation(self, text: str) -> bool:
        """The person speaks of their own situation or of someone close to them."""
        text = self._without_openers(text)
        if any(pattern.search(text) for pattern in self._own_situation):
            return True
        folded = without_accents(text)
        return any(pattern.search(folded) for pattern in self._own_situation_fr)

    def _control_told_by_sex_worker(self, message: Message, signs: Signs) -> bool:
        """Sex-worker support asked for by an adult who tells of control (an ID held, no client
        refused, the money taken): that can be trafficking, so its lines are offered too."""
        if intent_name(message) != SEX_WORKER_INTENT or _mentions_minor(message):
            return False
        return signs.control is not None

    def _adult_sex_worker_given_youth_help(self, message: Message, text: str, signs: Signs) -> bool:
        """Youth support for someone who says they are an adult and sell sex."""
        name = intent_name(message)
        if name != YOUTH_HELP_INTENT or _mentions_minor(message):
            return False
        return self._says_adult(text) and signs.sex_work is not None

    def _adult_given_youth_answer(self, message: Message, text: str) -> bool:
        """The youth-exploitation answer to someone who says they are an adult, asking about
        themselves (no young person named): it answers a question they did not ask."""
        if intent_name(message) != RETRIEVAL_INTENT or _mentions_minor(message):
            return False
        if _answer_topic(message) not in self._youth_topics:
            return False
        if self._someone_young and self._someone_young.search(without_accents(text)):
            return False
        return self._says_adult(text)

    def _says_adult(self, text: str) -> bool:
        """The person says they are an adult (`adult_pattern`, on the text without accents)."""
        return self._adult is not None and self._adult.search(without_accents(text)) is not None

    def _answer_with_next_topic(self, message: Message) -> None:
        """The response selector's best answer that is not a youth topic."""
        selected = _selector(message) or {}
        for entry in selected.get(RESPONSE_SELECTOR_RANKING_KEY, []):
            key = entry.get(INTENT_RESPONSE_KEY) or ""
            if key.split("/", 1)[-1] in self._youth_topics:
                continue
            select_answer(selected, key, entry.get(PREDICTED_CONFIDENCE_KEY, 0.0))
            message.set(SOURCE_KEY, "adult_given_youth_answer", add_to_output=True)
            return

    def _help_question_read_as_short_reply(self, message: Message, text: str) -> bool:
        name = intent_name(message)
        return name in self._short_reply_intents and self._asks_for_help(text)

    def _asks_for_help(self, text: str) -> bool:
        """The message asks what to do or whom to call (`help_question_pattern`)."""
        help_question = self._help_question
        return help_question is not None and help_question.search(without_accents(text)) is not None

    def _control_disclosure_answered_by_faq(
        self, message: Message, text: str, signs: Signs
    ) -> bool:
        """An FAQ answer to a message that tells of control and is a statement, or a question
        asking what to do or whom to call. A sex-work topic keeps its answer for someone who says
        they sell sex: its follow-up names sex-worker services."""
        if intent_name(message) != RETRIEVAL_INTENT:
            return False
        if signs.control is None or _mentions_minor(message):
            return False
        folded = without_accents(text)
        if self._question and self._question.search(folded) and not self._asks_for_help(text):
            return False
        return _answer_topic(message) in self._disclosure_topics or not signs.sex_work

    def _sex_work_language(self, text: str) -> str | None:
        """The person says they sell or trade sex (an adult: minors are handled before)."""
        if any(pattern.search(text) for pattern in self._sex_work):
            return "en"
        folded = without_accents(text)
        return FRENCH if any(pattern.search(folded) for pattern in self._sex_work_fr) else None

    def _faq_about_own_situation(self, message: Message, text: str, signs: Signs) -> bool:
        if intent_name(message) != RETRIEVAL_INTENT:
            return False
        return (
            self.tells_own_situation(text)
            or signs.sex_work is not None
            or self._first_person_on_topic(message, text)
        )

    def _first_person_on_topic(self, message: Message, text: str) -> bool:
        """A question in the first person on a topic where that means the person's own work."""
        if self._first_person is None or _answer_topic(message) not in self._first_person_topics:
            return False
        return self._first_person.search(self._without_openers(text)) is not None

    def _without_openers(self, text: str) -> str:
        """The text without openers that only announce a question ("I was wondering")."""
        return self._openers.sub(" ", text) if self._openers else text

    def _short_reply_on_long_message(self, message: Message, text: str) -> bool:
        name = intent_name(message)
        return name in self._short_reply_intents and len(text.split()) > self._short_reply_max_words

    def _replace_short_reply(self, message: Message) -> None:
        """The best other intent, if it keeps enough of the confidence left; else unsure."""
        ranking = message.get(INTENT_RANKING_KEY) or []
        top = (message.get(INTENT) or {}).get(PREDICTED_CONFIDENCE_KEY) or 0.0
        left = max(1.0 - top, 1e-9)
        for entry in ranking:
            name = entry.get(INTENT_NAME_KEY)
            if name in self._short_reply_intents or name == DEFAULT_NLU_FALLBACK_INTENT_NAME:
                continue
            confidence = min(1.0, (entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0) / left)
            if confidence >= self._short_reply_min_confidence:
                set_intent(message, name, confidence, reason="short_reply_on_long_message")
                return
            break
        set_intent(
            message,
            DEFAULT_NLU_FALLBACK_INTENT_NAME,
            self._short_reply_min_confidence,
            reason="short_reply_on_long_message",
        )

    @staticmethod
    def _generic_reply(message: Message) -> bool:
        """The fallback or out-of-scope reply (a bridge-language message keeps the bridge)."""
        name = intent_name(message)
        return name in (DEFAULT_NLU_FALLBACK_INTENT_NAME, OUT_OF_SCOPE_INTENT)

    def _faq_answer_unsure(self, message: Message) -> bool:
        if intent_name(message) != RETRIEVAL_INTENT:
            return False
        selected = _selector(message)
        if not selected:
            return True
        confidence = selected[RESPONSE_SELECTOR_PREDICTION_KEY].get(PREDICTED_CONFIDENCE_KEY, 0.0)
        return confidence < self._response_threshold

    def _route_payload(self, message: Message, text: str) -> None:
        match = PAYLOAD.match(text)
        if not match:
            return
        selected = _selector(message) or {}
        key = f"{RETRIEVAL_INTENT}/{match.group(1)}"
        known = {
            entry.get(INTENT_RESPONSE_KEY)
            for entry in selected.get(RESPONSE_SELECTOR_RANKING_KEY, [])
        }
        if key not in known:
            set_intent(
                message,
                DEFAULT_NLU_FALLBACK_INTENT_NAME,
                self._response_threshold,
                reason="unknown_payload",
            )
            return
        select_answer(selected, key, 1.0)
        set_intent(message, RETRIEVAL_INTENT, 1.0, reason="payload")


def intent_name(message: Message) -> str | None:
    """The message's intent, as the components before this one left it."""
    return (message.get(INTENT) or {}).get(INTENT_NAME_KEY)


def _optional_pattern(pattern: str | None) -> Any:
    return re.compile(pattern, re.IGNORECASE) if pattern else None


_SENTENCE_END = re.compile(r"[.!?;\n]+")


def _blank(text: str, phrases: Any) -> str:
    """The text with each phrase that only looks like danger replaced by a space."""
    return phrases.sub(" ", text) if phrases else text


def _now(text: str, patterns: List[Any], past: Any, now: Any) -> bool:
    """A danger pattern matches outside the sentences about the past.

    A story often starts in the past and ends with what is happening now ("I came here two years
    ago for a job. Tonight he locked the door"): only the sentences with a past marker are set
    aside. Words of the present ("on his way here", "outside my door") outweigh a past marker:
    "the trick from last night is outside my door" is danger now.
    """
    if past and past.search(text) and not (now and now.search(text)):
        text = " . ".join(s for s in _SENTENCE_END.split(text) if not past.search(s))
    return any(pattern.search(text) for pattern in patterns)


def _best_ranked(message: Message, intents: Iterable[str]) -> tuple | None:
    """(intent, confidence) of the classifier's best-ranked intent among these."""
    for entry in message.get(INTENT_RANKING_KEY) or []:
        if entry.get(INTENT_NAME_KEY) in intents:
            return entry[INTENT_NAME_KEY], entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0
    return None


def _classifier_ranking(message: Message) -> List[tuple]:
    """(intent, confidence) as the classifier ranked them, without the fallback the
    FallbackClassifier put first."""
    return [
        (entry.get(INTENT_NAME_KEY), entry.get(PREDICTED_CONFIDENCE_KEY) or 0.0)
        for entry in message.get(INTENT_RANKING_KEY) or []
        if entry.get(INTENT_NAME_KEY) != DEFAULT_NLU_FALLBACK_INTENT_NAME
    ]


def _best_guess(message: Message) -> str | None:
    """The classifier's own top intent, under the fallback the FallbackClassifier put first."""
    ranking = _classifier_ranking(message)
    return ranking[0][0] if ranking else None


def _mentions_minor(message: Message) -> bool:
    return any(
        entity.get(ENTITY_ATTRIBUTE_TYPE) == MINOR_ENTITY for entity in message.get(ENTITIES) or []
    )


def _selector(message: Message) -> Dict[str, Any] | None:
    return (message.get(RESPONSE_SELECTOR_PROPERTY_NAME) or {}).get(RETRIEVAL_INTENT)


def _answer_topic(message: Message) -> str:
    """The FAQ topic the response selector chose (`faq/<topic>`), or ""."""
    selected = _selector(message) or {}
    key = (selected.get(RESPONSE_SELECTOR_PREDICTION_KEY) or {}).get(INTENT_RESPONSE_KEY) or ""
    return key.split("/", 1)[-1] if "/" in key else ""


def select_answer(selected: Dict[str, Any], key: str, confidence: float) -> None:
    """Makes `faq/<topic>` the response selector's answer (its utter action says which)."""
    selected[RESPONSE_SELECTOR_PREDICTION_KEY] = {
        RESPONSE_SELECTOR_RESPONSES_KEY: [],
        PREDICTED_CONFIDENCE_KEY: confidence,
        INTENT_RESPONSE_KEY: key,
        RESPONSE_SELECTOR_UTTER_ACTION_KEY: f"utter_{key}",
    }


def add_entity(message: Message, name: str, value: Any, extractor: str) -> None:
    """Adds an entity that covers the whole message (it marks the message, not a span)."""
    entity = {
        ENTITY_ATTRIBUTE_TYPE: name,
        ENTITY_ATTRIBUTE_VALUE: value,
        ENTITY_ATTRIBUTE_START: 0,
        ENTITY_ATTRIBUTE_END: len(message.get(TEXT) or ""),
        EXTRACTOR: extractor,
    }
    message.set(ENTITIES, [*(message.get(ENTITIES) or []), entity], add_to_output=True)


def set_intent(
    message: Message, name: str, confidence: float, reason: str, source: str = SOURCE_KEY
) -> None:
    """Makes `name` the message's intent, first in the ranking, and records why under `source`."""
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: confidence}
    ranking = [
        entry
        for entry in (message.get(INTENT_RANKING_KEY) or [])
        if entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [intent, *ranking], add_to_output=True)
    message.set(source, reason, add_to_output=True)
