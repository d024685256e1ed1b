"""Pseudonymous conversation ids: the tracker store never holds a phone number or app user id.

The id is a keyed hash (HMAC-SHA256) of the person's address, keyed with the channel's own secret,
so the same person keeps the same conversation, and the stored id cannot be turned back into a
phone number without that secret. Rotating the secret starts new conversations.
"""

from __future__ import annotations

import hashlib
import hmac


def conversation_id(prefix: str, address: str, key: str) -> str:
    digest = hmac.new(key.encode("utf-8"), address.encode("utf-8"), hashlib.sha256).hexdigest()
    return f"{prefix}-{digest[:32]}"
