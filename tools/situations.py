"""Scores whole replies to held-out messages sent through REST, one language at a time.

English: the held-out situations (tests/nlu/situations.yml). Other languages the assistant answers
in: that language's held-out NLU set (tools/paths.HELDOUT_BY_LANGUAGE), each line one conversation
whose intent decides its group. Each conversation is sent with a fresh sender; the replies from its
scored turn on must give the help its group needs (the rules below) and, outside English, be in the
conversation's language (the language router's detector); the intents the server parsed (read
back from the tracker store, since REST does not return them) are scored like the held-out NLU
test. Bridge languages get the bridge reply of their language (tests/nlu/languages_heldout.yml).
Contacts come from the service directory and the generic replies from domain.yml, never typed here.

    python -m tools.situations --url http://localhost:5005 [--db var/trackers.db] [--misses]
                               [--dump replies.json] [--language fr]
"""

from __future__ import annotations

import argparse
import json
import re
import time
import uuid
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence, Tuple

import yaml

from actions.directory import Directory, Service, load_directory
from actions.places import load_gazetteer
from tools import paths
from tools.heldout import (
    ENGLISH,
    MIN_ACCURACY,
    MIN_EMERGENCY_RECALL,
    OUT_OF_SCOPE_OK,
    heldout_sets,
    is_right,
    label_of,
    language_examples,
    language_of,
    load_examples,
    score,
)
from tools.trackers import tracker_db, user_messages
from tools.yaml_io import line_of_value

GROUPS = (
    "trafficking_disclosure",
    "worried_other",
    "minor",
    "sex_worker",
    "danger",
    "text_speak",
)
TEXT_SPEAK = "text_speak"
# Issue 12's bars: the share of conversations whose whole reply must pass.
TARGET_OVERALL = 0.95
TARGET_MINOR = 1.0
TARGET_DANGER = 1.0
# What the assistant last reached on each set (docs/PERFORMANCE.md), less two conversations for
# run-to-run noise, and never above the targets: the tests fail below these, so nothing slides
# back while the targets are still open. Raise them as the assistant improves; never lower them.
# (overall, under 18, danger), per set.
FLOORS = {
    paths.SITUATIONS: (0.95, 0.98, 0.96),
    paths.SITUATIONS_FRESH: (0.95, 0.96, 0.93),
    paths.SITUATIONS_THIRD: (0.98, 0.96, 0.92),
    paths.SITUATIONS_FOURTH: (0.96, 0.95, 0.92),
    paths.SITUATIONS_FIFTH: (0.94, 0.95, 0.91),
    paths.SITUATIONS_DEV: (0.96, 0.97, 0.98),
}
SETS = paths.SITUATION_SETS
# Reasons that mean a young person got adult framing: never allowed, whatever the scores.
ADULT_FRAMING_REASONS = ("adult sex-worker service", "adult framing", "adult button")

