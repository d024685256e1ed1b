"""serving/http_surface.py: API tokens must expire soon; the health check hides the version."""

from __future__ import annotations

import time

import pytest

from serving import http_surface


@pytest.mark.parametrize(
    ("payload", "accepted"),
    [
        ({"user": {"username": "staff"}}, False),
        ({"exp": None}, False),
        ({"exp": "9999999999"}, False),
        ({"exp": True}, False),
        ({"exp": time.time() + 10 * 365 * 24 * 3600}, False),
        ({"exp": time.time() + 60}, True),
        ({"exp": int(time.time()) + 23 * 3600}, True),
    ],
)
def test_tokens_must_expire_within_a_day(payload, accepted) -> None:
    assert http_surface.token_expires_in_time(payload) is accepted


def test_install_wraps_rasa_once() -> None:
    import rasa.server

    http_surface.install()
    http_surface.install()
    assert rasa.server.add_root_route is http_surface.add_root_route
    assert rasa.server.Initialize.keywords == {
        "extra_verifications": [http_surface.token_expires_in_time]
    }
    assert not hasattr(rasa.server.Initialize.func, "func")
    assert not hasattr(rasa.server.create_app.__wrapped__, "__wrapped__")
