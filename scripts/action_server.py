"""Starts the action server (rasa_sdk's app for the `actions` package) with safe defaults.

`python -m rasa_sdk` listens on every interface, accepts 100 MB bodies, inflates a
`Content-Encoding: deflate` body without any cap, and answers a failed action with the whole
request (the conversation) in its error. This launcher runs the same app, and:
- listens on ACTION_HOST (default 127.0.0.1) and ACTION_PORT (default 5055): only the Rasa
  server on the same host calls it; set ACTION_HOST to reach it from a proxy or another host;
- refuses bodies over ACTION_MAX_BODY_BYTES (default 2 MB: a long conversation is a few hundred
  kB) with 413;
- inflates gzip or deflate bodies (Rasa sends deflate when COMPRESS_ACTION_SERVER_REQUEST is on)
  only up to that same size, so a small compressed body cannot expand into gigabytes (413), and
  refuses any other encoding (415);
- answers a call that is not JSON, or whose JSON does not have the shape the actions read
  (actions/call_format.py), with 400 and where it does not fit, never a value from it;
- answers an action that fails with a 500 that names only the error type, and logs no more;
- logs at LOG_LEVEL (default WARNING).

    python scripts/action_server.py
"""

from __future__ import annotations

import logging
import os
import sys
import zlib

from sanic import Sanic, response
from sanic.exceptions import InvalidUsage, SanicException
from sanic.request import Request

from actions.call_format import call_problem
from serving.log_privacy import exception_without_values

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 5055
DEFAULT_MAX_BODY_BYTES = 2 * 1024 * 1024
# zlib's window bits: 16 + MAX_WBITS reads a gzip header, MAX_WBITS a zlib (HTTP "deflate") one.
GZIP_BITS = 16 + zlib.MAX_WBITS
WINDOW_BITS = {"gzip": GZIP_BITS, "x-gzip": GZIP_BITS, "deflate": zlib.MAX_WBITS}

logger = logging.getLogger("action_server")


class BodyTooLarge(ValueError):
    pass


def bounded_inflate(body: bytes, encoding: str, limit: int) -> bytes:
    """The inflated body; BodyTooLarge once it passes `limit` bytes (zlib.error if broken)."""
    inflater = zlib.decompressobj(WINDOW_BITS[encoding])
    data = inflater.decompress(body, limit + 1)
    if len(data) > limit:
        raise BodyTooLarge(f"the body inflates to more than {limit} bytes")
    return data


def limit_request_bodies(app: Sanic, limit: int) -> None:
    app.config.REQUEST_MAX_SIZE = limit

    async def inflate(request: Request):
        encoding = request.headers.get("content-encoding", "identity").strip().lower()
        if encoding == "identity":
            return None
        if encoding not in WINDOW_BITS:
            return response.json({"error": "unsupported Content-Encoding"}, status=415)
        try:
            request.body = bounded_inflate(request.body, encoding, limit)
        except BodyTooLarge:
            return response.json({"error": "request body too large"}, status=413)
        except zlib.error:
            return response.json({"error": "the body is not valid compressed data"}, status=400)
        del request.headers["content-encoding"]  # rasa_sdk must not inflate it again
        return None

    app.register_middleware(inflate, "request")


def refuse_malformed_calls(app: Sanic) -> None:
    """A malformed call is the caller's mistake (400); only a failing action is a 500."""

    async def check(request: Request):
        # Sanic also runs request middleware for a request it refused before reading its body
        # (too large: 413); an empty body is rasa_sdk's own 400.
        if request.method != "POST" or request.path != "/webhook" or not request.body:
            return None
        try:
            call = request.json  # parsed once: rasa_sdk's handler reads the same parse
        except InvalidUsage:
            return response.json({"error": "the body is not JSON"}, status=400)
        problem = call_problem(call)
        if problem:
            logger.warning("Refused a malformed action call (%s).", problem)
            return response.json({"error": "malformed action call", "where": problem}, status=400)
        return None

    app.register_middleware(check, "request")


def answer_errors_without_the_conversation(app: Sanic) -> None:
    """rasa_sdk's own handler logs the request and sends it back, message text included."""

    async def failed(request: Request, exception: Exception):
        if isinstance(exception, SanicException):  # 404, 405, 413...: the client's mistake
            return response.json({"error": type(exception).__name__}, exception.status_code)
        # Where it failed, without the message or any value: both may hold what the person wrote.
        [described] = exception_without_values(exception)
        place = "".join(
            f" at {frame['filename']}:{frame['lineno']} in {frame['name']}"
            for frame in described["frames"][-1:]
        )
        logger.error("Action request failed (%s%s).", type(exception).__name__, place)
        return response.json({"error": type(exception).__name__}, status=500)

    app.error_handler.add(Exception, failed)


def create_app(limit: int = DEFAULT_MAX_BODY_BYTES) -> Sanic:
    from rasa_sdk.endpoint import create_app as create_sdk_app
    from rasa_sdk.plugin import plugin_manager

    app = create_sdk_app("actions", cors_origins=None)
    plugin_manager().hook.attach_sanic_app_extensions(app=app)
    limit_request_bodies(app, limit)
    refuse_malformed_calls(app)  # after inflating: it reads the body as rasa_sdk will
    answer_errors_without_the_conversation(app)
    app.config.REQUEST_TIMEOUT = 10
    app.config.RESPONSE_TIMEOUT = 30
    return app


def main() -> int:
    level = os.environ.get("LOG_LEVEL", "WARNING").upper()
    logging.basicConfig(level=level, format="%(asctime)s %(levelname)s %(name)s %(message)s")
    for name in ("sanic.root", "sanic.error", "sanic.access"):
        logging.getLogger(name).setLevel(level)
    host = os.environ.get("ACTION_HOST", DEFAULT_HOST)
    port = int(os.environ.get("ACTION_PORT", DEFAULT_PORT))
    limit = int(os.environ.get("ACTION_MAX_BODY_BYTES", DEFAULT_MAX_BODY_BYTES))
    app = create_app(limit)
    app.run(host=host, port=port, workers=1, access_log=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