# Which directory entries answer which group (their numbers and names are read from the directory).
TRAFFICKING_LINES = ("octip", "canadian_human_trafficking_hotline")
YOUTH_LINES = ("kids_help_phone", "bc_helpline_for_children")
EMERGENCY_LINE = "emergency_911"
SEX_WORKERS = "sex_workers"
TRAFFICKING_NEEDS = frozenset({"trafficking", "octip"})
GENERIC_RESPONSES = ("utter_fallback", "utter_out_of_scope")
# The reply for a sex worker where the directory has no sex-worker service (outside BC).
NONE_WHERE_YOU_ARE = "utter_referral_sex_workers_elsewhere"
# The one reply a bridge language gets whatever the question; in a language the assistant answers
# in, it is as generic as a fallback.
BRIDGE_RESPONSE = "utter_language_bridge"
# The held-out NLU sets of other languages: the whole-reply rules an intent's reply must follow.
GROUP_OF_INTENT = {
    "emergency": "danger",
    "request_help_trafficking": "trafficking_disclosure",
    "report_trafficking": "trafficking_disclosure",
    "request_octip_contact": "trafficking_disclosure",
    "request_sex_worker_support": "sex_worker",
    "request_youth_support": "minor",
}
# Issue 14's bar on the reply language (intent accuracy and emergency recall: tools/heldout.py's).
MIN_REPLY_LANGUAGE = 0.98
# What each language's held-out set last reached (PERFORMANCE.md), less about two messages for
# run-to-run noise: (intent accuracy, emergency recall, reply in the language). The tests fail
# below these while the targets above are still open; never lower them.
LANGUAGE_FLOORS = {
    paths.HELDOUT_FR: (0.91, 0.95, 0.98),
    paths.HELDOUT_FR_FRESH: (0.94, 0.85, 0.97),
    paths.DEV_FR: (0.95, 0.95, 0.98),
}
HOTLINE = "canadian_human_trafficking_hotline"
# Adult framing a young person must never get: the words, adult legality, and buttons to them.
# Saying a young person is "never a 'sex worker'" denies the framing, so a negation just before the
# words does not count.
ADULT_WORDS = re.compile(
    r"(?<!never a )(?<!never a ')(?<!not a )(?<!not a ')(?<!never )(?<!not )"
    r"\bsex[- ]?workers?\b",
    re.IGNORECASE,
)
ADULT_LEGALITY = re.compile(
    r"\bsell(?:ing)? (?:your own |one'?s own )?sex(?:ual services)?\b[^.\n]{0,40}?"
    r"\bnot (?:a crime|illegal|criminali[sz]ed)",
    re.IGNORECASE,
)
ADULT_PAYLOADS = ("/faq/sex_work_legality_canada", "/request_sex_worker_support")
# The same words in French; a French youth text does not name them at all.
ADULT_WORDS_FR = re.compile(r"\btravailleu(?:r|rs|se|ses) du sexe\b", re.IGNORECASE)
ADULT_FRAMING = {ENGLISH: (ADULT_WORDS, ADULT_LEGALITY), "fr": (ADULT_WORDS_FR,)}
FIRST_SENTENCE = re.compile(r"^(.+?[.!?])(?:\s|$)", re.DOTALL)
NO_REPLY_REASON = "no reply"
DANGER_REASON = "911 is not in the first message"


@dataclass(frozen=True)
class Turn:
    text: str
    intent: str
    line: int | None = None


@dataclass(frozen=True)
class Conversation:
    group: str
    turns: Tuple[Turn, ...]
    about: str = ""
    under_18: bool = False
    score_from: int = -1
    must: Tuple[str, ...] = ()
    must_not: Tuple[str, ...] = ()
    language: str = ENGLISH

    @property
    def expected(self) -> str:
        """The intent the scored turn was written for."""
        return self.turns[self.first_scored].intent

    @property
    def content(self) -> str:
        """The group whose rules apply: a text-speak message's own content group."""
        return self.about if self.group == TEXT_SPEAK else self.group

    @property
    def is_minor(self) -> bool:
        return self.content == "minor" or self.under_18

    @property
    def first_scored(self) -> int:
        return self.score_from % len(self.turns)


def conversations_in(document: Any) -> List[Conversation]:
    """The conversations of a situations file already parsed (PyYAML or ruamel)."""
    found = []
    for item in (document or {}).get("conversations") or []:
        raw_turns = item.get("turns") or [item]
        found.append(
            Conversation(
                group=str(item.get("group", "")),
                about=str(item.get("about", "")),
                under_18=bool(item.get("under_18", False)),
                score_from=int(item.get("score_from", -1)),
                must=tuple(item.get("must") or ()),
                must_not=tuple(item.get("must_not") or ()),
                turns=tuple(
                    Turn(str(t.get("text", "")), str(t.get("intent", "")), line_of_value(t, "text"))
                    for t in raw_turns
                ),
            )
        )
    return found


def load_conversations(path: Path = paths.ROOT / paths.SITUATIONS) -> List[Conversation]:
    return conversations_in(yaml.safe_load(Path(path).read_text(encoding="utf-8")))


def _first_sentence(domain: Dict[str, Any], response: str) -> str:
    text = domain["responses"][response][0]["text"].strip()
    match = FIRST_SENTENCE.match(text)
    return match.group(1) if match else text


def heldout_conversations(
    language: str, root: Path = paths.ROOT, which: str | None = None
) -> List[Conversation]:
    """A language's held-out NLU set (`which`, or its first), one conversation per line."""
    path = Path(root) / which if which else heldout_sets(root)[language]
    return [
        Conversation(GROUP_OF_INTENT.get(intent, ""), (Turn(text, intent),), language=language)
        for text, intent in load_examples(path)
    ]


