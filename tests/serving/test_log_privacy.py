"""serving/log_privacy.py: Rasa's own logs and warnings carry no message text.

Each test drives the Rasa code that quotes user input (the intent-syntax parser, the domain
checks, the REST channel's structured log) with a marker and reads every output it has.
"""

from __future__ import annotations

import io
import json
import logging

import pytest
import structlog

from serving import log_privacy, patches

MARKER = "zqcanarylogprivacy"


@pytest.fixture(scope="module", autouse=True)
def installed():
    with patches.applied("log_privacy"):
        from rasa.utils.log_utils import configure_structlog

        configure_structlog(logging.INFO)
        yield


@pytest.fixture
def captured():
    """Everything logged through the root logger, as text."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    root = logging.getLogger()
    root.addHandler(handler)
    old_level = root.level
    root.setLevel(logging.INFO)
    yield stream.getvalue
    root.removeHandler(handler)
    root.setLevel(old_level)


WARNINGS_SCRIPT = """
import logging, sys, warnings
from serving import log_privacy
log_privacy.install()
warnings.simplefilter("always")
import rasa.shared.utils.io
from rasa.shared.core.domain import Domain
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.utils.log_utils import configure_structlog
configure_structlog(logging.INFO)
domain = Domain.from_dict({{"intents": ["greet"], "entities": ["location"]}})
for text in {texts!r}:
    YAMLStoryReader.unpack_regex_message(Message(data={{"text": text}}), domain)
rasa.shared.utils.io.raise_warning("Parsed an intent '{marker}' which is not defined.")
rasa.shared.utils.io.raise_warning("An ordinary warning stays visible.")
"""
SLASH_TEXTS = [
    f"/{MARKER}{{",
    f'/greet{{"{MARKER}": }}',
    f"/greet@{MARKER}",
    f"/faq/{MARKER}{{x",
    f'/greet{{"a": 1}}@{MARKER}',
    f'/greet{{"location": ["{MARKER}"]}}',
]


def test_rasa_warnings_and_parser_logs_quoting_input_are_withheld() -> None:
    """In a process of its own, as in the server: pytest replaces how warnings are shown."""
    import subprocess
    import sys

    script = WARNINGS_SCRIPT.format(texts=SLASH_TEXTS, marker=MARKER)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert done.returncode == 0, done.stderr[-2000:]
    output = done.stdout + done.stderr
    assert MARKER not in output
    assert "An ordinary warning stays visible." in output


def test_structlog_values_are_redacted_except_known_safe_keys() -> None:
    event = {"event": "rest.message.received.failure", "text": MARKER, "user_text": MARKER}
    event.update(action_name="utter_greet", anything_new=MARKER)
    redacted = log_privacy.redact_event(None, "error", event)
    assert MARKER not in json.dumps(redacted)
    assert redacted["event"] == "rest.message.received.failure"
    assert redacted["action_name"] == "utter_greet"


def test_an_exception_is_logged_without_its_message_or_local_variables() -> None:
    def parse(text: str) -> None:
        slots = {"note": text}
        raise KeyError(f"{text} {slots}")

    try:
        parse(MARKER)
    except KeyError:
        event = {"event": "interpolator.interpolate.text", "exc_info": True, "response": MARKER}
        redacted = log_privacy.redact_event(None, "error", event)
    rendered = structlog.processors.JSONRenderer()(
        None, "error", structlog.processors.dict_tracebacks(None, "error", dict(redacted))
    )
    assert MARKER not in rendered
    [exception] = redacted["exception"]
    assert exception["exc_type"] == "KeyError"
    assert exception["frames"][-1]["name"] == "parse"
    assert "exc_info" not in redacted


def test_an_exception_passed_as_a_value_is_redacted() -> None:
    event = {"event": "x", "exception": f"KeyError('{MARKER}')"}
    assert MARKER not in json.dumps(log_privacy.redact_event(None, "error", event))


def test_rasa_structlog_chain_starts_with_the_redaction() -> None:
    assert structlog.get_config()["processors"][0] is log_privacy.redact_event


def test_log_records_quoting_input_are_withheld(captured) -> None:
    logging.getLogger("rasa.core.processor").warning(
        "Parsed an entity '%s' which is not defined in the domain.", MARKER
    )
    logging.getLogger("rasa.core.processor").warning("A plain warning.")
    text = captured()
    assert MARKER not in text and "A plain warning." in text


def test_socketio_packet_logs_stay_below_the_output(captured) -> None:
    logging.getLogger("engineio.server").info("Received packet MESSAGE data %s", MARKER)
    logging.getLogger("socketio.server").info("received event %s", MARKER)
    logging.getLogger("engineio.server").warning("a connection problem")
    text = captured()
    assert MARKER not in text and "a connection problem" in text
