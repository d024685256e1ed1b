"""Violent or dangerous clients in sex workers' own words (actions/context.py).

Violence and a client named together bring BC Bad Date Reporting after 911, even when the
person did not say they sell sex; ordinary talk of dates, clients and customers does not.
"""

from __future__ import annotations

import pytest

from actions.context import CLIENT, VIOLENCE
from tests.actions.test_referral_fixes import emergency_replies

VIOLENT_CLIENTS = [
    "a date got rough",
    "the guy who booked me wouldnt let me leave the room",
    "bad trick tonight",
    "the john choked me",
    "client stealthed me",
    "a client filmed me without asking",
    "a bad trick robbed me at gunpoint",
    "my regular got handsy and wouldnt stop",
    "the trick roughed me up",
    "a john took his money back and threatened me",
    "the date took the condom off",
    "client pulled a blade on me",
    "a customer bit me",
    "the punter refused to use protection",
    "my date slipped something in my drink",
    "this john cornered me in the room",
    "a client crossed my boundaries",
    "the client didnt respect my limits",
    "a client secretly recorded me",
    "the john locked the door",
    "client gave me a black eye",
    "some client took the money back at knifepoint",
    "un client m'a frappée",
    "le client m'a étranglée",
    "un client a enlevé la capote",
    "one of my regs keeps showing up at my building",
    "a guy from the app paid me then his friends wouldnt let me leave",
    "a client has been leaving notes on my car",
    "the date found out my real name and keeps texting",
    "un client m'a filmée sans ma permission",
    "un client m'a forcée",
    "le client voulait pas me laisser partir",
    "un client m'a mordue",
    "un client m'a poussée",
    "ce client m'a menacée avec un couteau",
    "un mauvais client m'a pas payée",
    "he paid up front, then pulled a blade and took it all back",
    "outcall in nanaimo, he flashed a fake badge and made me do it for free",
]

# Violence in sex workers' words, with no client named.
VIOLENCE_ONLY = [
    "he took the money back at knifepoint",
    "he got rough",
    "he roughed me up",
    "he wouldnt take no for an answer",
    "he went past what we agreed",
    "he did stuff i said no to",
    "he overpowered me",
    "he threatened to out me",
    "he posted my pics without asking",
    "he got handsy",
    "il m'a retenue dans la chambre",
    "two guys jumped me in the parking lot",
    "he kept me in his truck an hour past time",
    "drove me way out of town before he let me out",
    "flashed a fake cop badge and made me do it for free",
    "took the envelope back off the table",
    "said he'd come find me if i told anyone",
]

NOT_VIOLENCE = [
    "i have a date tonight",
    "my client wants to reschedule",
    "the client paid and left",
    "can i screen my dates",
    "a date cancelled last minute",
    "my regular booked again",
    "where can i get free condoms",
    "is it legal to see clients at my place",
    "the john was polite",
    "customer service is closed",
    "what date is the workshop",
    "how do i find new clients",
    "he tipped me well",
    "the date went well",
    "un client m'a donné un pourboire",
    "j'ai un rendez-vous ce soir",
    "mon client veut changer l'heure",
    "my regular left a nice note",
    "my boss paid me late again",
    "the regs say we need a permit",
]

NO_CLIENT = [
    "my boyfriend hit me",
    "a stranger followed me",
    "my landlord threatened me",
    "the guy at the bus stop grabbed me",
    "my ex choked me",
    "mon chum m'a frappée",
    "my ex keeps showing up at my work",
]


@pytest.mark.parametrize("text", VIOLENT_CLIENTS)
def test_a_violent_client_is_violence_and_a_client(text):
    assert VIOLENCE.search(text) and CLIENT.search(text)


@pytest.mark.parametrize("text", VIOLENCE_ONLY)
def test_violence_in_sex_workers_words(text):
    assert VIOLENCE.search(text)


@pytest.mark.parametrize("text", NOT_VIOLENCE)
def test_ordinary_dates_clients_and_customers_are_not_violence(text):
    assert not VIOLENCE.search(text)


@pytest.mark.parametrize("text", NO_CLIENT)
def test_violence_by_someone_else_names_no_client(text):
    assert VIOLENCE.search(text) and not CLIENT.search(text)


@pytest.mark.parametrize("text", VIOLENT_CLIENTS)
async def test_a_violent_client_brings_bad_date_reporting_after_911(
    text, dispatcher, make_tracker, domain
):
    replies = await emergency_replies(dispatcher, make_tracker, domain, [], text, {})
    assert any(m["response"] == "utter_referral_bad_date" for m in replies)


@pytest.mark.parametrize("text", NO_CLIENT)
async def test_violence_by_someone_else_brings_no_bad_date_reporting(
    text, dispatcher, make_tracker, domain
):
    replies = await emergency_replies(dispatcher, make_tracker, domain, [], text, {})
    assert all(m["response"] != "utter_referral_bad_date" for m in replies)