def conversations_for(
    language: str, which: str | None = None, root: Path = paths.ROOT
) -> List[Conversation]:
    """What is scored for a language: a situations set in English (`which`, or the first), one
    of the language's held-out sets otherwise."""
    if language == ENGLISH:
        return load_conversations(Path(root) / (which or paths.SITUATIONS))
    return heldout_conversations(language, root, which)


def set_path(language: str, name: str | None) -> str:
    """The file of the set `--set` names for a language (None: the language's first set)."""
    sets = SETS if language == ENGLISH else paths.OTHER_LANGUAGE_SETS[language]
    if name is None:
        return next(iter(sets.values()))
    if name not in sets:
        raise ValueError(f"no set {name!r} in {language}: {', '.join(sets)}")
    return sets[name]


def bridge_messages(root: Path = paths.ROOT) -> List[Tuple[str, str]]:
    """(text, language) of the held-out messages in a bridge language (not English or French)."""
    answered = set(paths.HELDOUT_BY_LANGUAGE)
    return [
        (text, language)
        for text, language in language_examples(Path(root) / paths.LANGUAGES_HELDOUT)
        if language not in answered
    ]


def _contact_pattern(service: Service) -> re.Pattern:
    """Any way the reply can name a service: its name, short name, numbers or addresses."""
    names = {service.name, service.name.split(" (")[0]}
    contacts = {*service.phone, *(a for a in (service.web, service.chat) if a)}
    if service.text:
        contacts.add(service.text.number)
    words = [re.escape(n) for n in sorted(names | contacts, key=len, reverse=True)]
    return re.compile(rf"(?<![\w.-])(?:{'|'.join(words)})(?![\w/-])", re.IGNORECASE)


@dataclass(frozen=True)
class Verdict:
    passed: bool
    reasons: Tuple[str, ...] = ()


