"""Webhook signature checks, as the providers compute them."""

from __future__ import annotations

import hashlib
import hmac

import pytest
from twilio.request_validator import RequestValidator

from channels.signatures import hub_signature_valid, same_secret, twilio_signature_valid

URL = "https://assistant.example.org/webhooks/twilio/webhook"
FORM = {"From": "+16045550100", "To": "+15550100100", "Body": "hi"}
BODY = b'{"object":"page","entry":[]}'


def _hub(algorithm: str, secret: str = "app-secret", body: bytes = BODY) -> str:
    return f"{algorithm}=" + hmac.new(secret.encode(), body, algorithm).hexdigest()


def test_twilio_signature() -> None:
    signature = RequestValidator("token").compute_signature(URL, FORM)
    assert twilio_signature_valid("token", URL, FORM, signature)
    assert not twilio_signature_valid("other", URL, FORM, signature)
    assert not twilio_signature_valid("token", URL, {**FORM, "Body": "changed"}, signature)
    assert not twilio_signature_valid(
        "token", "http://127.0.0.1:5005/webhooks/twilio/webhook", FORM, signature
    )
    assert not twilio_signature_valid("token", URL, FORM, None)


def test_hub_signature_sha256_only() -> None:
    assert hub_signature_valid("app-secret", BODY, {"X-Hub-Signature-256": _hub("sha256")})
    assert not hub_signature_valid("app-secret", BODY, {"X-Hub-Signature": _hub("sha1")})
    both = {"X-Hub-Signature": _hub("sha1"), "X-Hub-Signature-256": _hub("sha256", "x")}
    assert not hub_signature_valid("app-secret", BODY, both)
    assert not hub_signature_valid("", BODY, {"X-Hub-Signature-256": _hub("sha256", "")})
    assert not hub_signature_valid(
        "app-secret", BODY + b" ", {"X-Hub-Signature-256": _hub("sha256")}
    )
    assert not hub_signature_valid("app-secret", BODY, {"X-Hub-Signature-256": _hub("sha256", "x")})
    assert not hub_signature_valid("app-secret", BODY, {"X-Hub-Signature-256": _hub("sha1")})
    assert not hub_signature_valid("app-secret", BODY, {"X-Hub-Signature-256": "md5=abc"})
    assert not hub_signature_valid("app-secret", BODY, {})


NON_ASCII = ["é", "sha256=é", "sha256=" + "ü" * 64, "\u2028", "sha256=\udcff", "🔑"]


@pytest.mark.parametrize("value", NON_ASCII)
def test_non_ascii_headers_fail_every_check_without_raising(value: str) -> None:
    assert not hub_signature_valid("app-secret", BODY, {"X-Hub-Signature-256": value})
    assert not hub_signature_valid(
        "app-secret", BODY, {"X-Hub-Signature-256": _hub("sha256") + value}
    )
    assert not twilio_signature_valid("token", URL, FORM, value)
    assert not same_secret(value, "s3cret")
    assert not same_secret(value, value)


def test_shared_secrets() -> None:
    assert same_secret("s3cret", "s3cret")
    assert not same_secret("s3cret ", "s3cret")
    assert not same_secret(None, "s3cret")
    assert not same_secret("", "")
    assert hashlib  # the providers' algorithms are the standard library's
