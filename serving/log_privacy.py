"""Keeps what people write out of every log the Rasa server writes, whatever the channel.

Rasa 3.6 writes message text in three ways, each closed here at the point every record passes:

- structured logs (structlog): `message.parsing.failed user_text=...`,
  `rest.message.received.failure text=...` and others. A processor placed first in Rasa's structlog
  chain replaces the value of every key not on a short list of keys known to hold no text (names,
  counts, intents). An exception is logged as its type and where it was raised: structlog's own
  tracebacks would carry the exception's message and every frame's local variables, which can
  hold the message, the tracker or the slots;
- Python warnings raised through `rasa.shared.utils.io.raise_warning`: "Failed to parse arguments
  in line '...'", "Parsed an intent '...'", "Parsed an entity '...'", "Categorical slot ... is set
  to a value ('...')". Warnings that quote user input are dropped; Rasa adds its own warning
  filters after start-up, so this wraps `warnings.showwarning`, which every shown warning reaches;
- standard logging records: the same quoting warnings when routed to logging, and the socket.io
  and engine.io servers' packet logs (which hold the whole message) at INFO. A record factory
  sees every record, including those of handlers Rasa adds later (its --log-file).

Message text at DEBUG is Rasa's own debugging output and stays as it is; the default levels
(WARNING in production, INFO in tests) hold none.
"""

from __future__ import annotations

import logging
import re
import sys
import traceback
import warnings
from typing import Any, Callable, Dict, List

REDACTED = "[redacted]"

# Keys whose values never hold what a person wrote (Rasa 3.6's structlog calls, audited).
SAFE_STRUCTLOG_KEYS = frozenset(
    {
        "event",
        "event_info",
        "event_key",
        "level",
        "log_level",
        "timestamp",
        "stack",
        "action_name",
        "action_extract_slot",
        "len_extraction_events",
        "parse_data_intent",
        "placeholder_key",
        "filename",
        "url",
        "topic",
        "host",
        "rabbitmq_exchange",
        "partition_key",
        "token_start",
        "token_end",
        "key",
    }
)

# Warnings and log messages that quote user input: Rasa's intent-syntax parser and its checks
# of the parsed intent, entities and slot values against the domain.
QUOTES_USER_INPUT = re.compile(
    r"Failed to parse arguments in line"
    r"|Parsed an (intent|entity) '"
    r"|Categorical slot '.*' is set to a value",
    re.DOTALL,
)

# Libraries that log whole messages below WARNING: engine.io each packet, socket.io each event.
PACKET_LOGGERS = ("engineio.server", "socketio.server")


def redact_event(_: Any, __: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """structlog processor: every value outside SAFE_STRUCTLOG_KEYS becomes REDACTED, and an
    exception only its type and frames (the later processors see no `exc_info` to expand)."""
    redacted = {
        key: value if key in SAFE_STRUCTLOG_KEYS else REDACTED
        for key, value in event_dict.items()
        if key != "exc_info"
    }
    summary = exception_without_values(event_dict.get("exc_info"))
    if summary is not None:
        redacted["exception"] = summary
    return redacted


def exception_without_values(exc_info: Any) -> List[Dict[str, Any]] | None:
    """The exception of `exc_info` (True: the one being handled) as its type and the file, line
    and function of each frame: no message, no source line, no local variables."""
    if exc_info is True:
        exc_info = sys.exc_info()
    elif isinstance(exc_info, BaseException):
        exc_info = (type(exc_info), exc_info, exc_info.__traceback__)
    if not isinstance(exc_info, tuple) or len(exc_info) != 3 or exc_info[0] is None:
        return None
    exc_type, _, trace = exc_info
    frames = [
        {"filename": frame.filename, "lineno": frame.lineno, "name": frame.name}
        for frame in traceback.extract_tb(trace)
    ]
    return [{"exc_type": exc_type.__name__, "exc_value": REDACTED, "frames": frames}]


def quotes_user_input(text: str) -> bool:
    return bool(QUOTES_USER_INPUT.search(text))


def _with_redaction(configure: Callable[..., None]) -> Callable[..., None]:
    def configure_then_redact(*args: Any, **kwargs: Any) -> None:
        configure(*args, **kwargs)
        add_structlog_redaction()

    configure_then_redact.__wrapped__ = configure  # type: ignore[attr-defined]
    return configure_then_redact


def add_structlog_redaction() -> None:
    """Puts `redact_event` first in structlog's current processor chain (once)."""
    import structlog

    processors = list(structlog.get_config()["processors"])
    if redact_event not in processors:
        structlog.configure(processors=[redact_event, *processors])


STRUCTLOG_TARGETS = (
    "rasa.utils.log_utils:configure_structlog",
    "rasa.__main__:configure_structlog",
)


def replacements(_setting: str, **_context: Any) -> Dict[str, Any]:
    """serving/patches.py: Rasa's structlog set-up followed by the redaction, and the filters."""
    from serving.patches import current

    made: Dict[str, Any] = {
        target: _with_redaction(current(target)) for target in STRUCTLOG_TARGETS
    }
    saved: Dict[str, Any] = {}

    def setup() -> None:
        import structlog

        saved["processors"] = structlog.get_config()["processors"]
        saved["showwarning"] = warnings.showwarning
        saved["record_factory"] = logging.getLogRecordFactory()
        add_structlog_redaction()
        warnings.showwarning = _without_user_input_warning(warnings.showwarning)
        logging.setLogRecordFactory(_without_user_input_record(logging.getLogRecordFactory()))
        for name in PACKET_LOGGERS:
            logging.getLogger(name).addFilter(_warnings_and_above)

    def teardown() -> None:
        import structlog

        structlog.configure(processors=saved["processors"])
        warnings.showwarning = saved["showwarning"]
        logging.setLogRecordFactory(saved["record_factory"])
        for name in PACKET_LOGGERS:
            logging.getLogger(name).removeFilter(_warnings_and_above)

    return {**made, "setup": setup, "teardown": teardown}


def _without_user_input_warning(show: Callable[..., None]) -> Callable[..., None]:
    def show_without_user_input(message: Any, *args: Any, **kwargs: Any) -> None:
        if quotes_user_input(str(message)):
            return
        show(message, *args, **kwargs)

    return show_without_user_input


def _without_user_input_record(make_record: Callable[..., logging.LogRecord]) -> Callable:
    def record_without_user_input(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        if record.levelno > logging.DEBUG and isinstance(record.msg, str):
            try:
                text = record.getMessage()
            except Exception:  # noqa: BLE001 - a broken record is logging's problem
                return record
            if quotes_user_input(text):
                record.msg, record.args = "A message quoting user input was withheld.", ()
        return record

    return record_without_user_input


def install() -> None:
    """Installs every redaction above (through serving/patches.py, with its guard)."""
    from serving import patches

    patches.install_patch(patches.by_name("log_privacy"))


def install_outside_server() -> None:
    """For tools that load a model in their own process (evaluation, bench): nothing there has
    configured structlog, whose default prints every parse, with its text, at debug level."""
    from rasa.utils.log_utils import configure_structlog

    install()
    configure_structlog(logging.WARNING)


def _warnings_and_above(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING
