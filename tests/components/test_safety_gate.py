"""The danger backstop, topic payloads and the answer-confidence check, without a model."""

from __future__ import annotations

import pytest
from rasa.shared.nlu.training_data.message import Message


def message(text, intent="faq", confidence=0.9, topic=None, topic_confidence=0.9):
    data = {"text": text, "intent": {"name": intent, "confidence": confidence}}
    ranking = [
        {"intent_response_key": f"faq/{t}", "confidence": 0.1}
        for t in ("what_is_sex_work", "smuggling_vs_trafficking")
    ]
    data["response_selector"] = {
        "faq": {
            "response": {
                "intent_response_key": f"faq/{topic}" if topic else None,
                "confidence": topic_confidence,
                "utter_action": f"utter_faq/{topic}",
                "responses": [],
            },
            "ranking": ranking,
        }
    }
    return Message(data=data)


@pytest.mark.parametrize(
    "text",
    [
        "he has a knife and says he'll kill me",
        "im locked in a room and cant get out",
        "someone is following me right now",
        "SOS",
        "help!!!",
        "my life is in danger",
        "they're outside my door",
    ],
)
def test_danger_becomes_emergency_whatever_the_classifier_said(gate, text):
    [result] = gate.process([message(text, intent="greet", confidence=0.99)])
    assert result.get("intent") == {"name": "emergency", "confidence": 1.0}
    assert result.get("intent_ranking")[0]["name"] == "emergency"
    assert result.get("safety_gate") == "danger_pattern"


@pytest.mark.parametrize(
    "text",
    [
        "a client hurt me last week, where can I get support",
        "is forced labour trafficking?",
        "do I call 911 to report trafficking?",
        "my employer keeps my passport locked in his office",
        "can I get in trouble for selling sex near a school",
    ],
)
def test_past_events_and_questions_are_left_to_the_classifier(gate, text):
    [result] = gate.process([message(text, intent="request_help_trafficking")])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_a_topic_payload_selects_that_answer(gate):
    [result] = gate.process([message("/faq/smuggling_vs_trafficking", intent="greet")])
    assert result.get("intent") == {"name": "faq", "confidence": 1.0}
    response = result.get("response_selector")["faq"]["response"]
    assert response["intent_response_key"] == "faq/smuggling_vs_trafficking"
    assert response["utter_action"] == "utter_faq/smuggling_vs_trafficking"


def test_an_unknown_topic_payload_falls_back(gate):
    [result] = gate.process([message("/faq/not_a_topic", intent="greet")])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_an_unsure_faq_answer_falls_back(gate):
    [result] = gate.process([message("hmm", topic="what_is_sex_work", topic_confidence=0.05)])
    assert result.get("intent")["name"] == "nlu_fallback"


def test_a_confident_faq_answer_is_kept(gate):
    [result] = gate.process([message("what is sex work", topic="what_is_sex_work")])
    assert result.get("intent")["name"] == "faq"


CONTROL = [
    "i think i'm being trafficked what do i do",
    "my boss holds my passport and says i cant go",
    "I owe the agency 10000 and have to work it off",
    "im not allowed to leave the house or keep my money",
    "he moves me from city to city",
    "they threatened my family back home if i stop",
    "he says he will get me deported if i talk",
    "he'll post my pics unless i keep working",
    "my boyfriend makes me see men",
    "i was forced to work in a restaurant for no pay",
    "he controls my phone and all my money",
    "my man takes all my $$ and i cant go nowhere without him",
    "the agency charges 70% and says i cant quit until i pay",
    "we get fined if we turn down a client",
    "who do i talk to about bein trafficked",
    "my partner takes the money i make",
    "my manager holds on to all our tips and our work permits",
    "bf takes all da $ i make n wont let me keep my own id",
    "i owe money to the people who brought me over",
    "the family keeps our study permits in a safe",
    "he gives us weed and now says we have to do stuff with his friends",
    "boss has r passports n we sleep in the barn",
    "he says i have to pay him back with clients",
    "il dit que je dois le rembourser avec des clients",
    "the agency kept my docs the day i landed",
]


