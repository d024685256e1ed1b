"""The staff console in Debian's chromium: sign-in, roles, missed questions, edits, publishing.

Runs against the console's own copy of the project (console_site.py); the publishing test also
starts a Rasa server on a free port with the copy's published model, so the published text is
checked where people get it: through the REST channel.
"""

from __future__ import annotations

import time

import pytest
from conftest import new_context
from console_site import MISSED, PASSWORDS, start_assistant, start_console
from playwright.sync_api import Page, expect
from widget_helpers import no_horizontal_scroll, run_axe

from tools.yaml_io import yaml_parser

# Saving and publishing run every content check (a few seconds; more while Rasa loads a model).
CHECKED = 60_000

ANSWER = "utter_faq/canadian_trafficking_laws"
ANSWER_FILE = "data/faq/canadian_trafficking_laws.yml"
NEW_TEXT = (
    "Yes. Trafficking is a serious crime in Canada.\n"
    "You can get support without going to the police."
)
FRENCH = 1  # the answer's French version
NEW_FRENCH = (
    "Oui. La traite des personnes est un crime grave au Canada.\n"
    "Vous pouvez avoir de l'aide sans aller à la police."
)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    site = start_console(tmp_path_factory.mktemp("console") / "project")
    yield site
    site.stop()
    assert "Traceback" not in site.log.read_text(errors="replace")


@pytest.fixture(scope="module")
def assistant(site):
    assistant = start_assistant(site.root)
    yield assistant
    from console_site import stop

    stop(assistant.process)


@pytest.fixture
def requests_seen():
    return []


@pytest.fixture
def page(browser, requests_seen):
    context = new_context(browser, "en-CA")
    pg = context.new_page()
    pg.set_default_timeout(CHECKED)  # a save runs every content check; slow on a busy machine
    pg.on("request", lambda r: requests_seen.append(r.url))
    yield pg
    context.close()


def sign_in(page: Page, site, name: str, password: str | None = None) -> None:
    page.goto(site.url + "/")
    expect(page).to_have_url(site.url + "/signin")
    page.get_by_label("Name").fill(name)
    page.get_by_label("Password").fill(password or PASSWORDS[name][1])
    page.get_by_role("button", name="Sign in").click()


def csrf_of(page: Page) -> str:
    return page.locator("input[name=csrf]").first.get_attribute("value")


def test_sign_in_every_page_accessible_at_360px(page, site, axe_source, requests_seen):
    sign_in(page, site, "alice")
    expect(page.get_by_role("heading", name="Keep the assistant current")).to_be_visible()
    cookie = next(c for c in page.context.cookies() if c["name"] == "console_session")
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"
    pages = [
        "/",
        "/missed",
        "/answers",
        f"/answer?name={ANSWER}",
        f"/answer?name={ANSWER}&variant={FRENCH}",
        "/answer?name=utter_faq/sex_work_legality_canada&variant=3",  # French, under 18
        "/services",
        "/service?id=octip",
        "/publish",
        "/audit",
    ]
    for width in (1280, 360):
        page.set_viewport_size({"width": width, "height": 800})
        for path in pages:
            page.goto(site.url + path)
            assert run_axe(page, axe_source) == [], path
            if width == 360:
                size = no_horizontal_scroll(page)
                assert size["scrollWidth"] <= size["innerWidth"], (path, size)
    page.get_by_role("button", name="Sign out").click()
    expect(page).to_have_url(site.url + "/signin")
    assert run_axe(page, axe_source) == []
    page.goto(site.url + "/publish")
    expect(page).to_have_url(site.url + "/signin")
    assert all(url.startswith(site.url) for url in requests_seen), requests_seen


def test_wrong_password_is_refused_and_repeated_failures_lock_out(page, site):
    sign_in(page, site, "carol", "not-the-password")
    expect(page.locator("#signin-error")).to_have_text("The name or the password is wrong.")
    for _ in range(4):
        sign_in(page, site, "carol", "still-not-the-password")
    expect(page.locator("#signin-error")).to_contain_text("locked")
    sign_in(page, site, "carol")  # the right password, too late
    expect(page.locator("#signin-error")).to_contain_text("locked")
    expect(page).to_have_url(site.url + "/signin")


def test_a_form_without_its_token_is_refused(page, site):
    sign_in(page, site, "alice")
    answer = page.request.post(
        site.url + "/answer", form={"name": ANSWER, "text": "Changed.", "action": "save"}
    )
    assert answer.status == 403
    assert "Changed." not in (site.root / ANSWER_FILE).read_text(encoding="utf-8")