@dataclass
class Rules:
    """The whole-reply rules of each group, built from the directory and domain.yml."""

    directory: Directory
    generic: Tuple[str, ...]
    bridge: Dict[str, str] = field(default_factory=dict)
    none_where_you_are: str = ""
    patterns: Dict[str, re.Pattern] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.patterns = {s.id: _contact_pattern(s) for s in self.directory.services}

    @classmethod
    def load(cls, root: Path = paths.ROOT) -> Rules:
        gazetteer = load_gazetteer(Path(root) / paths.PLACES)
        directory = load_directory(Path(root) / paths.SERVICES, gazetteer.region_ids)
        domain = yaml.safe_load((Path(root) / paths.DOMAIN).read_text(encoding="utf-8"))
        generic = []
        for name in GENERIC_RESPONSES:
            for variation in domain["responses"][name]:
                text = variation["text"].strip()
                match = FIRST_SENTENCE.match(text)
                sentence = match.group(1) if match else text
                if sentence not in generic:
                    generic.append(sentence)
        bridge = {
            _condition_value(variation): variation["text"].strip()
            for variation in domain["responses"].get(BRIDGE_RESPONSE) or []
        }
        return cls(
            directory=directory,
            generic=tuple(generic),
            bridge=bridge,
            none_where_you_are=_first_sentence(domain, NONE_WHERE_YOU_ARE),
        )

    def named(self, text: str) -> List[str]:
        """Ids of the directory entries the text names."""
        return [sid for sid, pattern in self.patterns.items() if pattern.search(text)]

    def reply_language(self, text: str) -> str:
        """The language of a reply, with the directory's names and numbers blanked (they are the
        same in every language)."""
        for pattern in self.patterns.values():
            text = pattern.sub(" ", text)
        return language_of(text)

    def is_bridge(self, text: str) -> bool:
        """The reply is one of the bridge reply's variations."""
        return text.strip() in {t for value, t in self.bridge.items() if value != ENGLISH}

    def bridge_reasons(self, language: str, replies: Sequence[Dict[str, Any]]) -> List[str]:
        """What is wrong with the reply to a message in a bridge language: it must be that
        language's bridge reply (for Chinese, the one showing both written forms counts too)
        and give the trafficking hotline's number."""
        if not replies:
            return [NO_REPLY_REASON]
        text = "\n".join(str(m.get("text") or "") for m in replies).strip()
        reasons = []
        if not any(is_right(value, language) and text == t for value, t in self.bridge.items()):
            reasons.append(f"not the {language} bridge reply")
        hotline = self.directory.get(HOTLINE).phone[0]
        if hotline not in text:
            reasons.append(f"no {hotline}")
        return reasons

    def _ids(self, keep) -> set:
        return {s.id for s in self.directory.services if keep(s)}

    def judge(self, conversation: Conversation, replies: Sequence[Dict[str, Any]]) -> Verdict:
        """`replies`: the bot messages from the conversation's scored turn on, in order."""
        if not replies:
            return Verdict(False, (NO_REPLY_REASON,))
        texts = [str(m.get("text") or "") for m in replies]
        buttons = [b for m in replies for b in m.get("buttons") or []]
        whole = "\n".join(texts + [str(b.get("title", "")) for b in buttons])
        named = set(self.named(whole))
        reasons = []
        if conversation.expected not in OUT_OF_SCOPE_OK:
            generic = [g for g in self.generic if any(g.lower() in t.lower() for t in texts)]
            if generic:
                reasons.append(f"generic reply ({generic[0]!r})")
            elif conversation.language != ENGLISH and any(self.is_bridge(t) for t in texts):
                reasons.append("generic reply (the bridge reply)")
        if conversation.language != ENGLISH:
            got = self.reply_language("\n".join(texts))
            if got != conversation.language:
                reasons.append(f"reply in {got}, not {conversation.language}")
        group = conversation.content
        if group == "trafficking_disclosure" and not named & set(TRAFFICKING_LINES):
            reasons.append("no OCTIP or trafficking hotline")
        if group == "worried_other":
            lines = self._ids(lambda s: s.status == "active" and s.phone) - {EMERGENCY_LINE}
            if not named & lines:
                reasons.append("no referral number")
        if group == "sex_worker":
            reasons += self._sex_worker_reasons(named, whole)
        if group == "danger" and not self.patterns[EMERGENCY_LINE].search(texts[0]):
            reasons.append(DANGER_REASON)
        if conversation.is_minor:
            reasons += self._minor_reasons(whole, named, buttons)
        for service_id in conversation.must:
            if service_id not in named:
                reasons.append(f"missing {service_id}")
        for service_id in conversation.must_not:
            if service_id in named:
                reasons.append(f"names {service_id}")
        return Verdict(not reasons, tuple(reasons))

    def _sex_worker_reasons(self, named: set, whole: str) -> List[str]:
        fit = self._ids(lambda s: s.status == "active" and SEX_WORKERS in s.audiences)
        only_for_workers = self._ids(lambda s: set(s.audiences) == {SEX_WORKERS})
        trafficking_only = self._ids(lambda s: set(s.audiences) <= TRAFFICKING_NEEDS)
        if self._says_none_where_you_are(whole):
            # Outside BC the directory has nothing for sex workers: saying so plainly is right,
            # unless a Canada-wide service for sex workers has been added since.
            nationwide = self._ids(
                lambda s: (
                    s.status == "active" and SEX_WORKERS in s.audiences and s.coverage == "canada"
                )
            )
            return ["a Canada-wide service for sex workers is not named"] if nationwide else []
        if not named & fit:
            return ["no service for sex workers"]
        if named & trafficking_only and not named & only_for_workers:
            return ["only trafficking services"]
        return []

    def _says_none_where_you_are(self, whole: str) -> bool:
        return bool(self.none_where_you_are) and self.none_where_you_are.lower() in whole.lower()

    def _minor_reasons(self, whole: str, named: set, buttons: List[Dict]) -> List[str]:
        reasons = []
        if not named & set(YOUTH_LINES):
            reasons.append("no youth line (Kids Help Phone or Helpline for Children)")
        adult_services = named & self._ids(lambda s: set(s.audiences) == {SEX_WORKERS})
        if adult_services:
            reasons.append(f"adult sex-worker service: {', '.join(sorted(adult_services))}")
        return reasons + adult_framing_in(whole, buttons)


