"""Shared lookups for actions: the directory, the places, and what the person said."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Tuple

from rasa_sdk import Tracker

from actions.directory import Directory, cached_directory
from actions.places import Gazetteer, Location, cached_gazetteer
from actions.settings import Settings, load_settings

# What a person says (in English or French) when a client or date was violent or dangerous. It
# unlocks BC Bad Date Reporting and the 911 choice for sex workers, so it errs towards matching.
VIOLENCE = re.compile(
    r"\b(bad (dates?|tricks?|johns?|clients?|customers?|punters?)|"
    r"hurt\w*|hit|hitting|beat|beaten|beating|punch\w*|slap\w*|attack\w*|"
    r"assault\w*|rape[ds]?|raping|abus\w*|violent|violence|rough|robbed|robbery|"
    r"chok\w*|strangl\w*|stalk\w*|aggressive\w*|"
    r"dangerous (client|date|john|trick|guy|man|customer)s?|"
    r"stealth\w*|weapon\w*|knife|gun|threat\w*|wouldn'?t pay|didn'?t pay|"
    r"(took|takes?|taking|pulled|pulls?|removed?|removing|slipped)( off)? "
    r"(the |his |my |a )?condom|"
    r"condom (off|removed)|without (my )?consent|"
    # what people warn each other about on a bad date list, short of a blow
    r"warn (the )?(other|others|girls|workers|everyone)|grabb?\w*|shov\w*|pushed|forced?|"
    r"harass\w*|creep\w*|sketchy|doxx?\w*|blackmail\w*|extort\w*|"
    r"(recorded|filmed|photographed) me|(pics|pictures|photos|videos?) of me|"
    r"wouldn'?t (leave|stop|let me)|refused to (pay|leave|stop|use)|"
    r"stole|stolen|ripped me off|scamm?\w*|held me down|pinned me|pulled my hair|spit|spat|"
    r"bit me|bruis\w*|black eye|bleed\w*|threw|kick(ed|ing|s)? me\b(?! out)|scared me|no condom|"
    r"wouldn'?t (wear|use) (a |the )?condom|refused (a|the) condom|"
    r"drugg\w*|spiked|(put|slipped) something in my drink|follow(ed|ing|s) me|"
    # sex workers' words for a date that went bad: force, a robbery, limits crossed
    r"rough(ed)? (me )?up|roughed|handsy|cornered me|overpower\w*|blades?|machete|"
    r"knife ?point|gun ?point|locked (me in|me up|the door)|outed me|"
    r"(took|take|takes|taking|grabbed|snatched) (the |his |my )?money back|"
    r"took back (the |his |my )?money|"
    r"(crossed|ignored|disrespected|pushed|didn'?t respect|wouldn'?t respect) "
    r"(my )?(boundaries|limits)|"
    r"(wouldn'?t|didn'?t|would not|did not) take no|said no to|"
    r"(past|more than|beyond|outside) what we (agreed|said|talked about)|"
    r"(posted|shared|leaked|sent) my (pics|photos|pictures|nudes|videos?)|"
    # a client who will not let go: stalking short of the word
    r"(leaving|leaves|left) (me )?notes|notes on my (car|door)|"
    r"(showed|shows|showing|turned|turns) up at my (house|place|home|door|work|apartment|building)|"
    r"knows where i (live|work|stay)|found (out )?(my|where i) (address|real name|live|stay|house)|"
    r"won'?t stop (texting|calling|messaging|showing up)|"
    # a set-up, a fake cop, a ride that did not end where agreed, money taken back
    r"jumped me|set (me|it) up|fake (cop|police|badge)|(made|forced) me (do it )?for free|"
    r"kept me (in|at|there|for|past|locked)|drove me (way |far )?(out|off|somewhere)|"
    r"turned (scary|mean|violent|nasty)|(come|coming) (to )?find me|"
    r"took (the |his |my )?(envelope|cash|money|it all) back|"
    r"keeps (texting|calling|messaging|showing up)|(keeps|kept) (turning|popping) up|"
    r"(texting|calling|messaging) me (from|on) (new|different|other|fake) (numbers|accounts)|"
    r"(post|share|leak|send|show)\w* my (pics|photos|pictures|nudes|videos?)|"
    # French
    r"mauvais(es)? (clients?|dates?|rendez-vous)|frapp\w*|battu\w*|viol\w*|agress\w*|"
    r"[eé]trangl\w*|tabass\w*|menac\w*|vol[eé]\w*|couteau|armes?|"
    r"(pas|jamais) (voulu )?pay[eé]\w*|"
    r"(enlev|retir)\w* (le |son |la )?(condom|capote|pr[eé]servatif)|"
    r"harc[eè]l\w*|drogu[eé]\w*|film[eé]e? sans|m'a suivie?|avertir les autres|"
    r"forc[eé]e?s?|mordue?|pouss[eé]e?s?|retenue?|enferm[eé]\w*|"
    r"(veut|voulait|a pas voulu|voulu) pas (me )?laisser (partir|sortir)|"
    r"sans (mon )?(consentement|accord))\b",
    re.IGNORECASE,
)


# Pictures or online pressure: a young person also gets Cybertip.ca after another referral.
IMAGES = re.compile(
    r"\b(pics?|pictures?|photos?|nudes?|videos?|vids?|images?|sext\w*|snap(chat)?|webcam|"
    r"screenshots?|online|dms?|insta(gram)?|tiktok|discord|vid[eé]os?|en ligne)\b",
    re.IGNORECASE,
)
# Signs short of a stated age that the person concerned may be young (components/youth_gate.py
# decides on ages): the youth lines are added to other referrals, and nothing is taken away.
YOUTH_HINT = re.compile(
    r"\b(high school|middle school|junior high|secondary school|at school|after school|my school|"
    r"my teachers?|school counsel+or|group home|foster (home|care|mom|dad|parents?|family)|"
    r"youth worker|curfew|older (guy|guys|man|men|boyfriend|bf)|older than me|"
    r"(guys?|men|he'?s|he is|she'?s|she is) (way |much |a lot )?older than (me|her|him)|"
    r"(guys|kids) my age|too young|grounded|homework|sleepover|my class|"
    r"my (little|baby|younger|kid) (sister|brother|cousin|sis|bro)|"
    r"my (daughter|son|kid|kids|child|niece|nephew|stepdaughter|stepson|granddaughter|grandson)|"
    r"my (mom|mum|dad|parents) (would|will|won'?t|wont|doesn'?t|don'?t|dont|can'?t|cant)|"
    r"teens?|teenagers?|[eé]cole|secondaire|polyvalente|famille d'accueil|centre jeunesse|dpj|"
    r"ados?|adolescent\w*|plus (vieux|[aâ]g[eé]e?) que (moi|elle|lui)|trop jeune|mon [aâ]ge)\b",
    re.IGNORECASE,
)
# A client named ("a john", "the client", "un client"): with violence, the reporting sex workers
# run fits, even when the person did not say they sell sex.
CLIENT = re.compile(
    r"\b((a|the|my|this|that|one|our|new|some|another|bad|violent|creepy|sketchy|dangerous|drunk)"
    r"( (bad|new|regular|violent|creepy|sketchy|dangerous|drunk))? "
    r"(client|john|trick|date|regular|customer|punter|sugar daddy|booking|outcall|incall)s?|"
    # a client named first, as in a warning ("client stealthed me"); not "John", a name
    r"^\W*(clients?|tricks?|punters?|customers?)|bad dates?|"
    r"(guy|man|dude|one|he) (who|that) (booked|hired|paid for) me|booked me|"
    r"(guy|man|dude|he)\b[^.?!]{0,25}\bpaid me\b|paid me for (the night|an hour|sex|a date)|"
    r"(my|mostly|one of my|a) regs?|"
    r"(at|on|during) (an?|the|my) (outcall|incall|session|booking|call)|outcalls?|incalls?|"
    r"(he|guy|dude|client) paid (up ?front|in advance)|"
    r"(un|le|mon|ce) client|mauvais client|(en|un) (outcall|incall)|(mes|des|un de mes) clients|"
    r"(un|le|ce|mon) (john|trick))\b",
    re.IGNORECASE,
)

SAID_PATTERNS = {
    "violence": VIOLENCE,
    "images": IMAGES,
    "youth_hint": YOUTH_HINT,
    "client": CLIENT,
}


@dataclass(frozen=True)
class ReferralData:
    settings: Settings
    gazetteer: Gazetteer
    directory: Directory


def referral_data() -> ReferralData:
    """Loads the directory and places, re-reading them when the files change."""
    settings = load_settings()
    gazetteer = cached_gazetteer(settings.places_path, settings.places_path.stat().st_mtime)
    directory = cached_directory(
        settings.directory_path,
        gazetteer.region_ids,
        settings.directory_path.stat().st_mtime,
    )
    return ReferralData(settings, gazetteer, directory)


def person_location(tracker: Tracker, gazetteer: Gazetteer) -> Location | None:
    return gazetteer.resolve(tracker.get_slot("location"))


# The entities components/safety_gate.py sets: an adult says they sell or trade sex, and an FAQ
# question is about the person's own situation.
SEX_WORK_ENTITY = "sex_work"
SITUATION_ENTITY = "situation"
# Their value when the person also told of control.
TOLD_CONTROL = "control"
# components/safety_gate.py: help asked for while the classifier also saw danger.
DANGER_ENTITY = "danger"


def conditions(tracker: Tracker) -> Tuple[str, ...]:
    """What the person said anywhere in the conversation (violence, pictures, signs of youth),
    e.g. before naming a city, whether they said they sell or trade sex, and of control."""
    said = [
        (e.get("text") or "", (e.get("parse_data") or {}).get("entities") or [])
        for e in tracker.events
        if e.get("event") == "user"
    ]
    latest = tracker.latest_message or {}
    said.append((latest.get("text") or "", latest.get("entities") or []))
    found = [
        name
        for name, pattern in SAID_PATTERNS.items()
        if any(pattern.search(text) for text, _ in said)
    ]
    marks = [
        e
        for _, entities in said
        for e in entities
        if e.get("entity") in (SEX_WORK_ENTITY, SITUATION_ENTITY)
    ]
    if any(e.get("entity") == SEX_WORK_ENTITY for e in marks):
        found.append("sex_work")
    if any(e.get("value") == TOLD_CONTROL for e in marks):
        found.append("control")
    return tuple(found)


def danger_possible(tracker: Tracker) -> bool:
    """The latest message asked for help while the classifier also saw danger in it."""
    entities = (tracker.latest_message or {}).get("entities") or []
    return any(e.get("entity") == DANGER_ENTITY for e in entities)


def channel(tracker: Tracker) -> str:
    return tracker.get_latest_input_channel() or "rest"