def test_an_editor_cannot_publish(page, site):
    sign_in(page, site, "bob")
    page.goto(site.url + "/publish")
    expect(page.locator("#editor-note")).to_be_visible()
    expect(page.locator("#publish-answers")).to_have_count(0)
    expect(page.locator("#rollback")).to_have_count(0)
    state = (site.root / "models/published/state.json").read_text()
    token = csrf_of(page)
    for path in ("/publish-answers", "/publish", "/rollback"):
        answer = page.request.post(site.url + path, form={"csrf": token})
        assert answer.status == 403, path
    assert (site.root / "models/published/state.json").read_text() == state


def test_label_a_missed_question_and_it_is_in_the_training_data(page, site):
    sign_in(page, site, "bob")
    page.goto(site.url + "/missed")
    card = page.locator(".card", has_text=MISSED)
    expect(card).to_be_visible()
    card.get_by_label("File under").select_option("faq/signs_of_trafficking")
    card.get_by_role("button", name="File").click()
    expect(page.locator("#missed-note")).to_contain_text("Added as an example")
    examples = (site.root / "data/faq/signs_of_trafficking.yml").read_text(encoding="utf-8")
    assert f"    - {MISSED}\n" in examples
    expect(page.locator(".card", has_text=MISSED)).to_have_count(0)
    page.goto(site.url + "/audit")
    expect(page.locator(".changes")).to_contain_text("bob added a training example")


def test_a_broken_edit_is_refused_and_nothing_is_saved(page, site):
    sign_in(page, site, "bob")
    before = (site.root / ANSWER_FILE).read_bytes()
    page.goto(site.url + f"/answer?name={ANSWER}")
    page.get_by_label("Text").fill("It is a crime. Call 1-800-555-0199 to report it.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#problems")).to_contain_text(
        "not in the service directory", timeout=CHECKED
    )
    page.get_by_label("Text").fill("It is a crime.\x07 Call 911 if you are in danger.")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#problems")).to_contain_text("cannot be saved")
    assert (site.root / ANSWER_FILE).read_bytes() == before
    # Quotes, colons and hashes break a hand-written YAML line; here they are saved as text.
    page.get_by_label("Text").fill('It is a "serious" crime: see # 1. Call 911 if in danger.')
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_be_visible(timeout=CHECKED)
    doc = yaml_parser().load((site.root / ANSWER_FILE).read_text(encoding="utf-8"))
    assert doc["responses"][ANSWER][0]["text"] == (
        'It is a "serious" crime: see # 1. Call 911 if in danger.'
    )
    (site.root / ANSWER_FILE).write_bytes(before)


def test_edit_preview_publish_then_roll_back_through_rest(page, site, assistant):
    old = assistant.reply("/faq/canadian_trafficking_laws")
    assert old and NEW_TEXT not in old
    sign_in(page, site, "alice")
    page.goto(site.url + f"/answer?name={ANSWER}")
    page.get_by_label("Text").fill(NEW_TEXT)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-web")).to_contain_text("serious crime in Canada.")
    expect(page.locator("#preview-sms-1")).to_contain_text("Reply 1 for")
    expect(page.locator("#sms-size")).to_contain_text("1 message")
    started = time.monotonic()
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_be_visible(timeout=CHECKED)
    page.goto(site.url + "/publish")
    expect(page.locator("#waiting")).to_contain_text(ANSWER)
    page.locator("#publish-answers").click()
    expect(page.locator("#publish-note")).to_contain_text("Published", timeout=CHECKED)
    new = assistant.reply("/faq/canadian_trafficking_laws")
    live_after = time.monotonic() - started
    assert new.startswith(NEW_TEXT)
    assert live_after < 60
    print(f"\nanswer edit: save to live through REST in {live_after:.1f} s")
    page.locator("#rollback").click()
    expect(page.locator("#publish-note")).to_contain_text("Rolled back")
    assert assistant.reply("/faq/canadian_trafficking_laws") == old


