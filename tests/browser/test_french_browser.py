"""The widget and the demo page in French: a French browser, the EN / FR switch, the French
quick exit and offline message, axe in both languages, and a phone screen.
"""

from __future__ import annotations

import json

from playwright.sync_api import expect
from widget_helpers import (
    EXIT_URL,
    HOTLINE_TEL,
    ask,
    mark_seen,
    no_horizontal_scroll,
    open_widget,
    rasa_only,
    refuse_connection,
    run_axe,
    tel_hrefs,
    wait_replies,
)

CHOOSE_FRENCH = '/choose_language{"language": "fr"}'
CHOOSE_ENGLISH = '/choose_language{"language": "en"}'
# Texts of the English widget that must not be left in the French one.
ENGLISH_UI = ("Ask a question", "Clear chat", "Quick exit", "Enter sends", "automated assistant")


def _sent_messages(stack) -> list[str]:
    return [str(r.get("message")) for r in stack.fake.requests] if stack.fake else []


def _assert_french(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-cw=root]")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-cw=exit]")).to_have_attribute("lang", "fr")
    expect(page.locator("[data-cw=lang-fr]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-cw=lang-en]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".cw-greeting")).to_contain_text("assistant automatique")
    expect(page.locator(".cw-greeting a[href='tel:911']")).to_have_count(1)
    expect(page.locator("[data-cw=note]")).to_contain_text("renseignements personnels")
    expect(page.get_by_role("button", name="Sortie rapide")).to_be_visible()
    expect(page.get_by_role("textbox", name="Votre message")).to_be_visible()
    expect(page.get_by_role("button", name="Envoyer", exact=True)).to_be_visible()
    expect(page.get_by_role("log", name="Conversation")).to_be_visible()
    expect(page.get_by_role("group", name="Langue")).to_be_visible()
    expect(page.get_by_role("button", name="Effacer la discussion")).to_have_text("Effacer")
    widget_text = (
        page.locator("[data-cw=root]").inner_text() + page.locator("[data-cw=exit]").inner_text()
    )
    for english in ENGLISH_UI:
        assert english not in widget_text, english
    expect(page.get_by_role("heading", name="Votre vie privée")).to_be_visible()
    expect(page.get_by_role("heading", name="Your privacy")).to_be_hidden()
    assert page.title() == "Assistant d'information (C.-B.)"


def _assert_english(page) -> None:
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.locator("[data-cw=root]")).to_have_attribute("lang", "en")
    expect(page.locator("[data-cw=lang-en]")).to_have_attribute("aria-pressed", "true")
    expect(page.locator("[data-cw=lang-fr]")).to_have_attribute("aria-pressed", "false")
    expect(page.locator(".cw-greeting")).to_contain_text("automated assistant")
    expect(page.get_by_role("button", name="Quick exit")).to_be_visible()
    expect(page.get_by_role("textbox", name="Your message")).to_be_visible()
    expect(page.get_by_role("heading", name="Your privacy")).to_be_visible()
    expect(page.get_by_role("heading", name="Votre vie privée")).to_be_hidden()
    assert page.title() == "Information assistant (BC)"


def _no_axe_violations(page, axe_source) -> None:
    violations = run_axe(page, axe_source)
    assert violations == [], json.dumps(violations, indent=1)


def test_french_browser_gets_the_french_page(fr_page, stack, axe_source, shots, watch):
    before = len(_sent_messages(stack))
    open_widget(fr_page, stack.web_url + "/")
    _assert_french(fr_page)
    # the switch names each language in its own language
    expect(fr_page.get_by_role("button", name="English")).to_have_attribute("lang", "en")
    expect(fr_page.get_by_role("button", name="Français")).to_have_attribute("lang", "fr")
    # following the browser's language is not a choice the person made: nothing is sent
    assert _sent_messages(stack)[before:] == []
    fr_page.screenshot(path=str(shots / "fr-01-first-view.png"), full_page=True)
    _no_axe_violations(fr_page, axe_source)
    # the choice is not kept anywhere: no storage, no cookie
    assert fr_page.evaluate(
        "() => [sessionStorage.length, localStorage.length, document.cookie]"
    ) == [0, 0, ""]
    assert watch.console_errors == []


def test_french_suggestions_send_the_same_payloads(fr_page, stack):
    open_widget(fr_page, stack.web_url + "/")
    mark_seen(fr_page)
    button = fr_page.locator(".cw-greeting .cw-choice").last
    expect(button).to_have_text("Où trouver de l'aide\u00a0?")
    button.click()
    expect(fr_page.locator(".cw-msg--user").last).to_contain_text("Où trouver de l'aide")
    wait_replies(fr_page)
    if stack.fake:
        assert _sent_messages(stack)[-1] == "/request_help_trafficking"


def test_language_switch_both_ways(page, stack, axe_source, shots):
    open_widget(page, stack.web_url + "/")
    _assert_english(page)
    _no_axe_violations(page, axe_source)

    mark_seen(page)
    page.locator("[data-cw=lang-fr]").click()
    _assert_french(page)
    # the assistant is told, with the payload its own language buttons use
    expect(page.locator(".cw-msg--user").last).to_contain_text("Français")
    wait_replies(page)
    if stack.fake:
        assert _sent_messages(stack)[-1] == CHOOSE_FRENCH
    page.screenshot(path=str(shots / "fr-02-switched-to-french.png"), full_page=True)
    _no_axe_violations(page, axe_source)

    # back to English with the keyboard only
    mark_seen(page)
    page.locator("[data-cw=lang-fr]").focus()
    page.keyboard.press("Shift+Tab")
    expect(page.locator("[data-cw=lang-en]")).to_be_focused()
    page.keyboard.press("Enter")
    _assert_english(page)
    expect(page.locator("[data-cw=lang-en]")).to_be_focused()
    wait_replies(page)
    if stack.fake:
        assert _sent_messages(stack)[-1] == CHOOSE_ENGLISH
    _no_axe_violations(page, axe_source)

    # pressing the language already in use does nothing
    count = page.locator(".cw-msg--user").count()
    page.keyboard.press("Space")
    expect(page.locator(".cw-msg--user")).to_have_count(count)


def test_the_assistants_english_button_switches_the_widget(fr_page, stack):
    open_widget(fr_page, stack.web_url + "/")
    mark_seen(fr_page)
    # French from the browser: the person presses FR anyway (nothing changes, nothing is sent)
    fr_page.locator("[data-cw=lang-fr]").click()
    expect(fr_page.locator(".cw-msg--user")).to_have_count(0)
    # a French message gets the assistant's language reply, which ends with its "English" button
    fr_page.locator("[data-cw=lang-en]").click()
    wait_replies(fr_page)
    mark_seen(fr_page)
    fr_page.locator("[data-cw=lang-fr]").click()
    replies = wait_replies(fr_page)
    english = replies.get_by_role("button", name="English", exact=True)
    expect(english).to_be_visible()
    english.click()
    _assert_english(fr_page)
    wait_replies(fr_page)
    if stack.fake:
        assert _sent_messages(stack)[-1] == CHOOSE_ENGLISH


def test_quick_exit_in_french(fr_page, stack):
    open_widget(fr_page, stack.web_url + "/")
    ask(fr_page, "j'ai besoin d'aide")
    exit_button = fr_page.locator("[data-cw=exit]")
    expect(exit_button).to_contain_text("Sortie rapide")
    expect(exit_button).to_contain_text("appuyez deux fois sur Échap")  # its screen-reader hint
    exit_button.click()
    fr_page.wait_for_url(EXIT_URL)
    fr_page.go_back()
    assert not fr_page.url.startswith(stack.web_url)


def test_offline_message_in_french_then_english(fr_page, stack, axe_source, shots):
    fr_page.route(rasa_only(stack), refuse_connection)
    open_widget(fr_page, stack.web_url + "/", online=False)
    notice = fr_page.locator("[data-cw=offline]")
    expect(notice).to_be_visible()
    expect(notice).to_have_attribute("lang", "fr")
    expect(notice).to_contain_text("L'assistant ne répond pas")
    expect(notice).to_contain_text("En danger\u00a0: appelez le 911")
    expect(notice).to_contain_text("1-833-900-1010")
    expect(notice).to_contain_text("24 h sur 24")
    assert tel_hrefs(notice) == ["tel:911", HOTLINE_TEL]
    fr_page.screenshot(path=str(shots / "fr-03-offline.png"), full_page=True)
    _no_axe_violations(fr_page, axe_source)

    # switching while offline changes the notice; nothing can be sent to the assistant
    fr_page.locator("[data-cw=lang-en]").click()
    expect(notice).to_have_attribute("lang", "en")
    expect(notice).to_contain_text("In danger: call 911")
    assert tel_hrefs(notice) == ["tel:911", HOTLINE_TEL]
    expect(fr_page.locator(".cw-msg--user")).to_have_count(0)
    fr_page.locator("[data-cw=lang-fr]").click()
    expect(notice).to_contain_text("En danger\u00a0: appelez le 911")

    # a message typed while offline: the notice and the "not sent" mark stay in French
    box = fr_page.locator("[data-cw=input]")
    box.fill("il me menace")
    box.press("Enter")
    expect(notice).to_contain_text("Votre message n'a pas été envoyé")
    fr_page.unroute(rasa_only(stack))
    expect(fr_page.locator("[data-cw=reconnected]")).to_contain_text(
        "La connexion est revenue", timeout=20_000
    )


def test_french_at_phone_width_320(fr_page, stack, axe_source, shots):
    fr_page.set_viewport_size({"width": 320, "height": 640})
    open_widget(fr_page, stack.web_url + "/")
    ask(fr_page, "c'est quoi la traite des personnes")
    sizes = no_horizontal_scroll(fr_page)
    assert sizes["scrollWidth"] <= sizes["innerWidth"], sizes
    assert sizes["bodyScrollWidth"] <= sizes["innerWidth"], sizes
    for sel in (
        "[data-cw=exit]",
        "[data-cw=panel]",
        "[data-cw=lang-en]",
        "[data-cw=lang-fr]",
        "[data-cw=clear]",
        "[data-cw=send]",
        "[data-cw=input]",
    ):
        box = fr_page.locator(sel).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= 320.5, (sel, box)
    fr_page.screenshot(path=str(shots / "fr-04-phone-320px.png"))
    _no_axe_violations(fr_page, axe_source)


def test_floating_widget_follows_a_french_browser(fr_page, stack, axe_source):
    """embed-example.html: the host page's own text and <html lang> are left alone."""
    fr_page.goto(stack.web_url + "/embed-example.html")
    launcher = fr_page.locator("[data-cw=launcher]")
    expect(launcher).to_contain_text("Discussion")
    expect(launcher).to_contain_text("Posez une question")
    expect(fr_page.locator("html")).to_have_attribute("lang", "en")
    expect(fr_page.locator("[data-cw=root]")).to_have_attribute("lang", "fr")
    launcher.click()
    expect(fr_page.get_by_role("button", name="Réduire la discussion")).to_be_visible()
    _no_axe_violations(fr_page, axe_source)