@pytest.mark.parametrize("text", CONTROL)
@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope"])
def test_signs_of_control_turn_a_generic_reply_into_the_help_offer(gate, text, intent):
    [result] = gate.process([message(text, intent=intent, confidence=0.4)])
    assert result.get("intent") == {"name": "request_help_trafficking", "confidence": 1.0}
    assert result.get("safety_gate") == "control_pattern"


@pytest.mark.parametrize("text", CONTROL[:3])
def test_signs_of_control_replace_an_unsure_faq_answer(gate, text):
    [result] = gate.process([message(text, topic="what_is_sex_work", topic_confidence=0.05)])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_a_confident_answer_is_not_overridden_by_signs_of_control(gate):
    text = "is it a sign of trafficking if my boss holds my passport"
    [result] = gate.process([message(text, topic="signs_of_trafficking")])
    assert result.get("intent")["name"] == "faq"
    [result] = gate.process([message(text, intent="report_trafficking")])
    assert result.get("intent")["name"] == "report_trafficking"


def test_danger_comes_before_signs_of_control(gate):
    text = "he took my passport and has a knife"
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.3)])
    assert result.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "what's the weather",
        "i owe my mom money",
        "my passport expired",
        "i can't quit smoking",
        "my mom controls my phone",
        "we cant say no to our parents",
        "i took my phone to the shop",
    ],
)
def test_a_generic_reply_without_signs_of_control_stays(gate, text):
    [result] = gate.process([message(text, intent="out_of_scope", confidence=0.8)])
    assert result.get("intent")["name"] == "out_of_scope"


def about_a_minor(text, **kwargs):
    result = message(text, **kwargs)
    result.set("entities", [{"entity": "minor", "value": True, "start": 0, "end": 5}])
    return result


@pytest.mark.parametrize("intent", ["nlu_fallback", "out_of_scope"])
@pytest.mark.parametrize(
    "text", ["im 15 and this guy keeps buying me stuff", "my daughter is 14, he took my passport"]
)
def test_a_generic_reply_about_a_minor_becomes_youth_support(gate, text, intent):
    [result] = gate.process([about_a_minor(text, intent=intent, confidence=0.4)])
    assert result.get("intent") == {"name": "request_youth_support", "confidence": 1.0}
    assert result.get("safety_gate") == "minor_context"


@pytest.mark.parametrize(
    "text",
    [
        "this older guy from snap keeps asking me to skip school n hang out",
        "my group home worker doesnt know im gone all weekend with him",
        "my daughter keeps getting rides from men we dont know",
    ],
)
def test_an_unsure_message_with_signs_of_youth_gets_the_youth_help(gate, text):
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.4)])
    assert result.get("intent") == {"name": "request_youth_support", "confidence": 1.0}
    assert result.get("safety_gate") == "youth_hint"


def test_signs_of_youth_do_not_override_a_confident_out_of_scope_or_danger(gate):
    [result] = gate.process([message("what do teens like for xmas", intent="out_of_scope")])
    assert result.get("intent")["name"] == "out_of_scope"
    text = "my group home worker says he's outside my door"
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.4)])
    assert result.get("intent")["name"] == "emergency"


def test_a_confident_answer_about_a_minor_is_kept_and_danger_comes_first(gate):
    [result] = gate.process([about_a_minor("im 15, is this trafficking", topic="what_is_sex_work")])
    assert result.get("intent")["name"] == "faq"
    [result] = gate.process([about_a_minor("im 15 and he has a knife", intent="nlu_fallback")])
    assert result.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "my friend overdosed and nobody will call an ambulance",
        "i swallowed all my pills",
        "she took way too many pills and wont wake up",
        "he's not breathing",
        "im going to kill myself tonight",
        "mon amie a fait une overdose",
        "il ne respire plus",
    ],
)
def test_a_medical_emergency_gets_911_first(gate, text):
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.45)])
    assert result.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    ["that's odd", "i took too many classes this term", "we're going to end it with the agency"],
)
def test_ordinary_words_near_medical_ones_are_not_danger(gate, text):
    [result] = gate.process([message(text, intent="faq", topic="what_is_sex_work")])
    assert result.get("intent")["name"] == "faq"