def test_edit_the_french_version_preview_publish_and_get_it_in_french(
    page, site, assistant, axe_source
):
    sign_in(page, site, "alice")
    page.goto(site.url + "/answers")
    listed = page.locator(".list > li", has=page.get_by_role("link", name=ANSWER, exact=True))
    expect(listed.get_by_role("link", name="French", exact=True)).to_be_visible()
    page.goto(site.url + f"/answer?name={ANSWER}")
    versions = page.get_by_role("navigation", name="Versions of this answer")
    versions.get_by_role("link", name="French", exact=True).click()
    expect(page.get_by_role("heading", name="Editing: French")).to_be_visible()
    expect(page.locator("#review-state")).to_contain_text("fluent French speaker")
    page.get_by_label("Text").fill(NEW_FRENCH)
    page.get_by_role("button", name="Preview").click()
    expect(page.locator("#preview-web")).to_contain_text("crime grave au Canada.")
    expect(page.locator("#preview-sms-1")).to_contain_text("Répondez 1 pour")
    expect(page.locator("#sms-size")).to_contain_text("1 message")
    page.set_viewport_size({"width": 360, "height": 800})
    assert run_axe(page, axe_source) == []
    size = no_horizontal_scroll(page)
    assert size["scrollWidth"] <= size["innerWidth"], size
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_contain_text(
        "needs a review by a fluent French speaker", timeout=CHECKED
    )
    assert run_axe(page, axe_source) == []
    doc = yaml_parser().load((site.root / ANSWER_FILE).read_text(encoding="utf-8"))
    assert doc["responses"][ANSWER][FRENCH]["text"] == NEW_FRENCH
    assert doc["responses"][ANSWER][0]["text"] != NEW_FRENCH
    page.goto(site.url + "/audit")
    expect(page.locator(".changes").first).to_contain_text("version: French")
    page.goto(site.url + "/publish")
    expect(page.locator("#waiting")).to_contain_text(ANSWER)
    page.locator("#publish-answers").click()
    expect(page.locator("#publish-note")).to_contain_text("Published", timeout=CHECKED)
    french = f"console-test-french-{time.time()}"
    assert "français" in assistant.reply("en français", french)
    assert assistant.reply("/faq/canadian_trafficking_laws", french).startswith(NEW_FRENCH)
    assert not assistant.reply("/faq/canadian_trafficking_laws").startswith(NEW_FRENCH)


def test_bad_input_gets_a_clear_4xx(page, site):
    outside = page.context.request.post(site.url + "/answer", form={"text": "x"})
    assert outside.status == 401
    sign_in(page, site, "alice")
    token = csrf_of(page)
    ask = page.request
    assert ask.get(site.url + "/job?id=abc").status == 404
    assert ask.get(site.url + "/job.json?id=99999999999999999999").status == 404
    assert ask.get(site.url + "/answer?name=utter_nothing").status == 404
    assert ask.get(site.url + "/service?id=%00").status == 404
    assert ask.get(site.url + "/report/file?name=../../var/console/staff.json").status == 404
    huge = ask.post(site.url + "/answer", form={"csrf": token, "text": "x" * 400_000})
    assert huge.status == 413
    missing = ask.post(site.url + "/answer", form={"csrf": token, "name": "utter_nothing"})
    assert missing.status == 404
    before = (site.root / ANSWER_FILE).read_bytes()
    for variant in ("9", "-1", "abc", "1e9"):
        assert ask.get(site.url + f"/answer?name={ANSWER}&variant={variant}").status == 404
        form = {"csrf": token, "name": ANSWER, "variant": variant, "text": "Changed."}
        saved = ask.post(site.url + "/answer", form={**form, "action": "save"})
        assert saved.status == 404 and "No such answer" in saved.text(), variant
    assert (site.root / ANSWER_FILE).read_bytes() == before
    assert "Traceback" not in site.log.read_text(errors="replace")


def test_edit_a_service_and_closing_one_still_quoted_is_refused(page, site):
    directory = site.root / "data/referrals/services.yml"
    sign_in(page, site, "bob")
    page.goto(site.url + "/service?id=octip")
    page.get_by_label("Hours", exact=True).fill("24/7, toll-free, every day")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#saved")).to_be_visible(timeout=CHECKED)
    assert "hours: 24/7, toll-free, every day\n" in directory.read_text(encoding="utf-8")
    before = directory.read_bytes()
    page.goto(site.url + "/service?id=emergency_911")
    page.get_by_role("button", name="Close this service").click()
    expect(page.locator("#problems")).to_contain_text("911", timeout=CHECKED)
    expect(page.locator("#status")).to_have_text("active")
    assert directory.read_bytes() == before