def adult_framing_in(text: str, buttons: Iterable[Dict], language: str = ENGLISH) -> List[str]:
    """The adult framing a young person must never get in one text and its buttons."""
    reasons = []
    for pattern in ADULT_FRAMING.get(language, ADULT_FRAMING[ENGLISH]):
        hit = pattern.search(text)
        if hit:
            reasons.append(f"adult framing: {hit.group(0)!r}")
    for button in buttons:
        if str(button.get("payload", "")).startswith(ADULT_PAYLOADS):
            reasons.append(f"adult button: {button.get('payload')}")
    return reasons


@dataclass
class Outcome:
    conversation: Conversation
    sender: str
    replies: List[List[Dict[str, Any]]]
    verdict: Verdict
    intents: List[str] = field(default_factory=list)


def _condition_value(variation: Dict[str, Any]) -> str:
    """The language slot value a variation is for ("" for the one without a condition)."""
    for condition in variation.get("condition") or []:
        if condition.get("name") == "language":
            return str(condition.get("value"))
    return ""


def converse(url: str, conversation: Conversation, timeout: float = 30) -> Tuple[str, List]:
    import requests

    sender = f"situations-{uuid.uuid4().hex[:12]}"
    replies = []
    for turn in conversation.turns:
        response = requests.post(
            f"{url.rstrip('/')}/webhooks/rest/webhook",
            json={"sender": sender, "message": turn.text},
            timeout=timeout,
        )
        response.raise_for_status()
        replies.append(response.json())
    return sender, replies


def parsed_intents(db: Path, since: float) -> Dict[str, List[str]]:
    """The label the server gave each message, per sender, in order (from the tracker store)."""
    found: Dict[str, List[str]] = defaultdict(list)
    for message in user_messages(db, since):
        found[message.sender].append(label_of(message.parse_data))
    return found


def run(
    url: str,
    conversations: Iterable[Conversation],
    rules: Rules,
    db: Path | None = None,
    workers: int = 4,
) -> List[Outcome]:
    conversations = list(conversations)
    started = time.time() - 1
    with ThreadPoolExecutor(max_workers=workers) as pool:
        sent = list(pool.map(lambda c: converse(url, c), conversations))
    outcomes = []
    for conversation, (sender, replies) in zip(conversations, sent, strict=True):
        scored = [m for reply in replies[conversation.first_scored :] for m in reply]
        outcomes.append(Outcome(conversation, sender, replies, rules.judge(conversation, scored)))
    if db is not None and Path(db).exists():
        intents = parsed_intents(db, started)
        for outcome in outcomes:
            outcome.intents = intents.get(outcome.sender, [])
    return outcomes


def _rate(outcomes: List[Outcome]) -> float:
    return sum(o.verdict.passed for o in outcomes) / len(outcomes) if outcomes else 1.0


def bars(
    outcomes: List[Outcome], which: str = paths.SITUATIONS
) -> List[Tuple[str, List[Outcome], float, float]]:
    """(what, the conversations it counts, the target share that must pass, the floor)."""
    minors = [o for o in outcomes if o.conversation.is_minor]
    danger = [o for o in outcomes if o.conversation.content == "danger"]
    floor_overall, floor_minor, floor_danger = FLOORS[which]
    return [
        ("overall", outcomes, TARGET_OVERALL, floor_overall),
        ("under 18 (incl. text-speak, third party)", minors, TARGET_MINOR, floor_minor),
        ("danger, 911 first (incl. text-speak)", danger, TARGET_DANGER, floor_danger),
    ]


def failures(outcomes: List[Outcome]) -> List[str]:
    """The targets not met."""
    return [
        f"{what}: {_rate(counted):.3f} < {target}"
        for what, counted, target, _ in bars(outcomes)
        if _rate(counted) < target
    ]


def regressions(outcomes: List[Outcome], which: str = paths.SITUATIONS) -> List[str]:
    """The floors not held."""
    return [
        f"{what}: {_rate(counted):.3f} < {floor}"
        for what, counted, _, floor in bars(outcomes, which)
        if _rate(counted) < floor
    ]


def adult_framing(outcomes: List[Outcome]) -> List[str]:
    """Conversations with someone under 18 that got adult framing, with what they got."""
    return [
        f"{' / '.join(t.text for t in o.conversation.turns)!r}: {reason}"
        for o in outcomes
        if o.conversation.is_minor
        for reason in o.verdict.reasons
        if reason.startswith(ADULT_FRAMING_REASONS)
    ]