def ranked(text, first, first_confidence, *others):
    """A classifier result: `first` on top, then (name, confidence) pairs."""
    result = message(text, intent=first, confidence=first_confidence)
    result.set(
        "intent_ranking",
        [{"name": first, "confidence": first_confidence}]
        + [{"name": name, "confidence": confidence} for name, confidence in others],
    )
    return result


LONG_STORY = "bf makes me see guys n keeps all the money n says i will never find another place"


def test_a_short_reply_intent_on_a_long_message_gives_way_to_the_next_intent(gate):
    [result] = gate.process(
        [ranked(LONG_STORY, "deny", 0.6, ("request_help_trafficking", 0.3), ("greet", 0.1))]
    )
    assert result.get("intent")["name"] == "request_help_trafficking"
    assert result.get("intent")["confidence"] == pytest.approx(0.75)
    assert result.get("safety_gate") == "short_reply_on_long_message"


def test_a_short_reply_intent_on_a_long_message_without_a_clear_next_is_unsure(gate):
    text = "well i was wondering about the thing we talked about with my cousin last month"
    [result] = gate.process(
        [ranked(text, "deny", 0.7, ("faq", 0.1), ("request_help_trafficking", 0.1))]
    )
    assert result.get("intent")["name"] == "nlu_fallback"


def test_the_backstops_still_apply_after_a_short_reply_intent_is_set_aside(gate):
    text = "the agency keeps my passport and i owe the agency for the visa so i cant quit"
    [result] = gate.process([ranked(text, "deny", 0.9, ("faq", 0.03), ("goodbye", 0.03))])
    assert result.get("intent")["name"] == "request_help_trafficking"
    assert result.get("safety_gate") == "control_pattern"


@pytest.mark.parametrize(
    "text",
    [
        "what do i do",
        "what can i do now",
        "who do i call",
        "que faire",
        "so what now? who do i even tell",
        "who do we report it to",
    ],
)
@pytest.mark.parametrize("intent", ["affirm", "greet", "inform_location"])
def test_asking_what_to_do_is_never_read_as_a_short_reply(gate, text, intent):
    [result] = gate.process([message(text, intent=intent, confidence=0.9)])
    assert result.get("intent")["name"] == "request_help_trafficking"


@pytest.mark.parametrize(("text", "intent"), [("no thanks", "deny"), ("yes please", "affirm")])
def test_short_replies_stay(gate, text, intent):
    [result] = gate.process([ranked(text, intent, 0.9, ("faq", 0.1))])
    assert result.get("intent")["name"] == intent


def situation(result) -> list:
    return [e for e in result.get("entities") or [] if e["entity"] == "situation"]


@pytest.mark.parametrize(
    "text",
    [
        "im an escort in surrey, is it legal for me to work from my apartment",
        "my boyfriend wants me to see guys, is that trafficking",
        "can i get arrested for selling sex",
        "je travaille dans un salon de massage, est-ce légal?",
        "can I advertise online",
        "if I work with a friend for safety, is that against the law?",
        "is renting a place to see clients illegal for me",
        "could the cops take my money",
        "si je travaille avec une amie, c'est illégal?",
        "i noticed a woman at the nail salon who never leaves, is that a sign",
        "the kid next door gets picked up by different men every night",
        "Long haul driver. A woman goes truck to truck at night, is that a sign?",
        "ER nurse here: a patient never speaks for herself, is that trafficking?",
        "ma cuz n her new man, is dat trafficking",
    ],
)
def test_an_faq_question_about_the_persons_own_situation_is_marked(gate, text):
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert result.get("intent")["name"] == "faq"
    assert situation(result)


@pytest.mark.parametrize(
    ("text", "intent"),
    [
        ("is sex work legal in canada", "faq"),
        ("I was wondering if sex work is legal", "faq"),
        ("I want to know what trafficking is", "faq"),
        ("can I ask you what trafficking is", "faq"),
        ("why do people confuse sex work and trafficking", "faq"),
        ("why do nurses learn the signs of trafficking", "faq"),
        ("what should a teacher know about trafficking", "faq"),
        ("/faq/what_is_sex_work", "faq"),
        ("my boss keeps my passport", "request_help_trafficking"),
    ],
)
def test_general_questions_and_other_intents_are_not_marked(gate, text, intent):
    [result] = gate.process([message(text, intent=intent, topic="what_is_sex_work")])
    assert not situation(result)


