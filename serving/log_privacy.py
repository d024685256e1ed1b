"""Keeps what people write out of every log the Rasa server writes, whatever the channel.

Rasa 3.6 writes message text in three ways, each closed here at the point every record passes:

- structured logs (structlog): `message.parsing.failed user_text=...`,
  `rest.message.received.failure text=...` and others. A processor placed first in Rasa's structlog
  chain replaces the value of every key not on a short list of keys known to hold no text (names,
  counts, intents);
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
import warnings
from typing import Any, Callable, Dict

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
        "exc_info",
        "exception",
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

_installed = False


def redact_event(_: Any, __: str, event_dict: Dict[str, Any]) -> Dict[str, Any]:
    """structlog processor: every value outside SAFE_STRUCTLOG_KEYS becomes REDACTED."""
    return {
        key: value if key in SAFE_STRUCTLOG_KEYS else REDACTED for key, value in event_dict.items()
    }


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


def _install_structlog() -> None:
    import rasa.__main__
    import rasa.utils.log_utils

    for module in (rasa.utils.log_utils, rasa.__main__):
        if not hasattr(module.configure_structlog, "__wrapped__"):
            module.configure_structlog = _with_redaction(module.configure_structlog)
    add_structlog_redaction()


def _install_warnings() -> None:
    show = warnings.showwarning

    def show_without_user_input(message: Any, *args: Any, **kwargs: Any) -> None:
        if quotes_user_input(str(message)):
            return
        show(message, *args, **kwargs)

    warnings.showwarning = show_without_user_input


def _install_record_factory() -> None:
    make_record = logging.getLogRecordFactory()

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

    logging.setLogRecordFactory(record_without_user_input)


def install() -> None:
    """Installs every redaction above; safe to call more than once."""
    global _installed
    if _installed:
        return
    _installed = True
    _install_structlog()
    _install_warnings()
    _install_record_factory()
    for name in PACKET_LOGGERS:
        logging.getLogger(name).addFilter(_warnings_and_above)


def install_outside_server() -> None:
    """For tools that load a model in their own process (evaluation, bench): nothing there has
    configured structlog, whose default prints every parse, with its text, at debug level."""
    import logging as _logging

    from rasa.utils.log_utils import configure_structlog

    install()
    configure_structlog(_logging.WARNING)


def _warnings_and_above(record: logging.LogRecord) -> bool:
    return record.levelno >= logging.WARNING
