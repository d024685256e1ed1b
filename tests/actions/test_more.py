from actions.more import ActionTellMore


def bot(utter_action):
    return {"event": "bot", "text": "...", "metadata": {"utter_action": utter_action}}


async def test_more_follows_the_latest_faq_answer(dispatcher, make_tracker, domain):
    events = [
        bot("utter_faq/what_is_human_trafficking"),
        bot("utter_faq/canadian_trafficking_laws"),
    ]
    await ActionTellMore().run(dispatcher, make_tracker("tell me more", events=events), domain)
    assert dispatcher.messages[0]["response"] == "utter_more_canadian_trafficking_laws"


async def test_more_without_a_follow_up_says_so(dispatcher, make_tracker, domain):
    events = [bot("utter_faq/smuggling_vs_trafficking")]
    await ActionTellMore().run(dispatcher, make_tracker("more", events=events), domain)
    assert dispatcher.messages[0]["response"] == "utter_no_more"


async def test_more_with_no_faq_yet_says_so(dispatcher, make_tracker, domain):
    await ActionTellMore().run(dispatcher, make_tracker("more"), domain)
    assert dispatcher.messages[0]["response"] == "utter_no_more"
