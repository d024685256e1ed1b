"""What the Rasa server's own HTTP routes give away and accept.

- `GET /` (the health check) says the server is up without Rasa's version, which would tell an
  attacker which published vulnerabilities to try; with the HTTP API on, Rasa's unauthenticated
  `GET /version` answers 404.
- With the HTTP API on, a JWT is accepted only if it expires (`exp`) within
  RASA_JWT_MAX_LIFETIME_S (default one day): a token without expiry, once leaked, would read
  every conversation for ever. sanic-jwt checks `exp` when present but accepts tokens without it.
"""

from __future__ import annotations

import functools
import os
import time
from typing import Any, Callable, Dict

from sanic import Sanic, response
from sanic.request import Request
from sanic.response import HTTPResponse

HEALTH_TEXT = "Hello from Rasa"
DEFAULT_MAX_LIFETIME_S = 24 * 3600


def max_token_lifetime_s() -> int:
    return int(os.environ.get("RASA_JWT_MAX_LIFETIME_S", DEFAULT_MAX_LIFETIME_S))


def token_expires_in_time(payload: Dict[str, Any]) -> bool:
    """True when the token has a numeric `exp` no further ahead than the allowed lifetime."""
    expiry = payload.get("exp") if isinstance(payload, dict) else None
    if isinstance(expiry, bool) or not isinstance(expiry, (int, float)):
        return False
    return expiry <= time.time() + max_token_lifetime_s()


def add_root_route(app: Sanic) -> None:
    @app.get("/")
    async def hello(_: Request) -> HTTPResponse:
        return response.text(HEALTH_TEXT)


def _without_version_route(create_app: Callable[..., Sanic]) -> Callable[..., Sanic]:
    def create_app_without_version(*args: Any, **kwargs: Any) -> Sanic:
        app = create_app(*args, **kwargs)

        @app.on_request
        async def hide_version(request: Request) -> HTTPResponse | None:
            if request.path.rstrip("/") == "/version":
                return response.json({"error": "not found"}, status=404)
            return None

        return app

    create_app_without_version.__wrapped__ = create_app  # type: ignore[attr-defined]
    return create_app_without_version


def install() -> None:
    import rasa.server

    rasa.server.add_root_route = add_root_route
    if not hasattr(rasa.server.create_app, "__wrapped__"):
        rasa.server.create_app = _without_version_route(rasa.server.create_app)
    initialize = getattr(rasa.server.Initialize, "func", rasa.server.Initialize)
    rasa.server.Initialize = functools.partial(
        initialize, extra_verifications=[token_expires_in_time]
    )
