"""Helpers shared by the browser tests."""

from __future__ import annotations

import re

from playwright.sync_api import Locator, Page, expect

# Where quick exit goes (the demo page's exitUrl) and a neutral "previous page"; both are stubbed
# by the context fixture so the tests never leave the machine.
EXIT_URL = "https://www.google.ca/search?q=weather"
BEFORE_URL = "https://neutral.example/before"
# The Canadian Human Trafficking Hotline as the widget dials it (its own fallback contact).
HOTLINE_TEL = "tel:18339001010"

# Replies that came from the assistant (not the greeting, not the widget's own fallback text).
BOT_REPLY = ".cw-msg--bot:not(.cw-greeting):not(.cw-msg--local)"
REPLY_TIMEOUT_MS = 30_000


def open_widget(page: Page, url: str, online: bool = True) -> None:
    page.goto(url)
    root = page.locator("[data-cw=root]")
    expect(root).to_have_count(1)
    if online:
        expect(root).to_have_attribute("data-online", "true", timeout=15_000)


def mark_seen(page: Page) -> None:
    page.evaluate(
        "() => document.querySelectorAll('.cw-msg')"
        ".forEach(m => m.setAttribute('data-test-seen', '1'))"
    )


def new_replies(page: Page) -> Locator:
    return page.locator(BOT_REPLY + ":not([data-test-seen])")


def ask(page: Page, text: str) -> Locator:
    """Type a message, send it with Enter, wait for the reply; return the new assistant messages."""
    mark_seen(page)
    box = page.locator("[data-cw=input]")
    box.fill(text)
    box.press("Enter")
    return wait_replies(page)


def wait_replies(page: Page) -> Locator:
    """Wait for new assistant messages (after mark_seen) and for the typing indicator to go."""
    page.wait_for_function(
        """(sel) => document.querySelectorAll(sel).length > 0 &&
                    document.querySelector('[data-cw=typing]').hidden""",
        arg=BOT_REPLY + ":not([data-test-seen])",
        timeout=REPLY_TIMEOUT_MS,
    )
    return new_replies(page)


def run_axe(page: Page, axe_source: str) -> list[dict]:
    """Run axe-core on the whole page; return the violations (id, impact, help, targets)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        # evaluate() is not subject to the page's Content-Security-Policy (an injected <script> is)
        page.evaluate(axe_source)
    result = page.evaluate(
        """async () => {
            const r = await axe.run(document, { resultTypes: ['violations'] });
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                targets: v.nodes.map(n => n.target.join(' ')).slice(0, 5)}));
        }"""
    )
    return result


def no_horizontal_scroll(page: Page) -> dict:
    return page.evaluate(
        """() => ({
            scrollWidth: document.documentElement.scrollWidth,
            bodyScrollWidth: document.body.scrollWidth,
            innerWidth: window.innerWidth,
        })"""
    )


def tel_hrefs(scope: Locator) -> list[str]:
    return scope.locator("a[href^='tel:']").evaluate_all(
        "els => els.map(e => e.getAttribute('href'))"
    )


def assert_tel_hrefs_digits_only(hrefs: list[str]) -> None:
    for h in hrefs:
        assert re.fullmatch(r"tel:\d+", h), f"tel: link with more than digits: {h!r}"


def rasa_only(stack):
    """A route matcher for every request to the assistant (one object per stack, for unroute)."""
    if not hasattr(stack, "_rasa_matcher"):
        origin = stack.rasa_origin + "/"
        stack._rasa_matcher = lambda url: url.startswith(origin)
    return stack._rasa_matcher


def refuse_connection(route) -> None:
    route.abort("connectionrefused")
