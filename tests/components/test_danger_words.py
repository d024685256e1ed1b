"""Immediate danger in the words people really use, in English and French, without a model.

The safety gate is built from config.yml. A message about danger now becomes `emergency`
whatever the classifier said; past events, questions and everyday figures of speech keep
their intent. A false negative costs more than a false positive here.
"""

from __future__ import annotations

import pytest
import yaml
from rasa.shared.nlu.training_data.message import Message

from components.safety_gate import SafetyGate

DANGER_EN = [
    # threats happening now
    "hes got a knife",
    "he said hes gonna end me",
    "he said im dead",
    "hes going to make me disappear",
    "they said theyll hurt my kids tonight",
    "he says he will kill me if i call anyone",
    "he told me im dead when he gets home",
    "he said i wont see tomorrow",
    "he said hes going to bury me",
    "he said he'll slit my throat",
    "he said he'd shoot me",
    "hes threatening me with a gun",
    "he has a gun",
    "hes holding a knife",
    "he pulled a knife",
    "hes waving a knife around",
    "they have guns",
    "hes gunna kill me",
    "he gonna kill me",
    "he finna kill me",
    "hes going to murder me",
    "he'll kill me if he finds me",
    "pls help hes gonna kill me",
    "hes gonna shoot me",
    "he says he'll put me in the hospital",
    "hes gonna put me in the ground",
    "i think he's going to kill me tonight",
    "he is going to kill us",
    "my pimp said im dead if i dont come back",
    "hes going to hurt my kids",
    "he said he knows where my kids go to school and hes going there now",
    "i'm scared he'll kill me tonight",
    "im scared hes going to kill me",
    "he pointed a gun at me",
    # at or inside the door
    "someones at my door and wont leave",
    "theres a guy at the door banging",
    "hes inside the house",
    "he got in the house",
    "someone is in my apartment",
    "hes at the door rn",
    "theres a man in my house",
    "my ex is at my door",
    "my ex is outside my work waiting for me",
    "hes trying to get in",
    "hes kicking the door in",
    "somebody broke into my house and is still here",
    "i can hear him outside the window",
    "they said they know where i live and are coming tonight",
    # watched or followed now
    "someone is watching me from the car outside",
    "a man is following me home",
    "i think im being followed",
    "this car keeps following me",
    "hes been parked outside my place all night watching",
    "hes watching me right now",
    "someone is chasing me",
    "theres some guy following me",
    "hes across the street watching my window",
    # locked in, cannot leave, phone and keys taken
    "he locked me in",
    "he locked me in the bathroom",
    "i cant leave",
    "he took my phone and keys",
    "he took my keys and wont let me out",
    "he wont let me leave and took my phone",
    "he wont let me out of the room",
    "im trapped",
    "im stuck in the trunk",
    "i was taken from the street and i dont know where i am",
    # driven somewhere against their will
    "im in his car and he wont stop",
    "hes driving me somewhere i dont know",
    "they put me in a car and im scared",
    "he wont let me out of the car",
    "hes taking me to another city tonight and i dont want to go",
    "theyre making me get in the van",
    "he is driving me somewhere against my will",
    # drugged or overdose now
    "he drugged me",
    "i think i was drugged",
    "i feel really weird someone put something in my drink",
    "she od'd",
    "my friend is overdosing",
    "my friend took a bunch of pills",
    "i took all my pills",
    "shes not breathing",
    "i need an ambulance",
    "call an ambulance",
    # strangled or choked just now
    "he just strangled me",
    "he choked me just now",
    "he had his hands around my neck",
    "he grabbed me by the throat",
    "cant breathe hes on top of me",
    "hes choking her",
    "im bleeding a lot",
    # suicidal intent now
    "i want to die tonight",
    "im going to kill myself",
    "i want to kill myself",
    "i want to end my life",
    "i dont want to be alive anymore",
    "im gonna end it tonight",
    "im on the bridge and i want to jump",
    # asking for police or help now
    "please call the cops",
    "send police",
    "send help",
    "pls call 911",
    "someone call 911",
    "call the police please",
    "call the cops hes here",
    "send police to my house",
    "i need the police now",
    "help hes coming back",
    "please help me im scared",
    "im in danger",
    "not safe rn",
    "helpp",
    # violence happening now
    "hes hitting her right now in the next room",
    "help hes hitting me",
    "he is beating me",
    "hes beating my mom right now",
    "my dad is hitting my mom",
    "theyre beating someone up outside",
    "hes raping me",
    "hes forcing me",
    "hes drunk and getting violent",
    "he threw me against the wall and now hes in the kitchen getting a knife",
    # inside longer stories
    "so i met this guy online and came to his place and now he wont give me my phone back and "
    "says i cant leave until i make him money, hes in the other room",
    "im at a motel on the highway and the guy who brought me here took my id and phone, he said "
    "if i try to run hell find me and kill me",
    "me and my friend went to a party and i think someone drugged her she cant stand up",
    "im writing from a friends phone, he took mine, hes outside in the car waiting and said i "
    "better come out or else",
]

