"""The chat page in Chromium against the real Rasa server with the trained model.

The Rasa server is started for this module with ``HARBOR_WEB_ORIGIN`` set to the page's
origin (the socket channel refuses any other), next to the session's action server.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests import servers
from tests.browser.axe import assert_no_violations
from tests.browser.conftest import (
    PHONE,
    Watch,
    new_context,
    open_chat,
    say,
    screenshot,
    serve_page,
    stop_page,
)

pytestmark = [pytest.mark.browser, pytest.mark.server, pytest.mark.model]
expect.set_options(timeout=60_000)  # the first turn warms the model up


@pytest.fixture(scope="module")
def chat_url(
    model_path: Path, actions_process: servers.Process, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[str]:
    """The page, served locally, talking to a real Rasa server over socket.io."""
    page_server = serve_page("http://127.0.0.1:9")  # Rasa needs the page's origin first
    database = tmp_path_factory.mktemp("browser-rasa") / "harbor.db"
    rasa = servers.rasa_server(
        model_path,
        f"{actions_process.url}/webhook",
        f"sqlite:///{database}",
        name="rasa-browser",
        HARBOR_WEB_ORIGIN=page_server.url,
    ).start()
    page_server.settings = dataclasses.replace(page_server.settings, rasa_url=rasa.url)
    try:
        yield page_server.url + "/"
    finally:
        rasa.stop()
        stop_page(page_server)


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A phone-sized page that may not reach past this machine."""
    watch = Watch()
    context = new_context(browser, watch, PHONE)
    page = context.new_page()
    errors: list = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert watch.external == [] and errors == []




def test_hi_gets_an_answer_from_harbor(page: Page, chat_url: str) -> None:
    open_chat(page, chat_url)
    say(page, "hi")
    answer = page.locator("#log .msg-bot, #log .card-crisis").first
    expect(answer).to_be_visible()
    assert answer.inner_text().strip()
    expect(page.locator("#typing")).to_be_hidden()
    screenshot(page, "browser-rasa-hi-phone")


def test_crisis_card_then_a_quick_reply_then_quick_exit(page: Page, chat_url: str) -> None:
    open_chat(page, chat_url)
    say(page, "I want to kill myself")
    card = page.locator("#log .card-crisis").first
    expect(card).to_be_visible()
    links = card.locator("a[href^='tel:'], a[href^='sms:']")
    expect(links.first).to_be_visible()
    hrefs = links.evaluate_all("els => els.map(e => e.getAttribute('href'))")
    assert "tel:988" in hrefs and "sms:988" in hrefs, hrefs
    screenshot(page, "browser-rasa-crisis-phone")

    # The crisis answer asks where the person is: a quick reply answers it.
    replies = page.locator("#log .replies .reply")
    expect(replies.first).to_be_visible()
    answers = page.locator("#log .msg-bot, #log .card-crisis")
    before = answers.count()
    page.get_by_role("button", name="US", exact=True).click()
    expect(page.locator("#log .msg-user p").last).to_have_text("US")
    expect(answers.nth(before)).to_be_visible()

    stored = json.loads(page.evaluate("sessionStorage.getItem('harbor.chat.v1')"))
    assert [m["text"] for m in stored["messages"] if m["from"] == "user"] == [
        "I want to kill myself",
        "US",
    ]
    page.get_by_role("button", name="Quick exit: clear this chat and leave this page").click()
    page.wait_for_url("https://www.wikipedia.org/")
    open_chat(page, chat_url)
    expect(page.locator("#log > *")).to_have_count(0)


def test_the_direct_question_and_not_sure_bring_the_crisis_card(page: Page, chat_url: str) -> None:
    open_chat(page, chat_url)
    say(page, "i can't do this anymore")
    for title in ("Yes", "No", "Not sure"):
        expect(page.get_by_role("button", name=title, exact=True)).to_be_visible()
    assert page.locator("#log .card-crisis").count() == 0, "a question, not the crisis card"
    screenshot(page, "browser-rasa-direct-question-phone")
    page.get_by_role("button", name="Not sure", exact=True).click()
    card = page.locator("#log .card-crisis").first
    expect(card).to_be_visible()
    expect(card).to_contain_text("988")


def test_no_to_the_direct_question_is_thanked(page: Page, chat_url: str) -> None:
    open_chat(page, chat_url)
    say(page, "what's the point")
    page.get_by_role("button", name="No", exact=True).click()
    answer = page.locator("#log .msg-bot").last
    expect(answer).to_contain_text("SOS")
    assert page.locator("#log .card-crisis").count() == 0


def test_kept_on_this_device_the_conversation_and_the_streak_come_back(
    browser: Browser, chat_url: str
) -> None:
    watch = Watch()
    first = new_context(browser, watch, PHONE)
    try:
        page = first.new_page()
        open_chat(page, chat_url)
        say(page, "day 12 no contact")
        expect(page.locator("#log .msg-bot").last).to_contain_text("day 12")
        page.get_by_role("button", name="Menu").click()
        page.get_by_role("button", name="Keep me on this device").click()
        expect(page.get_by_role("button", name="Forget this device")).to_be_visible()
        storage = first.storage_state()
    finally:
        first.close()  # the page and the browser are closed

    again = new_context(browser, watch, PHONE, storage_state=storage)
    try:
        page = again.new_page()
        open_chat(page, chat_url)
        # The earlier conversation is on the page ...
        expect(page.locator("#log .msg-user p").first).to_have_text("day 12 no contact")
        expect(page.locator("#log")).to_contain_text("Got it: day 12 of no contact")
        # ... and Harbor knows the person: their streak is still counted.
        before = page.locator("#log .msg-bot").count()
        say(page, "whats my streak")
        expect(page.locator("#log .msg-bot")).not_to_have_count(before)
        expect(page.locator("#log .msg-bot").nth(before)).to_contain_text("12 days")
        assert_no_violations(page, "returning with Harbor's answers")
        screenshot(page, "browser-rasa-returning-phone")

        # Quick exit: a fresh page afterwards knows nothing.
        page.get_by_role("button", name="Quick exit: clear this chat and leave this page").click()
        page.wait_for_url("https://www.wikipedia.org/")
        fresh = again.new_page()
        open_chat(fresh, chat_url)
        expect(fresh.locator("#log > *")).to_have_count(0)
        say(fresh, "whats my streak")
        expect(fresh.locator("#log .msg-bot").first).not_to_contain_text("12 days")
        assert fresh.evaluate("localStorage.length") == 0
    finally:
        again.close()
    assert watch.external == []