@pytest.mark.parametrize(
    "text",
    [
        "she is stuck working for free at the restaurant",
        "i need help but i am scared to call anyone",
        "my counsellor wont push me to quit",
        "a man keeps pushing her for pictures",
    ],
)
def test_words_of_fear_or_pressure_that_are_not_danger_now_keep_their_intent(gate, text):
    [result] = gate.process([message(text, intent="request_help_trafficking")])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_an_unsure_message_whose_best_guess_is_danger_gets_911(gate):
    text = "the guy from tonight is parked outside and keeps texting that he sees me"
    unsure = ranked(
        text, "nlu_fallback", 0.45, ("emergency", 0.4), ("request_help_trafficking", 0.3)
    )
    [result] = gate.process([unsure])
    assert result.get("intent")["name"] == "emergency"
    assert result.get("safety_gate") == "emergency_best_guess"


def test_an_unsure_message_whose_best_guess_is_not_danger_stays_unsure(gate):
    text = "what time does the library open on sundays near the skytrain"
    unsure = ranked(text, "nlu_fallback", 0.45, ("out_of_scope", 0.4), ("emergency", 0.3))
    [result] = gate.process([unsure])
    assert result.get("intent")["name"] == "nlu_fallback"


@pytest.mark.parametrize(
    "text", ["the agency keeps my passport and says i owe them", "mon patron garde mon passeport"]
)
def test_control_told_but_answered_with_a_trafficking_topic_gets_the_help_offer(gate, text):
    [result] = gate.process([message(text, topic="canadian_trafficking_laws")])
    assert result.get("intent")["name"] == "request_help_trafficking"
    assert result.get("safety_gate") == "control_disclosure"


def test_control_told_with_a_sex_work_topic_keeps_the_answer_marked_control(gate):
    text = "my manager takes half of my money, is that legal"
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert result.get("intent")["name"] == "faq"
    assert [e["value"] for e in situation(result)] == ["control"]


def test_a_question_without_control_is_marked_own_and_a_minors_never_control(gate):
    text = "can i get arrested for selling sex"
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert [e["value"] for e in situation(result)] == ["own"]
    young = about_a_minor(
        "my bf takes all my money, is that legal", topic="sex_work_legality_canada"
    )
    [result] = gate.process([young])
    assert "control" not in [e["value"] for e in situation(result)]


@pytest.mark.parametrize(
    "text",
    [
        "Am I breaking any law by being the one who gets paid? I'm 25 if that matters.",
        "is it legl 4 me 2 do incalls frm my own place if im 27 n its jus me",
        "grown woman here, in my 30s, is selling from home legal",
    ],
)
def test_an_adult_asking_about_themselves_never_gets_the_youth_answer(gate, text):
    asked = message(text, topic="youth_sexual_exploitation")
    asked.get("response_selector")["faq"]["ranking"] = [
        {"intent_response_key": "faq/youth_sexual_exploitation", "confidence": 0.8},
        {"intent_response_key": "faq/sex_work_legality_canada", "confidence": 0.15},
    ]
    [result] = gate.process([asked])
    chosen = result.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/sex_work_legality_canada"
    assert chosen["utter_action"] == "utter_faq/sex_work_legality_canada"
    assert result.get("safety_gate") == "adult_given_youth_answer"


@pytest.mark.parametrize(
    "text",
    [
        "is it illegal for me to do OF at 17 if im 18 in two months",
        "I'm 40 and my daughter's boyfriend buys her things, is that grooming",
        "im 25, a girl at my work is in high school and sees older men, is that exploitation",
        "I'm 30, worried about the teens at my gym",
        "is it exploitation if he pays for things",
    ],
)
def test_the_youth_answer_stays_when_someone_young_is_named_or_no_adult_age_is_given(gate, text):
    [result] = gate.process([message(text, topic="youth_sexual_exploitation")])
    chosen = result.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/youth_sexual_exploitation"


def test_a_minor_keeps_the_youth_answer_whatever_adult_words_follow(gate):
    young = about_a_minor("im 16 but i look like an adult", topic="youth_sexual_exploitation")
    [result] = gate.process([young])
    chosen = result.get("response_selector")["faq"]["response"]
    assert chosen["intent_response_key"] == "faq/youth_sexual_exploitation"


