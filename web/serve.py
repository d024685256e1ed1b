#!/usr/bin/env python3
"""Tiny static server for the chat widget's demo page (Python standard library only).

Serves web/static/ and nothing else, with strict security headers:
  - Content-Security-Policy: scripts, styles and images from this origin only; network requests
    (connect-src) to the Rasa server only; no frames, no forms, no plugins.
  - Referrer-Policy: no-referrer, X-Content-Type-Options: nosniff, Cache-Control: no-store.
Only GET and HEAD; anything outside web/static/ (path traversal) or missing is a 404.
The Rasa address in the demo pages' configuration is replaced by RASA_URL when it is set.

Slow or idle clients cannot hold it (slowloris): the request line and headers must arrive within
HEADER_TIMEOUT_S seconds in all, any read or write that waits IDLE_TIMEOUT_S seconds ends the
connection, there is one request per connection (HTTP/1.0, no keep-alive), request bodies are
never read (only GET and HEAD), and at most MAX_CONNECTIONS connections are served at once (more
are closed at once). Errors are logged without client addresses.

Environment: WEB_HOST (default 127.0.0.1), WEB_PORT (default 8080), RASA_URL (default http://localhost:5005).
Run: python web/serve.py
"""

from __future__ import annotations

import contextlib
import json
import os
import posixpath
import re
import socket
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import unquote, urlsplit

STATIC_DIR = (Path(__file__).resolve().parent / "static").resolve()
DEFAULT_RASA_URL = "http://localhost:5005"
HEADER_TIMEOUT_S = 10.0
IDLE_TIMEOUT_S = 10.0
MAX_CONNECTIONS = 64

CONTENT_TYPES = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".ico": "image/x-icon",
    ".txt": "text/plain; charset=utf-8",
}

CONFIG_BLOCK_RE = re.compile(
    r'(<script type="application/json" id="chat-widget-config">)(.*?)(</script>)', re.DOTALL
)
# data-server-url on the widget's own <script src=".../chat-widget.js"> tag only
WIDGET_TAG_RE = re.compile(r'<script\b[^>]*\bsrc="[^"]*chat-widget\.js"[^>]*>', re.DOTALL)
DATA_SERVER_RE = re.compile(r'data-server-url="[^"]*"')


