"""Checks that a webhook request really comes from the provider (failing requests get 403)."""

from __future__ import annotations

import hmac
from typing import Mapping

from twilio.request_validator import RequestValidator


def twilio_signature_valid(
    auth_token: str, url: str, params: Mapping[str, str], signature: str | None
) -> bool:
    """X-Twilio-Signature: HMAC-SHA1 of the exact URL Twilio called plus the sorted form fields."""
    if not signature:
        return False
    return RequestValidator(auth_token).validate(url, dict(params), signature)


def hub_signature_valid(app_secret: str, body: bytes, headers: Mapping[str, str]) -> bool:
    """Meta's X-Hub-Signature-256 (or the older X-Hub-Signature): HMAC of the raw body."""
    for header, algorithm in (("X-Hub-Signature-256", "sha256"), ("X-Hub-Signature", "sha1")):
        value = headers.get(header)
        if value:
            prefix, _, given = value.partition("=")
            if prefix != algorithm or not given:
                return False
            expected = hmac.new(app_secret.encode("utf-8"), body, algorithm).hexdigest()
            return hmac.compare_digest(expected, given.strip().lower())
    return False


def same_secret(given: str | None, expected: str) -> bool:
    """Constant-time comparison for Telegram's secret token and Messenger's verify token."""
    return bool(given) and hmac.compare_digest(given.encode("utf-8"), expected.encode("utf-8"))