@pytest.mark.parametrize(
    "text",
    [
        "my employer is holding my work permit and says he will cancel it if i complain",
        "my boss keeps my passport, what can i do",
        "my brother's boss keeps his passport, who can i call",
    ],
)
def test_control_told_by_someone_who_does_not_sell_sex_never_gets_a_sex_work_answer(gate, text):
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_a_sex_worker_telling_of_control_keeps_the_sex_work_answer(gate):
    text = "im an escort and my manager takes half of my money"
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert result.get("intent")["name"] == "faq"


@pytest.mark.parametrize(
    "text",
    [
        "i work at a massage place, the boss keeps my ID and we can't refuse any client",
        "i'm an escort and my agency keeps my passport",
    ],
)
def test_a_sex_worker_telling_of_control_keeps_sex_worker_support_marked_control(gate, text):
    [result] = gate.process([message(text, intent="request_sex_worker_support")])
    assert result.get("intent")["name"] == "request_sex_worker_support"
    marks = {e["value"] for e in result.get("entities") if e["entity"] == "sex_work"}
    assert "control" in marks


def test_a_sex_worker_without_control_keeps_sex_worker_support(gate):
    text = "im an escort, where can i get free condoms"
    [result] = gate.process([message(text, intent="request_sex_worker_support")])
    assert result.get("intent")["name"] == "request_sex_worker_support"


def test_an_adult_sex_worker_given_youth_support_gets_sex_worker_support(gate):
    [result] = gate.process([message("im an adult sw, who can i talk to", "request_youth_support")])
    assert result.get("intent")["name"] == "request_sex_worker_support"


@pytest.mark.parametrize(
    "text", ["SP in PG, in my 40s, who's around for workers up north", "sp here in my forties"]
)
def test_an_adult_by_decade_given_youth_support_gets_sex_worker_support(gate, text):
    [result] = gate.process([message(text, "request_youth_support")])
    assert result.get("intent")["name"] == "request_sex_worker_support"


@pytest.mark.parametrize("text", ["im an escort, who can i talk to", "i'm 16 and an escort"])
def test_without_saying_they_are_adult_youth_support_stays(gate, text):
    [result] = gate.process([message(text, intent="request_youth_support")])
    assert result.get("intent")["name"] == "request_youth_support"


def test_signs_of_control_win_over_an_unsure_danger_guess(gate):
    text = "il me force à voir des hommes tous les soirs"
    unsure = ranked(text, "nlu_fallback", 0.45, ("emergency", 0.4), ("faq", 0.3))
    [result] = gate.process([unsure])
    assert result.get("intent")["name"] == "request_help_trafficking"


@pytest.mark.parametrize(
    "text",
    [
        "im an escort and i just want to talk to people who get it",
        "je fais de l'escorte et je cherche du monde qui comprend",
    ],
)
def test_an_adult_who_says_they_do_sex_work_and_is_unsure_gets_sex_worker_support(gate, text):
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.45)])
    assert result.get("intent")["name"] == "request_sex_worker_support"
    assert result.get("safety_gate") == "sex_work_self"
    french = [e for e in result.get("entities") or [] if e["entity"] == "language"]
    assert bool(french) == text.startswith("je")


def test_a_minor_who_says_they_do_sex_work_gets_youth_support(gate):
    text = "je fais de l'escorte et je veux parler a quelqu'un"
    unsure = message(text, intent="nlu_fallback", confidence=0.45)
    unsure.set("entities", [{"entity": "minor", "value": True, "start": 0, "end": 5}])
    [result] = gate.process([unsure])
    assert result.get("intent")["name"] == "request_youth_support"


@pytest.mark.parametrize(
    "text",
    [
        "he just hit me and took my phone",
        "im bleeding and he left",
        "someone is banging on my door and yelling my name",
        "i need to get out of this place now",
        "i think ive been drugged, everything is spinning",
        "a guy is hurting my friend in the next room",
        "i am scared for my safety tonight",
        "he said he is coming back for me",
        "the client wont let me leave the hotel",
        "they are pulling my cousin into a white van",
        "hes got my hair and wont let go",
        "im locked in the garage since yesterday and he is upstairs",
        "he is standing there with a crowbar",
        "theyre taking my friend out the back door",
    ],
)
def test_more_ways_of_telling_danger_now_get_911(gate, text):
    [result] = gate.process([message(text, intent="request_sex_worker_support")])
    assert result.get("intent")["name"] == "emergency"