def intent_triples(outcomes: List[Outcome]) -> List[Tuple[str, str, str]]:
    return [
        (turn.text, turn.intent, got)
        for o in outcomes
        if len(o.intents) == len(o.conversation.turns)
        for turn, got in zip(o.conversation.turns, o.intents, strict=True)
    ]


def _miss_lines(outcomes: List[Outcome], label) -> List[str]:
    """One line per conversation that failed, tagged with label(conversation), and why; then
    one per message whose parsed intent was wrong."""
    triples = intent_triples(outcomes)
    return [
        f"  miss [{label(o.conversation)}] {' / '.join(t.text for t in o.conversation.turns)!r}: "
        + "; ".join(o.verdict.reasons)
        for o in outcomes
        if not o.verdict.passed
    ] + [
        f"  intent: {text!r} expected {expected} got {got}"
        for text, expected, got in (score(triples).errors if triples else [])
    ]


def table(outcomes: List[Outcome], misses: bool = False, which: str = paths.SITUATIONS) -> str:
    lines = [f"{'group':42} {'n':>4} {'passed':>7} {'score':>6} {'intent acc':>10}"]
    by_group = {g: [o for o in outcomes if o.conversation.group == g] for g in GROUPS}
    for label, counted in [*by_group.items(), *((w, c) for w, c, _, _ in bars(outcomes))]:
        triples = intent_triples(counted)
        accuracy = f"{score(triples).accuracy:.3f}" if triples else "-"
        passed = sum(o.verdict.passed for o in counted)
        lines.append(
            f"{label:42} {len(counted):>4} {passed:>7} {_rate(counted):>6.3f} {accuracy:>10}"
        )
    triples = intent_triples(outcomes)
    if triples:
        result = score(triples)
        lines.append(
            f"intent accuracy on {len(triples)} messages: {result.accuracy:.3f}; "
            f"emergency recall {result.emergency_recall:.3f}"
        )
    else:
        lines.append("intent accuracy: not measured (tracker store not readable here: use --db)")
    problems = failures(outcomes)
    lines.append("targets met" if not problems else "targets NOT met: " + "; ".join(problems))
    below = regressions(outcomes, which)
    lines.append("floors held" if not below else "BELOW THE FLOORS: " + "; ".join(below))
    if misses:
        lines += _miss_lines(outcomes, lambda c: c.group)
    return "\n".join(lines)


REPLY_LANGUAGE_REASON = "reply in "
HELP_INTENTS = (*(i for i in GROUP_OF_INTENT if i != "emergency"), "ask_what_happens")


def family(intent: str) -> str:
    """The row of the per-language table an intent is counted in."""
    if intent.startswith("faq/"):
        return "FAQ topics"
    if intent in HELP_INTENTS:
        return "help intents"
    if intent == "emergency":
        return "emergency"
    if intent == "out_of_scope":
        return "out of scope"
    return "chit-chat and location"


def _share(outcomes: List[Outcome], ok) -> float:
    return sum(1 for o in outcomes if ok(o)) / len(outcomes) if outcomes else 1.0


def _in_language(outcome: Outcome) -> bool:
    return not any(r.startswith(REPLY_LANGUAGE_REASON) for r in outcome.verdict.reasons)


def gives_911_first(outcome: Outcome) -> bool:
    """The reply came, with 911 in its first message (as the danger group's rule checks it)."""
    return not {DANGER_REASON, NO_REPLY_REASON} & set(outcome.verdict.reasons)


def language_bars(outcomes: List[Outcome]) -> List[Tuple[str, float | None, float]]:
    """Issue 14's bars for a held-out language set: (what, the value or None, the target)."""
    triples = intent_triples(outcomes)
    emergencies = [o for o in outcomes if o.conversation.expected == "emergency"]
    return [
        (
            "intent accuracy (served parse)",
            score(triples).accuracy if triples else None,
            MIN_ACCURACY,
        ),
        (
            "emergency recall (911 first)",
            _share(emergencies, gives_911_first),
            MIN_EMERGENCY_RECALL,
        ),
        ("reply in the language", _share(outcomes, _in_language), MIN_REPLY_LANGUAGE),
    ]