DANGER_FR = [
    "y va me tuer",
    "il va me tuer",
    "y'a dit qu'y va me tuer",
    "il veut me tuer",
    "il m'a enfermée",
    "ils m'ont enfermée dans la chambre",
    "chu enfermée",
    "appelez la police",
    "appelez la police svp",
    "appelle le 911 vite",
    "envoyez la police",
    "envoyez de l'aide",
    "appelez une ambulance",
    "il a un couteau",
    "y'a un gars avec un couteau",
    "il est armé",
    "il a une arme",
    "il m'a menacée avec un couteau",
    "aidez moi vite",
    "je suis en danger",
    "jsuis en danger",
    "il me suit en ce moment",
    "un gars me suit",
    "quelqu'un me suit depuis le métro",
    "il me regarde par la fenêtre",
    "il m'attend dehors",
    "il est devant ma porte",
    "il est dans la maison",
    "il essaie d'entrer",
    "il a défoncé la porte",
    "il m'a pris mon téléphone et mes clés",
    "il veut pas me laisser partir",
    "je peux pas sortir",
    "je suis bloquée dans sa chambre",
    "on me retient contre ma volonté",
    "il me conduit je sais pas où",
    "il m'a fait monter dans son char",
    "on m'a droguée",
    "je pense qu'on m'a droguée",
    "mon amie fait une overdose",
    "elle respire plus",
    "il vient de m'étrangler",
    "il m'étouffe",
    "il me tient par la gorge",
    "je veux mourir ce soir",
    "je vais me tuer",
    "j'ai envie de mourir",
    "je veux en finir ce soir",
    "j'veux me suicider",
    "il dit qu'il va me faire disparaître",
    "il a dit que j'étais morte",
    "il a dit qu'il allait tuer mes enfants ce soir",
    "ils vont faire du mal à mes enfants",
    "j'ai peur qu'il me tue ce soir",
    "il frappe ma mère dans l'autre pièce",
    "il la frappe en ce moment",
    "il revient aide moi",
    "au secours il revient",
    "mon chum me frappe",
    "je me suis enfermée dans la salle de bain il est là",
]

NOT_DANGER = [
    # past events told as past
    "he hit me last year and i left",
    "he choked me years ago and i still have nightmares",
    "my ex used to follow me everywhere",
    "a client stole my phone last week",
    "i was drugged at a party a few years ago",
    "he locked me in a room once, a long time ago, i got out",
    "back in 2019 a guy pulled a knife on me",
    # questions and hypotheticals
    "what should i do if he threatens me",
    "is it illegal to threaten someone",
    "what should i do if a client gets violent",
    "what do i do if a date wont pay",
    "is it a crime to follow someone",
    "should i call the police if a client doesnt pay",
    "can i report to police anonymously",
    "do the police arrest sex workers",
    "i dont want the police involved",
    "how do i stay safe on outcalls",
    "how do i know if someone is being trafficked",
    "what are the signs of trafficking",
    "is sex work legal in canada",
    "can i be charged for selling sex",
    "what is the difference between sex work and trafficking",
    "how can i help a friend who might be exploited",
    "where can i find a bad date list",
    "is it legal to advertise sexual services",
    "what happens if i call 211",
    "how do traffickers recruit people",
    "is it trafficking if i moved here for work",
    "are escort agencies legal",
    "what does the law say about buying sex",
    # everyday figures of speech
    "this homework is killing me",
    "my mom will kill me if she finds out i failed",
    "killing it at work",
    "dying to know",
    "i'd die for a coffee",
    "the knife set i bought",
    "i got a new knife set for my kitchen",
    "shoot me a text",
    "shoot me a message when youre free",
    "the concert was a riot",
    "hit me up",
    "hit me up rn if you can talk",
    "traffic is insane",
    "my feet are killing me",
    "i almost died laughing",
    "that movie was sick",
    "im dead tired",
    "this job is murder",
    "im starving",
    "my phone is dying",
    "she followed me on instagram",
    "follow me on tiktok",
    "my sister is coming with me to the clinic",
    "the party was lit",
    "i nailed the interview",
    "that test destroyed me",
    "my boss is gonna be mad",
    "i cant wait to leave this job",
    "we went for a drive",
    "my dad is driving me to school",
    "i need to get my phone fixed",
    "i lost my keys",
    "i took my pills this morning",
    "i want to die my hair blue",
    # ordinary conversation
    "hi",
    "thanks that helps",
    "i work at a massage parlour",
    "i have a date tonight",
    "my client wants to reschedule",
    # French
    "il m'a frappée l'an passé et je suis partie",
    "que faire si un client me menace",
    "est-ce illégal de menacer quelqu'un",
    "ce cours va me tuer",
    "ma mère va me tuer si elle voit mon bulletin",
    "je meurs de faim",
    "je suis morte de rire",
    "chuis mort de fatigue",
    "appelle-moi ce soir",
    "est-ce que la police arrête les travailleuses du sexe",
    "j'ai oublié mes clés",
    "il m'a suivie sur tiktok",
]


@pytest.fixture(scope="module")
def gate(root) -> SafetyGate:
    config = yaml.safe_load((root / "config.yml").read_text(encoding="utf-8"))
    step = next(c for c in config["pipeline"] if c["name"].endswith("SafetyGate"))
    return SafetyGate({**SafetyGate.get_default_config(), **step})


def classified(gate, text, intent):
    [result] = gate.process(
        [Message(data={"text": text, "intent": {"name": intent, "confidence": 0.9}})]
    )
    return result.get("intent")["name"]


def test_the_lists_are_long_enough():
    assert len(DANGER_EN) >= 100 and len(DANGER_FR) >= 40 and len(NOT_DANGER) >= 80


@pytest.mark.parametrize("text", DANGER_EN + DANGER_FR)
def test_danger_now_gets_911_whatever_the_classifier_said(gate, text):
    assert classified(gate, text, "greet") == "emergency"


@pytest.mark.parametrize("text", NOT_DANGER)
def test_past_questions_and_figures_of_speech_keep_their_intent(gate, text):
    assert classified(gate, text, "request_help_trafficking") == "request_help_trafficking"
