"""Fixtures for the chat widget's browser tests (Playwright, sync API, Debian's chromium).

The tests expect the demo web server on WEB_URL (default http://localhost:8080) and Rasa on RASA_URL
(default http://localhost:5005), as started by the Makefile. Which assistant is used is set by
BROWSER_RASA:
  auto (default)  the real Rasa when RASA_URL answers "Hello from Rasa", otherwise a fake REST
                  server from fake_rasa_server.py (and then a private web server pointed at it);
  real            the real Rasa, or the run fails (use this in `make test` and CI);
  fake            always the fake (quick development of the widget without a model).
When WEB_URL does not answer, the tests start web/serve.py themselves.
Screenshots go to SCREENSHOT_DIR (default <repo>/results/screenshots).
"""

from __future__ import annotations

import os
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from fake_rasa_server import FakeRasa
from playwright.sync_api import expect, sync_playwright
from widget_helpers import BEFORE_URL, EXIT_URL  # noqa: F401

from tools.net import free_port
from web import serve

expect.set_options(timeout=10_000)  # a real Rasa can take a few seconds on a small machine

REPO = Path(__file__).resolve().parents[2]
WEB_DIR = REPO / "web"
AXE_JS = WEB_DIR / "node_modules" / "axe-core" / "axe.min.js"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
SCREENSHOT_DIR = Path(os.environ.get("SCREENSHOT_DIR", REPO / "results" / "screenshots"))


def _get(url: str, timeout: float = 3.0) -> tuple[int, str, dict]:
    req = urllib.request.Request(url, method="GET")
    with urllib.request.urlopen(req, timeout=timeout) as res:  # noqa: S310 (local test URLs)
        return res.status, res.read().decode("utf-8", "replace"), dict(res.headers)


def rasa_alive(url: str) -> bool:
    try:
        status, body, _ = _get(url + "/")
        return status == 200 and "Hello from Rasa" in body
    except (OSError, urllib.error.URLError, ValueError):
        return False


def web_serves(url: str, rasa_url: str) -> bool:
    """True if a widget web server answers on url and its CSP lets the page reach rasa_url."""
    try:
        status, body, headers = _get(url + "/")
    except (OSError, urllib.error.URLError, ValueError):
        return False
    parts = urlsplit(rasa_url)
    origin = f"{parts.scheme}://{parts.netloc}"
    csp = headers.get("Content-Security-Policy", "")
    return status == 200 and "chat-widget.js" in body and f"connect-src {origin}" in csp


@dataclass
class Stack:
    web_url: str
    rasa_url: str
    real: bool
    fake: FakeRasa | None = None
    _servers: list = field(default_factory=list)

    @property
    def rasa_origin(self) -> str:
        p = urlsplit(self.rasa_url)
        return f"{p.scheme}://{p.netloc}"

    @property
    def web_origin(self) -> str:
        p = urlsplit(self.web_url)
        return f"{p.scheme}://{p.netloc}"


def _start_web(host: str, port: int, rasa_url: str):
    server = serve.make_server(host, port, rasa_url, quiet=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="session")
def stack():
    """The web page and assistant under test (see the module docstring)."""
    web_url = os.environ.get("WEB_URL", "http://localhost:8080").rstrip("/")
    rasa_url = os.environ.get("RASA_URL", "http://localhost:5005").rstrip("/")
    mode = os.environ.get("BROWSER_RASA", "auto").lower()
    servers = []
    fake = None

    if mode != "fake" and rasa_alive(rasa_url):
        real = True
        if not web_serves(web_url, rasa_url):
            # Own web server on WEB_URL's port: the page keeps the origin that Rasa's CORS allows.
            p = urlsplit(web_url)
            try:
                servers.append(_start_web("127.0.0.1", p.port or 80, rasa_url))
            except OSError:
                # something else holds WEB_URL's port: use a free one (Rasa's CORS must allow it)
                port = free_port()
                servers.append(_start_web("127.0.0.1", port, rasa_url))
                web_url = f"http://127.0.0.1:{port}"
    elif mode == "real":
        pytest.fail(
            f"BROWSER_RASA=real but no Rasa answers on {rasa_url}: start the stack first (make run)"
        )
    else:
        real = False
        fake = FakeRasa().start()
        rasa_url = fake.url
        port = free_port()
        servers.append(_start_web("127.0.0.1", port, rasa_url))
        web_url = f"http://127.0.0.1:{port}"

    st = Stack(web_url=web_url, rasa_url=rasa_url, real=real, fake=fake, _servers=servers)
    print(
        f"\nbrowser tests: web={st.web_url} rasa={st.rasa_url} "
        f"({'REAL Rasa' if real else 'FAKE Rasa'})"
    )
    yield st
    for s in servers:
        s.shutdown()
        s.server_close()
    if fake:
        fake.stop()


def pytest_report_header(config):
    return [
        f"browser tests: BROWSER_RASA={os.environ.get('BROWSER_RASA', 'auto')}, chromium={CHROMIUM}"
    ]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} not found: run scripts/setup_system.sh")
    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class PageWatch:
    """What a page did: console errors, uncaught exceptions and every request's URL."""

    def __init__(self) -> None:
        self.console_errors: list[str] = []
        self.page_errors: list[str] = []
        self.requests: list[str] = []


def new_context(browser, locale: str):
    """A fresh browser profile whose language (navigator.language) is locale."""
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 860},
        locale=locale,
        service_workers="block",
        reduced_motion="reduce",
    )
    ctx.set_default_timeout(30_000)

    # The tests never leave the machine: the exit page and a "previous page" are stubbed here,
    # anything else outside the stack is refused (and would show up in watch.requests).
    def neutral(route):
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            body="<!doctype html><html lang=en><title>Weather</title><h1>Weather</h1>"
            "<p>Sunny.</p></html>",
        )

    ctx.route("https://www.google.ca/**", neutral)
    ctx.route("https://neutral.example/**", neutral)
    return ctx


@pytest.fixture
def context(browser, stack):
    ctx = new_context(browser, "en-CA")
    yield ctx
    ctx.close()


@pytest.fixture
def fr_context(browser, stack):
    """A browser whose language is Canadian French."""
    ctx = new_context(browser, "fr-CA")
    yield ctx
    ctx.close()


@pytest.fixture
def watch():
    return PageWatch()


def _watched(pg, watch: PageWatch):
    pg.on("console", lambda m: watch.console_errors.append(m.text) if m.type == "error" else None)
    pg.on("pageerror", lambda e: watch.page_errors.append(str(e)))
    pg.on("request", lambda r: watch.requests.append(r.url))
    yield pg
    assert watch.page_errors == [], f"uncaught JavaScript errors: {watch.page_errors}"


@pytest.fixture
def page(context, watch):
    yield from _watched(context.new_page(), watch)


@pytest.fixture
def fr_page(fr_context, watch):
    yield from _watched(fr_context.new_page(), watch)


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE_JS.exists():
        pytest.fail(f"{AXE_JS} not found: run scripts/setup_system.sh (npm ci in web/)")
    return AXE_JS.read_text(encoding="utf-8")


@pytest.fixture(scope="session")
def shots() -> Path:
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOT_DIR