@pytest.mark.parametrize(
    "text",
    [
        "what should i do if a client hits me",
        "how do i get out of the industry",
        "he hit me last year and i still think about it",
        "can someone spike a drink without you noticing",
        "break it down for me",
        "he wont let me go out with my friends on weekends",
        "they took my money and my passport",
    ],
)
def test_questions_and_past_harm_are_not_danger_now(gate, text):
    [result] = gate.process([message(text, intent="request_sex_worker_support")])
    assert result.get("intent")["name"] != "emergency"


STORY = (
    "so my cousin came here last spring for a job at a restaurant and now she lives above it with "
    "four other women and the owner drives them everywhere and she sounds different on the phone"
)


@pytest.mark.parametrize("generic", ["out_of_scope", "nlu_fallback"])
def test_a_long_story_that_would_get_the_generic_reply_gets_the_best_ranked_help(gate, generic):
    unsure = ranked(STORY, generic, 0.5, ("greet", 0.2), ("report_trafficking", 0.15), ("faq", 0.1))
    [result] = gate.process([unsure])
    assert result.get("intent") == {"name": "report_trafficking", "confidence": 0.15}
    assert result.get("safety_gate") == "story_best_help_guess"


@pytest.mark.parametrize(
    "text",
    [
        "now he wants me to meet him downtown. what do i do",
        "ok so what now",
        "who do i even tell",
        "he keeps showin up at her work idk wat 2 do",
        "wat shud i do about my sis n this guy",
        "no clue who 2 call about my roommate",
    ],
)
def test_an_unsure_message_that_asks_what_to_do_gets_the_help_offer(gate, text):
    [result] = gate.process([message(text, intent="nlu_fallback", confidence=0.3)])
    assert result.get("intent")["name"] == "request_help_trafficking"


def test_an_out_of_scope_message_that_asks_what_to_do_stays_out_of_scope(gate):
    text = "my landlord raised the rent, what should i do"
    [result] = gate.process([message(text, intent="out_of_scope")])
    assert result.get("intent")["name"] == "out_of_scope"


def test_a_short_message_or_a_story_without_a_help_guess_keeps_the_generic_reply(gate):
    short = ranked(
        "what is the weather in kamloops", "out_of_scope", 0.6, ("report_trafficking", 0.2)
    )
    story = ranked(STORY, "out_of_scope", 0.6, ("greet", 0.2), ("faq", 0.1))
    assert [r.get("intent")["name"] for r in gate.process([short, story])] == [
        "out_of_scope",
        "out_of_scope",
    ]


def sex_work(result) -> list:
    return [e["value"] for e in result.get("entities") or [] if e["entity"] == "sex_work"]


@pytest.mark.parametrize(
    "text",
    [
        "i see clients at my place and one of them choked me",
        "a john tried to take the condom off, i work the stroll",
        "i sell sex and a date robbed me",
        "je vois des clients chez moi",
        "im an adult sw and my ex took my phone",
        "I'm an independent escort and a guy keeps texting threats",
        "sex worker in Kamloops, anything near me",
        "indoor escort here, my manager holds my id",
    ],
)
def test_an_adult_who_says_they_sell_sex_is_marked_whatever_the_intent(gate, text):
    [result] = gate.process([message(text, intent="emergency", confidence=0.9)])
    assert sex_work(result) == ["self"]


@pytest.mark.parametrize(
    "text",
    [
        "sex workers are they trafficked?",
        "I'm worried about a sex worker friend",
        "i'm friends with a sex worker",
        "sex worker rights",
    ],
)
def test_a_question_about_sex_workers_is_not_marked_as_the_persons_own_work(gate, text):
    [result] = gate.process([message(text, intent="faq", topic="what_is_sex_work")])
    assert sex_work(result) == []


