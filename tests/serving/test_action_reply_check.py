"""Replies of the action server are validated as Rasa validates them; the format is checked once."""

from __future__ import annotations

import jsonschema
import pytest
from jsonschema import ValidationError
from rasa.core.actions.action import RemoteAction

from serving import patches

GOOD = [
    {"events": [{"event": "slot", "name": "need", "value": "trafficking"}], "responses": []},
    {"events": [], "responses": [{"response": "utter_referral_trafficking", "services": "x"}]},
]
BAD = [
    {"events": "not a list", "responses": []},
    {"events": [{"event": 5}], "responses": []},
    {"events": [], "responses": "not a list"},
]


@pytest.fixture
def action():
    return RemoteAction("action_refer_trafficking", None)


def rasas_answer(action, reply):
    try:
        return action._validate_action_result(reply), None
    except ValidationError as error:
        return None, error.message


@pytest.mark.parametrize("reply", GOOD + BAD)
def test_each_reply_gets_rasas_answer(action, reply):
    expected = rasas_answer(action, reply)
    with patches.applied("action_reply_check"):
        assert rasas_answer(action, reply) == expected


def test_the_format_is_checked_once_not_for_every_reply(action, monkeypatch):
    checked = []
    monkeypatch.setattr(
        jsonschema.Draft202012Validator,
        "check_schema",
        classmethod(lambda cls, schema: checked.append(schema)),
    )
    with patches.applied("action_reply_check"):
        for _ in range(5):
            assert action._validate_action_result(GOOD[0])
    assert len(checked) == 1