def rasa_origin(url: str) -> str:
    """scheme://host[:port] of the Rasa URL, for the CSP connect-src (rejects anything odd)."""
    parts = urlsplit(url)
    if (
        parts.scheme not in ("http", "https")
        or not parts.netloc
        or not re.fullmatch(r"[A-Za-z0-9.\-\[\]:]+", parts.netloc)
    ):
        raise ValueError(f"RASA_URL must be an http(s) URL, got {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def security_headers(connect_origin: str) -> dict[str, str]:
    csp = "; ".join(
        [
            "default-src 'none'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data:",
            f"connect-src {connect_origin}",
            "base-uri 'none'",
            "form-action 'none'",
            "frame-ancestors 'none'",
            "object-src 'none'",
        ]
    )
    return {
        "Content-Security-Policy": csp,
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Cross-Origin-Opener-Policy": "same-origin",
        "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
        "Cache-Control": "no-store",
    }


def configure_html(body: str, rasa_url: str) -> str:
    """Point the demo pages at RASA_URL (JSON config block and data-server-url attribute)."""

    def fix_block(m: re.Match) -> str:
        try:
            cfg = json.loads(m.group(2))
        except ValueError:
            return m.group(0)
        cfg["serverUrl"] = rasa_url
        text = json.dumps(cfg, indent=2).replace("<", "\\u003c").replace(">", "\\u003e")
        return f"{m.group(1)}\n{text}\n{m.group(3)}"

    body = CONFIG_BLOCK_RE.sub(fix_block, body)
    safe = rasa_url.replace('"', "").replace("<", "").replace(">", "").replace("&", "")
    return WIDGET_TAG_RE.sub(
        lambda m: DATA_SERVER_RE.sub(f'data-server-url="{safe}"', m.group(0)), body
    )


def resolve(url_path: str) -> Path | None:
    """Map a request path to a file inside STATIC_DIR, or None (which becomes a 404)."""
    path = unquote(urlsplit(url_path).path)
    if "\x00" in path or "\\" in path:
        return None
    if any(part in ("..", ".") for part in path.split("/")):
        return None
    norm = posixpath.normpath("/" + path.lstrip("/"))
    if norm == "/":
        norm = "/index.html"
    candidate = (STATIC_DIR / norm.lstrip("/")).resolve()
    try:
        candidate.relative_to(STATIC_DIR)
    except ValueError:
        return None
    if not candidate.is_file() or any(
        p.startswith(".") for p in candidate.relative_to(STATIC_DIR).parts
    ):
        return None
    return candidate


class Handler(BaseHTTPRequestHandler):
    server_version = "static"
    sys_version = ""

    def version_string(self) -> str:
        return "static"

    rasa_url = DEFAULT_RASA_URL
    headers_extra: dict[str, str] = {}
    quiet = False
    timeout = IDLE_TIMEOUT_S  # socket timeout of every read and write (StreamRequestHandler)
    header_timeout_s = HEADER_TIMEOUT_S

    def handle_one_request(self) -> None:
        # A per-read timeout does not stop a client that sends one header byte every few
        # seconds: the whole request line and headers get one deadline.
        self._header_deadline = threading.Timer(self.header_timeout_s, self._drop_connection)
        self._header_deadline.daemon = True
        self._header_deadline.start()
        try:
            super().handle_one_request()
        finally:
            self._header_deadline.cancel()

    def parse_request(self) -> bool:
        complete = super().parse_request()
        self._header_deadline.cancel()
        return complete

    def _drop_connection(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.shutdown(socket.SHUT_RDWR)

    def _send(self, status: int, body: bytes, content_type: str, head_only: bool) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for k, v in self.headers_extra.items():
            self.send_header(k, v)
        self.end_headers()
        if not head_only:
            self.wfile.write(body)

    def _serve(self, head_only: bool) -> None:
        target = resolve(self.path)
        if target is None:
            self._send(404, b"Not found\n", "text/plain; charset=utf-8", head_only)
            return
        ctype = CONTENT_TYPES.get(target.suffix.lower(), "application/octet-stream")
        body = target.read_bytes()
        if target.suffix.lower() == ".html":
            body = configure_html(body.decode("utf-8"), self.rasa_url).encode("utf-8")
        self._send(200, body, ctype, head_only)

    def do_GET(self) -> None:  # noqa: N802 (http.server naming)
        self._serve(head_only=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._serve(head_only=True)

    def _not_allowed(self) -> None:
        self.send_response(405)
        self.send_header("Allow", "GET, HEAD")
        self.send_header("Content-Length", "0")
        for k, v in self.headers_extra.items():
            self.send_header(k, v)
        self.end_headers()

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _not_allowed  # noqa: N815

    def log_message(self, format: str, *args) -> None:  # noqa: A002
        # No client addresses in the log (privacy); only the request line and status.
        if not self.quiet:
            sys.stderr.write("web: " + (format % args) + "\n")


class WebServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, address: tuple, handler: type, max_connections: int) -> None:
        super().__init__(address, handler)
        self._slots = threading.BoundedSemaphore(max_connections)

    def process_request(self, request, client_address) -> None:
        if not self._slots.acquire(blocking=False):
            self.shutdown_request(request)  # too many at once: this one is closed, not queued
            return
        try:
            super().process_request(request, client_address)
        except Exception:
            self._slots.release()
            raise

    def process_request_thread(self, request, client_address) -> None:
        try:
            super().process_request_thread(request, client_address)
        finally:
            self._slots.release()

    def handle_error(self, request, client_address) -> None:
        # socketserver's default prints the client's address and a traceback.
        sys.stderr.write(f"web: a connection failed ({sys.exc_info()[0].__name__})\n")


def make_server(
    host: str,
    port: int,
    rasa_url: str,
    quiet: bool = False,
    header_timeout_s: float = HEADER_TIMEOUT_S,
    idle_timeout_s: float = IDLE_TIMEOUT_S,
    max_connections: int = MAX_CONNECTIONS,
) -> WebServer:
    rasa_url = rasa_url.rstrip("/")
    origin = rasa_origin(rasa_url)
    handler = type(
        "ConfiguredHandler",
        (Handler,),
        {
            "rasa_url": rasa_url,
            "headers_extra": security_headers(origin),
            "quiet": quiet,
            "timeout": idle_timeout_s,
            "header_timeout_s": header_timeout_s,
        },
    )
    return WebServer((host, port), handler, max_connections)


def main() -> int:
    host = os.environ.get("WEB_HOST", "127.0.0.1")
    port = int(os.environ.get("WEB_PORT", "8080"))
    rasa_url = os.environ.get("RASA_URL", DEFAULT_RASA_URL)
    server = make_server(host, port, rasa_url, quiet=os.environ.get("WEB_QUIET") == "1")
    print(f"Serving {STATIC_DIR} on http://{host}:{port}/ (Rasa: {rasa_url})", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
