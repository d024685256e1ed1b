"""The chat widget in a real browser (Debian's chromium, headless), against the running stack.

Each assistant reply checked here must come from Rasa (the widget's own fallback text is excluded),
so with the real stack these tests also check the assistant's content end to end.
"""

from __future__ import annotations

import http.client
import json
import re
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import expect
from widget_helpers import (
    BEFORE_URL,
    EXIT_URL,
    HOTLINE_TEL,
    ask,
    assert_tel_hrefs_digits_only,
    mark_seen,
    no_horizontal_scroll,
    open_widget,
    rasa_only,
    refuse_connection,
    run_axe,
    tel_hrefs,
    wait_replies,
)

OCTIP_TEL = "tel:18887127974"
FAQ_QUESTION = "what is human trafficking?"
HELP_QUESTION = "I need help, someone took my passport"


def shot(page, shots, name: str, full_page: bool = False) -> None:
    page.screenshot(path=str(shots / f"{name}.png"), full_page=full_page)


def storage(page) -> dict:
    return page.evaluate(
        "() => ({session: Object.keys(sessionStorage), local: Object.keys(localStorage),"
        " cookie: document.cookie})"
    )


# --------------------------------------------------------------------------- the web server
def _raw_get(stack, path: str) -> tuple[int, dict, bytes]:
    p = urlsplit(stack.web_url)
    conn = http.client.HTTPConnection(p.hostname, p.port or 80, timeout=5)
    conn.request("GET", path)  # sent as is: no client-side normalisation of "..".
    res = conn.getresponse()
    body = res.read()
    headers = {k.lower(): v for k, v in res.getheaders()}
    conn.close()
    return res.status, headers, body