def test_a_minor_who_says_they_sell_sex_is_not_marked_as_a_sex_worker(gate):
    minor = message("im 16 and i see clients", intent="request_youth_support")
    minor.set("entities", [{"entity": "minor", "value": True, "start": 0, "end": 6}])
    [result] = gate.process([minor])
    assert sex_work(result) == []


def test_an_faq_question_from_someone_who_sells_sex_is_about_their_own_situation(gate):
    text = "i post on leolist, whats the law on ads"
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert situation(result)


@pytest.mark.parametrize(
    "text",
    [
        "whats the law on ads if i only do it on weekends",
        "does my landlord have to know",
        "est-ce que c'est légal si j'ai des clients chez moi",
    ],
)
def test_a_first_person_question_on_a_sex_work_topic_is_about_the_persons_own_work(gate, text):
    [result] = gate.process([message(text, topic="sex_work_legality_canada")])
    assert situation(result)


def test_a_first_person_question_on_another_topic_needs_more_than_a_pronoun(gate):
    text = "can you tell me what smuggling is"
    [result] = gate.process([message(text, topic="smuggling_vs_trafficking")])
    assert not situation(result)


def test_a_story_is_longer_than_any_out_of_scope_example(gate, root):
    """The story backstop must not take a message the classifier learnt as out of scope."""
    from tools.heldout import load_examples

    longest = max(
        len(text.split()) for text, _ in load_examples(root / "data/nlu/out_of_scope.yml")
    )
    assert gate._story_min_words > longest


def faq_ranked(text, *others, topic="signs_of_trafficking"):
    """An FAQ answer on top, then (name, confidence) pairs of the classifier's ranking."""
    result = message(text, topic=topic)
    result.set(
        "intent_ranking",
        [{"name": "faq", "confidence": 0.6}]
        + [{"name": name, "confidence": confidence} for name, confidence in others],
    )
    return result


@pytest.mark.parametrize(
    ("text", "help_intent"),
    [
        (
            "on me change de ville chaque semaine, ou je peux trouver de l'aide?",
            "request_help_trafficking",
        ),
        (
            "la voisine travaille jour et nuit sans sortir, comment je le signale?",
            "report_trafficking",
        ),
        ("the nanny next door never goes out alone, who do i even call", "report_trafficking"),
        (
            "je fais des massages, y a-t-il du soutien pour nous autres?",
            "request_sex_worker_support",
        ),
        ("je danse dans un club à Surrey, qui peut me conseiller?", "request_sex_worker_support"),
        ("je cherche un médecin qui connaît notre réalité", "request_sex_worker_support"),
        ("mon cousin ne sort jamais de la ferme, je devrais le signaler?", "report_trafficking"),
        ("is there a group for people who do cam work", "request_sex_worker_support"),
        ("im looking for a counsellor who gets this kind of work", "request_sex_worker_support"),
    ],
)
def test_a_help_question_given_an_faq_answer_gets_the_best_ranked_help(gate, text, help_intent):
    [result] = gate.process(
        [faq_ranked(text, (help_intent, 0.2), ("request_octip_contact", 0.1), ("greet", 0.05))]
    )
    assert result.get("intent")["name"] == help_intent
    assert result.get("safety_gate") == "help_question_faq"


def test_a_young_persons_help_question_given_an_faq_answer_gets_the_youth_help(gate):
    text = "my 15 yo daughter has a 24 year old boyfriend, who can i call"
    result = faq_ranked(
        text, ("request_sex_worker_support", 0.2), ("request_help_trafficking", 0.1)
    )
    result.set("entities", [{"entity": "minor", "value": True, "extractor": "YouthGate"}])
    [result] = gate.process([result])
    assert result.get("intent")["name"] == "request_youth_support"


@pytest.mark.parametrize(
    "text",
    [
        "i do escorting on my own, who can i call about a client who wont leave me alone",
        "je fais de l'escorte, qui peut me conseiller pour mes impôts?",
    ],
)
def test_a_sex_workers_help_question_given_an_faq_answer_gets_the_sex_worker_help(gate, text):
    ranking = (("report_trafficking", 0.3), ("request_help_trafficking", 0.2))
    [result] = gate.process([faq_ranked(text, *ranking)])
    assert result.get("intent")["name"] == "request_sex_worker_support"
    assert result.get("safety_gate") == "help_question_faq"


