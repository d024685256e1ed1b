"""Checks that a webhook request really comes from the provider (failing requests get 403).

Every check takes the header as sent, which may hold any characters: a value that is not ASCII
can never be a valid signature or token, so it fails the check (403) instead of raising (500).
Comparisons are constant-time, on bytes.
"""

from __future__ import annotations

import hmac
from typing import Mapping

from twilio.request_validator import RequestValidator

HUB_SIGNATURE = "X-Hub-Signature-256"
HUB_PREFIX = "sha256="


def _ascii(value: str | None) -> bytes | None:
    if not value:
        return None
    try:
        return value.encode("ascii")
    except UnicodeEncodeError:
        return None


def twilio_signature_valid(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """X-Twilio-Signature: HMAC-SHA1 of the exact URL Twilio called plus the sorted form fields
    (SHA-1 is the only algorithm Twilio signs with)."""
    if not auth_token or _ascii(signature) is None:
        return False
    return RequestValidator(auth_token).validate(url, dict(params), signature)


def hub_signature_valid(app_secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Meta's X-Hub-Signature-256: HMAC-SHA256 of the raw body. The older SHA-1 header
    (X-Hub-Signature) is not accepted, alone or alongside."""
    given = _ascii(headers.get(HUB_SIGNATURE))
    if not app_secret or given is None or not given.startswith(HUB_PREFIX.encode()):
        return False
    expected = hmac.new(app_secret.encode("utf-8"), body, "sha256").hexdigest().encode()
    return hmac.compare_digest(expected, given[len(HUB_PREFIX) :].strip().lower())


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison for Telegram's secret token and Messenger's verify token."""
    raw = _ascii(given)
    return bool(raw) and bool(expected) and hmac.compare_digest(raw, expected.encode("utf-8"))