def test_server_sends_security_headers(stack):
    status, headers, body = _raw_get(stack, "/")
    assert status == 200
    assert b"chat-widget.js" in body
    csp = headers["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["default-src"] == "'none'"
    assert directives["script-src"] == "'self'"
    assert directives["style-src"] == "'self'"
    assert directives["connect-src"] == stack.rasa_origin
    assert directives["frame-ancestors"] == "'none'"
    assert headers["referrer-policy"] == "no-referrer"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["cache-control"] == "no-store"
    assert "set-cookie" not in headers
    # the page is pointed at the Rasa the stack uses
    assert f'"serverUrl": "{stack.rasa_url}"' in body.decode()
    status, _, body = _raw_get(stack, "/embed-example.html")
    assert status == 200 and f'data-server-url="{stack.rasa_url}"' in body.decode()
    assert (
        'data-server-url="https://assistant.your.site"' in body.decode()
    )  # the example text is left alone
    for path in ("/chat-widget.js", "/chat-widget.css"):
        status, headers, _ = _raw_get(stack, path)
        assert status == 200 and headers["x-content-type-options"] == "nosniff", path


@pytest.mark.parametrize(
    "path",
    [
        "/../serve.py",
        "/%2e%2e/serve.py",
        "/..%2fserve.py",
        "/%2e%2e%2f%2e%2e%2fetc/passwd",
        "/static/../../etc/passwd",
        "/..\\serve.py",
        "/%5c..%5cserve.py",
        "//etc/passwd",
        "/.gitignore",
        "/node_modules/axe-core/axe.min.js",
        "/missing.html",
    ],
)
def test_server_rejects_paths_outside_static(stack, path):
    status, _, body = _raw_get(stack, path)
    assert status == 404, f"{path} -> {status}"
    assert b"import" not in body and b"root:" not in body


# --------------------------------------------------------------------------- first view
def test_first_view_is_safe_and_accessible(page, stack, axe_source, shots, watch, context):
    open_widget(page, stack.web_url + "/")
    greeting = page.locator(".cw-greeting")
    expect(greeting).to_contain_text("automated assistant")
    expect(greeting).to_contain_text("911")
    expect(greeting.locator("a[href='tel:911']")).to_have_count(1)
    expect(page.locator("[data-cw=note]")).to_contain_text("personal details")
    expect(page.locator("[data-cw=exit]")).to_be_visible()
    log = page.locator("[data-cw=log]")
    expect(log).to_have_attribute("role", "log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(page.locator("label", has_text="Your message")).to_have_count(1)

    # keyboard: the first Tab reaches Quick exit
    page.locator("body").click(position={"x": 5, "y": 400})
    page.keyboard.press("Tab")
    expect(page.locator("[data-cw=exit]")).to_be_focused()
    shot(page, shots, "01-first-view", full_page=True)

    violations = run_axe(page, axe_source)
    assert violations == [], json.dumps(violations, indent=1)

    # privacy: nothing stored before the person writes, no cookies, no localStorage
    st = storage(page)
    assert st == {"session": [], "local": [], "cookie": ""}
    assert context.cookies() == []
    assert not [e for e in watch.console_errors if "Content Security Policy" in e], (
        watch.console_errors
    )
    assert watch.console_errors == []


def test_axe_really_checks_the_page(page, stack, axe_source):
    """Guard against a silent axe: a broken image and an unlabelled field must be reported."""
    open_widget(page, stack.web_url + "/", online=False)
    page.evaluate(
        """() => { const d = document.createElement('div');
                   d.append(document.createElement('img'), document.createElement('input'));
                   document.querySelector('main').append(d); }"""
    )
    ids = {v["id"] for v in run_axe(page, axe_source)}
    assert {"image-alt", "label"} <= ids, ids


# --------------------------------------------------------------------------- conversation
def test_faq_question_then_button(page, stack, axe_source, shots, watch, context):
    open_widget(page, stack.web_url + "/")
    replies = ask(page, FAQ_QUESTION)
    text = " ".join(replies.all_inner_texts()).lower()
    assert "trafficking" in text, text
    buttons = replies.locator(".cw-choice")
    assert buttons.count() >= 1, "the FAQ answer has no buttons"
    # the greeting's suggestions went away when the person sent a message
    expect(page.locator(".cw-greeting .cw-choice")).to_have_count(0)
    expect(page.locator(".cw-msg--user").last).to_have_text(re.compile(re.escape(FAQ_QUESTION)))
    shot(page, shots, "02-faq-answer")

    violations = run_axe(page, axe_source)
    assert violations == [], json.dumps(violations, indent=1)

    title = buttons.first.inner_text().strip()
    payload = buttons.first.get_attribute("data-payload")
    button = buttons.first.element_handle()  # "replies" stops matching once they are marked as seen
    mark_seen(page)
    button.click()
    # the buttons disappear at once, the title shows as the person's message, focus is in the input
    # (checked on the messages that were on screen before the click: the next answer brings its own)
    expect(page.locator("[data-test-seen] .cw-choice")).to_have_count(0)
    expect(page.locator(".cw-msg--user").last.locator(".cw-bubble")).to_have_text(
        re.compile(re.escape(title))
    )
    expect(page.locator("[data-cw=input]")).to_be_focused()
    after = wait_replies(page)
    assert after.count() >= 1 and after.first.inner_text().strip()
    if stack.fake:
        assert stack.fake.requests[-1]["message"] == payload, "a button must send its payload"
    shot(page, shots, "03-after-button")

    # only the page's server and Rasa were contacted; no cookies, no localStorage
    origins = {
        f"{urlsplit(u).scheme}://{urlsplit(u).netloc}"
        for u in watch.requests
        if not u.startswith("data:")
    }
    assert origins <= {stack.web_origin, stack.rasa_origin}, origins
    st = storage(page)
    assert st["local"] == [] and st["cookie"] == "" and context.cookies() == []
    assert st["session"] == []
    assert watch.console_errors == []


def test_greeting_suggestion_asks_a_question(page, stack):
    open_widget(page, stack.web_url + "/")
    choice = page.locator(".cw-greeting .cw-choice").first
    title = choice.inner_text().strip()
    mark_seen(page)
    choice.click()
    expect(page.locator(".cw-greeting .cw-choice")).to_have_count(0)
    expect(page.locator(".cw-msg--user .cw-bubble")).to_contain_text(title)
    replies = wait_replies(page)
    assert "trafficking" in " ".join(replies.all_inner_texts()).lower()


def test_help_question_gives_a_hotline_link(page, stack, shots):
    open_widget(page, stack.web_url + "/")
    replies = ask(page, HELP_QUESTION)
    hrefs = tel_hrefs(replies)
    assert {HOTLINE_TEL, OCTIP_TEL} & set(hrefs), (
        f"no hotline/OCTIP tel: link in {hrefs}: {replies.all_inner_texts()}"
    )
    assert_tel_hrefs_digits_only(hrefs)
    link = replies.locator(f"a[href='{HOTLINE_TEL}'], a[href='{OCTIP_TEL}']").first
    expect(link).to_be_visible()
    shot(page, shots, "04-help-answer")


def sent_senders(page) -> list:
    """The conversation ids the page sends to Rasa, in order."""
    seen: list = []
    page.on(
        "request",
        lambda r: (
            seen.append(json.loads(r.post_data or "{}").get("sender"))
            if r.url.endswith("/webhooks/rest/webhook")
            else None
        ),
    )
    return seen


def all_stored_text(page) -> str:
    """Everything the page keeps in web storage (what a reopened tab would get back)."""
    return page.evaluate(
        "() => JSON.stringify([Object.entries(sessionStorage), Object.entries(localStorage)])"
    )


def test_nothing_outlives_the_page_and_clear_chat_forgets(page, stack, shots):
    senders = sent_senders(page)
    open_widget(page, stack.web_url + "/")
    replies = ask(page, FAQ_QUESTION)
    answer = replies.first.inner_text()
    stored = all_stored_text(page)
    assert FAQ_QUESTION not in stored and answer[:40] not in stored
    assert storage(page) == {"session": [], "local": [], "cookie": ""}
    assert re.fullmatch(r"[0-9a-f]{32}", senders[0])

    page.locator("[data-cw=clear]").click()
    expect(page.locator(".cw-msg")).to_have_count(1)  # only the greeting
    expect(page.locator(".cw-greeting")).to_have_count(1)
    expect(page.locator("[data-cw=cleared]")).to_be_visible()
    expect(page.locator("[data-cw=input]")).to_be_focused()
    ask(page, FAQ_QUESTION)
    assert senders[-1] != senders[0]  # a new conversation id

    # a reloaded or restored tab starts empty, with a new conversation id
    page.reload()
    open_widget(page, stack.web_url + "/")
    expect(page.locator(".cw-msg")).to_have_count(1)
    assert FAQ_QUESTION not in page.content()
    ask(page, FAQ_QUESTION)
    assert senders[-1] not in senders[:-1]


def test_earlier_versions_chat_in_session_storage_is_removed(page, stack):
    """A tab restored from a version that kept the chat in sessionStorage: removed, not shown."""
    open_widget(page, stack.web_url + "/")
    page.evaluate(
        """() => { sessionStorage.setItem('chatWidget.log',
             JSON.stringify([{who: 'user', text: 'old words'}]));
           sessionStorage.setItem('chatWidget.sender', 'a'.repeat(32)); }"""
    )
    page.reload()
    open_widget(page, stack.web_url + "/")
    expect(page.locator(".cw-msg")).to_have_count(1)
    assert "old words" not in page.content()
    assert storage(page)["session"] == []


def test_message_length_is_capped_with_a_counter(page, stack):
    open_widget(page, stack.web_url + "/")
    box = page.locator("[data-cw=input]")
    expect(page.locator("[data-cw=counter]")).to_contain_text("0 / 2000")
    box.fill("a" * 2100)
    assert len(box.input_value()) == 2000
    expect(page.locator("[data-cw=counter]")).to_contain_text("2000 / 2000")
    expect(page.locator("[data-cw=limit]")).to_be_visible()
    box.fill("")
    box.press("Enter")
    expect(page.locator(".cw-msg--user")).to_have_count(0)  # blank messages are not sent


# --------------------------------------------------------------------------- rendering is safe
def test_rendering_is_safe_and_links_are_clickable(page, stack):
    """A hostile reply (mocked at the network level) is shown as text; links and numbers work."""
    hostile = [
        {
            "recipient_id": "x",
            "text": '<img src=x onerror="window.__pwned=1"> <script>window.__pwned=2</script>\n'
            "**Bold** and <b>not bold</b>. Call 1-833-900-1010, (604) 555-0199 or 911.\n"
            "See https://example.org/a?b=1&c=<x>. Or canadianhumantraffickinghotline.ca, "
            "javascript:alert(1) and [link](javascript:alert(2)).",
            "buttons": [
                {
                    "title": "<img src=x onerror=window.__pwned=3>",
                    "payload": "/faq/what_is_human_trafficking",
                },
                {"title": 42, "payload": "/bad"},
                {"payload": "/no_title"},
            ],
            "custom": {"html": "<script>window.__pwned=4</script>"},
            "image": "javascript:alert(3)",
        },
        None,
        "just a string",
        {"custom": {"anything": True}},
        {"recipient_id": "x", "attachment": {"type": "video"}},
    ]

    def fulfill(route):
        if route.request.method == "POST":
            route.fulfill(
                status=200,
                content_type="application/json",
                body=json.dumps(hostile),
                headers={"Access-Control-Allow-Origin": "*"},
            )
        else:
            route.continue_()

    webhook = lambda url: url.endswith("/webhooks/rest/webhook")  # noqa: E731
    page.route(webhook, fulfill)
    open_widget(page, stack.web_url + "/")
    replies = ask(page, "test")
    expect(replies).to_have_count(1)
    msg = replies.first
    assert page.evaluate("() => window.__pwned") is None
    assert msg.locator("img, script, b").count() == 0
    assert page.locator("[data-cw=log] img, [data-cw=log] script").count() == 0
    expect(msg).to_contain_text('<img src=x onerror="window.__pwned=1">')
    expect(msg.locator("strong")).to_have_text("Bold")
    hrefs = tel_hrefs(msg)
    assert hrefs == ["tel:18339001010", "tel:6045550199", "tel:911"], hrefs
    links = msg.locator("a:not([href^='tel:'])").evaluate_all(
        "els => els.map(e => [e.getAttribute('href'), e.getAttribute('target'),"
        " e.getAttribute('rel')])"
    )
    assert ["https://example.org/a?b=1&c=", "_blank", "noopener noreferrer"] in links, links
    assert [
        "https://canadianhumantraffickinghotline.ca",
        "_blank",
        "noopener noreferrer",
    ] in links, links
    assert all(h.startswith(("https://", "http://", "mailto:")) for h, _, _ in links), links
    choices = msg.locator(".cw-choice")
    expect(choices).to_have_count(1)
    expect(choices.first).to_have_text("<img src=x onerror=window.__pwned=3>")
    choices.first.click()
    assert page.evaluate("() => window.__pwned") is None
    page.unroute(webhook)


def test_empty_reply_still_leaves_a_way_to_help(page, stack):
    page.route(
        lambda url: url.endswith("/webhooks/rest/webhook"),
        lambda route: route.fulfill(
            status=200,
            content_type="application/json",
            body="[]",
            headers={"Access-Control-Allow-Origin": "*"},
        ),
    )
    open_widget(page, stack.web_url + "/")
    mark_seen(page)
    page.locator("[data-cw=input]").fill("hello?")
    page.locator("[data-cw=input]").press("Enter")
    local = page.locator(".cw-msg--local")
    expect(local).to_have_count(1)
    hrefs = tel_hrefs(local)
    assert "tel:911" in hrefs and HOTLINE_TEL in hrefs, hrefs


def test_refused_message_is_not_taken_for_an_outage(page, stack):
    """A 4xx from the channel (e.g. a rejected message) gets a reply with help, not "offline"."""
    webhook = lambda url: url.endswith("/webhooks/rest/webhook")  # noqa: E731
    page.route(
        webhook,
        lambda route: (
            route.fulfill(
                status=400,
                content_type="application/json",
                body='{"error": "bad request"}',
                headers={"Access-Control-Allow-Origin": "*"},
            )
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    open_widget(page, stack.web_url + "/")
    page.locator("[data-cw=input]").fill("hello?")
    page.locator("[data-cw=input]").press("Enter")
    local = page.locator(".cw-msg--local")
    expect(local).to_have_count(1)
    assert HOTLINE_TEL in tel_hrefs(local)
    expect(page.locator("[data-cw=offline]")).to_have_count(0)
    expect(page.locator("[data-cw=send]")).to_be_enabled()
    page.unroute(webhook)


# --------------------------------------------------------------------------- quick exit
def _assert_exit_left_no_trace(page, stack):
    page.wait_for_url(EXIT_URL)
    expect(page.locator("[data-cw=root]")).to_have_count(0)
    page.go_back()
    # Back leads to the page before the chat, never to the chat
    assert page.url == BEFORE_URL, page.url
    expect(page.locator("[data-cw=root]")).to_have_count(0)
    expect(page.locator(".cw-msg")).to_have_count(0)
    # the same tab coming back to the site finds nothing stored and no old messages
    page.goto(stack.web_url + "/")
    expect(page.locator("[data-cw=root]")).to_have_count(1)
    assert page.evaluate("() => sessionStorage.length") == 0
    expect(page.locator(".cw-msg--user")).to_have_count(0)
    expect(page.locator(".cw-msg")).to_have_count(1)


def test_quick_exit_button(page, stack, shots):
    page.goto(BEFORE_URL)
    open_widget(page, stack.web_url + "/")
    page.evaluate("() => sessionStorage.setItem('hostPage', 'trace of the visit')")
    ask(page, FAQ_QUESTION)
    page.locator("[data-cw=exit]").click()
    _assert_exit_left_no_trace(page, stack)
    page.goto(EXIT_URL)
    shot(page, shots, "08-after-quick-exit")


def test_quick_exit_escape_twice(page, stack):
    page.goto(BEFORE_URL)
    open_widget(page, stack.web_url + "/")
    ask(page, FAQ_QUESTION)
    box = page.locator("[data-cw=input]")
    box.focus()
    box.press("Escape")  # once: nothing happens
    page.wait_for_timeout(1700)
    assert page.url.startswith(stack.web_url)
    expect(page.locator(".cw-msg--user")).to_have_count(1)
    box.press("Escape")
    box.press("Escape")
    _assert_exit_left_no_trace(page, stack)


def test_quick_exit_after_links_inside_the_page(page, stack):
    """Links to parts of the page add history entries: Back must reach none of them."""
    page.goto(BEFORE_URL)
    open_widget(page, stack.web_url + "/")
    ask(page, FAQ_QUESTION)
    page.evaluate("() => { location.hash = 'privacy'; }")  # as a link to #privacy does
    page.evaluate("() => { location.hash = 'exit'; }")
    page.wait_for_function("() => location.hash === '#exit'")
    page.locator("[data-cw=exit]").click()
    _assert_exit_left_no_trace(page, stack)


# --------------------------------------------------------------------------- keyboard and layout
def test_keyboard_only_conversation(page, stack, shots):
    open_widget(page, stack.web_url + "/")
    box = page.locator("[data-cw=input]")
    # Tab from the start of the page to the message box
    page.locator("body").click(position={"x": 5, "y": 400})
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(
            "() => document.activeElement && document.activeElement.matches('[data-cw=input]')"
        ):
            break
    expect(box).to_be_focused()
    mark_seen(page)
    page.keyboard.type(FAQ_QUESTION)
    page.keyboard.press("Enter")
    replies = wait_replies(page)
    assert replies.locator(".cw-choice").count() >= 1
    # Shift+Tab back from the box reaches the reply buttons (they come before the form)
    for _ in range(10):
        page.keyboard.press("Shift+Tab")
        if page.evaluate(
            "() => document.activeElement && document.activeElement.classList.contains('cw-choice')"
        ):
            break
    focused = page.locator(".cw-choice:focus")
    expect(focused).to_have_count(1)
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline not in ("none", ""), "focus is not visible"
    shot(page, shots, "10-keyboard-focus")
    title = focused.inner_text().strip()
    mark_seen(page)
    page.keyboard.press("Enter")
    expect(page.locator("[data-test-seen] .cw-choice")).to_have_count(0)
    expect(box).to_be_focused()
    expect(page.locator(".cw-msg--user").last).to_contain_text(title)
    wait_replies(page)


def test_phone_width_320(page, stack, axe_source, shots):
    page.set_viewport_size({"width": 320, "height": 640})
    open_widget(page, stack.web_url + "/")
    ask(page, FAQ_QUESTION)
    ask(page, HELP_QUESTION)
    sizes = no_horizontal_scroll(page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    assert sizes["bodyScrollWidth"] <= sizes["innerWidth"], sizes
    # scrolled to the newest answer: the start of its first message is in the visible part of the
    # log (an answer in several messages is read from its beginning)
    assert page.evaluate(
        """() => {
            const log = document.querySelector('[data-cw=log]');
            const all = [...log.querySelectorAll('.cw-msg')];
            const asked = all.map((m) => m.dataset.who).lastIndexOf('user');
            const last = all[asked + 1];
            const l = log.getBoundingClientRect(), m = last.getBoundingClientRect();
            return m.top >= l.top - 1 && m.top < l.bottom && log.scrollTop > 0;
        }"""
    )
    for sel in ("[data-cw=exit]", "[data-cw=panel]", "[data-cw=send]", "[data-cw=input]"):
        box = page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320.5, (sel, box)
    expect(page.locator("[data-cw=exit]")).to_be_in_viewport()
    page.locator("[data-cw=panel]").scroll_into_view_if_needed()
    expect(page.locator("[data-cw=exit]")).to_be_in_viewport()
    shot(page, shots, "07-phone-320px")
    violations = run_axe(page, axe_source)
    assert violations == [], json.dumps(violations, indent=1)


def test_floating_launcher_on_another_site(page, stack, axe_source, shots):
    """embed-example.html: one script tag, no container: a launcher and a panel."""
    open_widget(page, stack.web_url + "/embed-example.html")
    launcher = page.locator("[data-cw=launcher]")
    panel = page.locator("[data-cw=panel]")
    expect(launcher).to_be_visible()
    expect(panel).to_be_hidden()
    expect(page.locator("[data-cw=exit]")).to_be_visible()
    # the stylesheet beside the script was loaded by the script itself
    assert (
        page.evaluate(
            "() => getComputedStyle(document.querySelector('[data-cw=launcher]')).position"
        )
        == "fixed"
    )
    assert run_axe(page, axe_source) == []
    shot(page, shots, "11-embed-closed")
    launcher.click()
    expect(panel).to_be_visible()
    expect(page.locator("[data-cw=input]")).to_be_focused()
    expect(launcher).to_be_hidden()
    ask(page, FAQ_QUESTION)
    assert run_axe(page, axe_source) == []
    shot(page, shots, "12-embed-open")
    page.locator("[data-cw=close]").click()
    expect(panel).to_be_hidden()
    expect(launcher).to_be_focused()
    expect(launcher).to_have_attribute("aria-expanded", "false")
    page.set_viewport_size({"width": 320, "height": 640})
    launcher.click()
    sizes = no_horizontal_scroll(page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    exit_box = page.locator("[data-cw=exit]").bounding_box()
    panel_box = panel.bounding_box()
    assert exit_box["y"] + exit_box["height"] <= panel_box["y"], "the panel covers Quick exit"
    shot(page, shots, "13-embed-open-320px")


# --------------------------------------------------------------------------- offline and recovery
def _assert_offline_notice(page):
    notice = page.locator("[data-cw=offline]")
    expect(notice).to_be_visible()
    expect(notice).to_contain_text("In danger: call 911")
    expect(notice).to_contain_text("1-833-900-1010")
    hrefs = tel_hrefs(notice)
    assert hrefs == ["tel:911", HOTLINE_TEL], hrefs
    expect(page.locator("[data-cw=send]")).to_be_disabled()
    return notice


def test_offline_then_reconnects_by_itself(page, stack, shots):
    open_widget(page, stack.web_url + "/")
    ask(page, FAQ_QUESTION)
    page.route(rasa_only(stack), refuse_connection)
    box = page.locator("[data-cw=input]")
    box.fill("is sex work legal?")
    box.press("Enter")
    _assert_offline_notice(page)
    expect(page.locator(".cw-msg--failed")).to_have_count(1)
    expect(page.locator(".cw-typing")).to_be_hidden()
    shot(page, shots, "05-offline")
    page.unroute(rasa_only(stack))
    ok = page.locator("[data-cw=reconnected]")
    expect(ok).to_be_visible(timeout=20_000)
    expect(page.locator("[data-cw=offline]")).to_have_count(0)
    expect(page.locator("[data-cw=send]")).to_be_enabled()
    shot(page, shots, "06-reconnected")
    replies = ask(page, FAQ_QUESTION)
    assert "trafficking" in " ".join(replies.all_inner_texts()).lower()


def test_a_message_sent_again_after_a_failure_keeps_its_id(page, stack):
    """The server answers a repeated id with the replies it gave then (channels/web.py), so a
    message that did reach the assistant before the connection broke is not a second turn."""
    sent = []

    def first_fails(route) -> None:
        sent.append(json.loads(route.request.post_data or "{}"))
        if len(sent) == 1:
            route.abort("connectionrefused")
        else:
            route.continue_()

    webhook = lambda url: url.endswith("/webhooks/rest/webhook")  # noqa: E731
    page.route(webhook, first_fails)
    open_widget(page, stack.web_url + "/")
    box = page.locator("[data-cw=input]")
    box.fill(FAQ_QUESTION)
    box.press("Enter")
    expect(page.locator(".cw-msg--failed")).to_have_count(1)
    expect(box).to_have_value(FAQ_QUESTION)  # put back, ready to send again
    expect(page.locator("[data-cw=send]")).to_be_enabled(timeout=20_000)
    mark_seen(page)
    box.press("Enter")
    wait_replies(page)
    ask(page, "is sex work legal?")
    ids = [body.get("message_id") for body in sent]
    assert len(ids) == 3 and all(re.fullmatch(r"[0-9a-f]{32}", i or "") for i in ids), ids
    assert ids[0] == ids[1] != ids[2]


def test_offline_at_start(page, stack, axe_source, shots):
    page.route(rasa_only(stack), refuse_connection)
    open_widget(page, stack.web_url + "/", online=False)
    _assert_offline_notice(page)
    violations = run_axe(page, axe_source)
    assert violations == [], json.dumps(violations, indent=1)
    shot(page, shots, "09-offline-at-start")
    page.unroute(rasa_only(stack))
    expect(page.locator("[data-cw=reconnected]")).to_be_visible(timeout=20_000)
    replies = ask(page, FAQ_QUESTION)
    assert replies.count() >= 1