@pytest.mark.parametrize(
    "text",
    [
        "c'est quoi la traite des personnes?",
        "what are the signs someone is being trafficked",
        "is there a law against buying sex in canada",
        "il y a une différence entre la traite et le passage de clandestins?",
    ],
)
def test_an_faq_question_that_asks_for_no_help_keeps_its_answer(gate, text):
    [result] = gate.process([faq_ranked(text, ("request_help_trafficking", 0.3))])
    assert result.get("intent")["name"] == "faq"


def danger(result) -> list:
    return [e["value"] for e in result.get("entities") or [] if e["entity"] == "danger"]


@pytest.mark.parametrize(
    "help_intent",
    ["request_sex_worker_support", "request_help_trafficking", "request_youth_support"],
)
def test_help_asked_while_the_classifier_also_saw_danger_is_marked(gate, help_intent):
    text = "a regular showed up at my place and wont take no, need somewhere to go"
    [result] = gate.process([ranked(text, help_intent, 0.8, ("emergency", 0.13), ("faq", 0.05))])
    assert result.get("intent")["name"] == help_intent, "the person asked for services"
    assert danger(result) == ["possible"]


@pytest.mark.parametrize(
    "first, first_confidence, others",
    [
        # Too little danger seen.
        ("request_sex_worker_support", 0.9, [("emergency", 0.06), ("faq", 0.04)]),
        # An FAQ answer or a greeting carries no referral to put 911 before.
        ("greet", 0.8, [("emergency", 0.15)]),
    ],
)
def test_help_without_enough_danger_or_no_help_is_not_marked(gate, first, first_confidence, others):
    text = "where can sex workers in nanaimo get peer support"
    [result] = gate.process([ranked(text, first, first_confidence, *others)])
    assert danger(result) == []


def test_a_danger_pattern_gives_the_911_answer_not_the_mark(gate):
    text = "he has a knife and says he'll kill me, i need somewhere safe"
    [result] = gate.process([ranked(text, "request_help_trafficking", 0.7, ("emergency", 0.25))])
    assert result.get("intent")["name"] == "emergency"
    assert danger(result) == []


@pytest.mark.parametrize(
    ("first", "second", "expected"),
    [
        ("request_help_trafficking", "request_youth_support", "request_youth_support"),
        ("request_youth_support", "report_trafficking", "request_youth_support"),
        ("request_sex_worker_support", "request_youth_support", "request_youth_support"),
        ("report_trafficking", "request_help_trafficking", "report_trafficking"),
    ],
)
def test_unsure_only_between_two_kinds_of_help_gets_help(gate, first, second, expected):
    text = "this guy keeps driving my friend to meet men at night"
    unsure = ranked(text, "nlu_fallback", 0.45, (first, 0.48), (second, 0.46), ("greet", 0.03))
    [result] = gate.process([unsure])
    assert result.get("intent")["name"] == expected
    assert result.get("intent")["confidence"] == pytest.approx(0.94)
    assert result.get("safety_gate") == "unsure_between_help"


def test_an_adult_unsure_between_youth_and_other_help_gets_the_other(gate):
    text = "im 24 and this guy drives me to meet men"
    pair = (("request_youth_support", 0.48), ("request_help_trafficking", 0.46))
    [result] = gate.process([ranked(text, "nlu_fallback", 0.45, *pair)])
    assert result.get("intent")["name"] == "request_help_trafficking"


@pytest.mark.parametrize(
    "others",
    [
        (("request_help_trafficking", 0.40), ("request_youth_support", 0.30)),
        (("request_help_trafficking", 0.48), ("faq", 0.46)),
    ],
)
def test_unsure_help_needs_two_help_intents_holding_most_of_the_confidence(gate, others):
    text = "this guy drives my friend places"
    [result] = gate.process([ranked(text, "nlu_fallback", 0.45, *others)])
    assert result.get("safety_gate") != "unsure_between_help"


def test_a_confident_out_of_scope_is_not_read_as_unsure_between_help(gate):
    pair = (("request_help_trafficking", 0.05), ("request_youth_support", 0.04))
    [result] = gate.process([ranked("whats the weather", "out_of_scope", 0.9, *pair)])
    assert result.get("intent")["name"] == "out_of_scope"