def language_failures(outcomes: List[Outcome]) -> List[str]:
    """The bars a held-out language set does not meet (an unmeasured one counts as not met)."""
    return [
        f"{what}: {'not measured' if value is None else f'{value:.3f}'} < {target}"
        for what, value, target in language_bars(outcomes)
        if value is None or value < target
    ]


def language_regressions(outcomes: List[Outcome], which: str = paths.HELDOUT_FR) -> List[str]:
    """The floors a held-out language set (the file `which`) falls below."""
    floors = LANGUAGE_FLOORS[which]
    return [
        f"{what}: {'not measured' if value is None else f'{value:.3f}'} < {floor}"
        for (what, value, _), floor in zip(language_bars(outcomes), floors, strict=True)
        if value is None or value < floor
    ]


def language_table(
    outcomes: List[Outcome], misses: bool = False, which: str = paths.HELDOUT_FR
) -> str:
    """The whole-reply scores of one language's held-out set, by kind of intent."""
    language = outcomes[0].conversation.language if outcomes else ""
    lines = [
        f"held-out set {which}, language {language}",
        f"{'intents':28} {'n':>4} {'passed':>7} {'score':>6} {'in lang.':>8} {'intent acc':>10}",
    ]
    rows: Dict[str, List[Outcome]] = defaultdict(list)
    for outcome in outcomes:
        rows[family(outcome.conversation.expected)].append(outcome)
    for label, counted in [*sorted(rows.items()), ("all", outcomes)]:
        triples = intent_triples(counted)
        accuracy = f"{score(triples).accuracy:.3f}" if triples else "-"
        lines.append(
            f"{label:28} {len(counted):>4} {sum(o.verdict.passed for o in counted):>7} "
            f"{_rate(counted):>6.3f} {_share(counted, _in_language):>8.3f} {accuracy:>10}"
        )
    triples = intent_triples(outcomes)
    if triples:
        lines.append(f"emergency recall (served parse): {score(triples).emergency_recall:.3f}")
    for what, value, target in language_bars(outcomes):
        shown = "not measured (use --db)" if value is None else f"{value:.3f}"
        lines.append(f"{what}: {shown} (target {target})")
    problems = language_failures(outcomes)
    lines.append("targets met" if not problems else "targets NOT met: " + "; ".join(problems))
    below = language_regressions(outcomes, which)
    lines.append("floors held" if not below else "BELOW THE FLOORS: " + "; ".join(below))
    if misses:
        lines += _miss_lines(outcomes, lambda c: c.expected)
    return "\n".join(lines)


def dump(outcome: Outcome) -> Dict[str, Any]:
    return {
        "group": outcome.conversation.group,
        "turns": [asdict(turn) for turn in outcome.conversation.turns],
        "parsed": outcome.intents,
        "replies": outcome.replies,
        "passed": outcome.verdict.passed,
        "reasons": list(outcome.verdict.reasons),
    }


def main(argv: List[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", default="http://localhost:5005", help="the Rasa server")
    parser.add_argument("--db", type=Path, default=None, help="its tracker store (SQLite)")
    parser.add_argument(
        "--set",
        choices=sorted(set(SETS).union(*paths.OTHER_LANGUAGE_SETS.values())),
        default=None,
        help="which held-out set of the language (default: its first)",
    )
    parser.add_argument("--misses", action="store_true", help="list what failed and why")
    parser.add_argument("--dump", type=Path, help="write every reply and verdict to this JSON file")
    parser.add_argument(
        "--language",
        default=ENGLISH,
        choices=sorted(heldout_sets()),
        help="en: the situations; another language: its held-out set",
    )
    args = parser.parse_args(argv)
    english = args.language == ENGLISH
    try:
        which = set_path(args.language, args.set)
    except ValueError as error:
        parser.error(str(error))
    conversations = conversations_for(args.language, which)
    outcomes = run(args.url, conversations, Rules.load(), args.db or tracker_db())
    print(
        table(outcomes, misses=args.misses, which=which)
        if english
        else language_table(outcomes, args.misses, which)
    )
    if args.dump:
        args.dump.write_text(json.dumps([dump(o) for o in outcomes], indent=1), encoding="utf-8")
    return 1 if (failures(outcomes) if english else language_failures(outcomes)) else 0


if __name__ == "__main__":
    raise SystemExit(main())
