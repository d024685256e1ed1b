"""Pseudonymous conversation ids: the tracker store never holds a phone number or app user id.

The id is a keyed hash (HMAC-SHA256) of the person's address, so the same person keeps the same
conversation and the stored id cannot be turned back into a phone number without the key. The
key is a secret of its own, CHANNEL_PSEUDONYM_KEY, never a provider's token: rotating a Twilio or
Telegram token must not split conversations, and whoever holds such a token must not be able to
test phone numbers against the stored ids. When CHANNEL_PSEUDONYM_KEY is unset, a random key is
made once and kept in var/channel-pseudonym.key (readable by the service account only), so ids
stay stable across restarts. Changing the key starts new conversations.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import os
import secrets
from functools import lru_cache
from pathlib import Path

logger = logging.getLogger(__name__)

KEY_VARIABLE = "CHANNEL_PSEUDONYM_KEY"
KEY_FILE_VARIABLE = "CHANNEL_PSEUDONYM_KEY_FILE"
DEFAULT_KEY_FILE = Path(__file__).resolve().parent.parent / "var" / "channel-pseudonym.key"
MIN_KEY_CHARS = 32


def conversation_id(prefix: str, address: str, key: str) -> str:
    digest = hmac.new(key.encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:32]}"


def pseudonym_key() -> str:
    """CHANNEL_PSEUDONYM_KEY, or the key kept in the key file (made on first use)."""
    key = os.environ.get(KEY_VARIABLE, "").strip()
    if key:
        if len(key) < MIN_KEY_CHARS:
            _warn_short_key()
        return key
    return key_from_file(Path(os.environ.get(KEY_FILE_VARIABLE) or DEFAULT_KEY_FILE))


@lru_cache(maxsize=1)
def _warn_short_key() -> None:
    logger.warning(
        "%s is shorter than %d characters; make a longer one with "
        '`python -c "import secrets; print(secrets.token_urlsafe(32))"`.',
        KEY_VARIABLE,
        MIN_KEY_CHARS,
    )


@lru_cache(maxsize=4)
def key_from_file(path: Path) -> str:
    """Reads the key file, creating it with a random key (mode 0600) if it does not exist."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        pass  # made earlier, or by another process just now
    else:
        with os.fdopen(descriptor, "w") as out:
            out.write(secrets.token_urlsafe(32) + "\n")
        logger.info("Made a new key for channel conversation ids in %s.", path)
    key = path.read_text().strip()
    if not key:
        raise RuntimeError(f"{path} is empty: delete it to make a new key, or set {KEY_VARIABLE}")
    return key


def pseudonym(prefix: str, address: str) -> str:
    """The conversation id for a person on a channel."""
    return conversation_id(prefix, address, pseudonym_key())
