"""Coming back on the web: "Keep me on this device" (opt-in), "Forget this device", Quick exit,
and what the page sends and shows besides text (the time zone, pictures).

Without the opt-in nothing reaches localStorage (``test_page.py`` checks today's behaviour).
With it, the chat and the server-signed session key (128 random bits plus an HMAC) are
kept in localStorage, so a new page with the same browser storage is the same person.
"""

from __future__ import annotations

import json
from typing import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.browser import stub_bot
from tests.browser.conftest import EXIT, PHONE, StubSite, Watch, new_context, open_chat, say

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)

TAB_KEY = "harbor.chat.v1"
KEPT_KEY = "harbor.kept.v1"




def kept(page: Page) -> dict:
    raw = page.evaluate(f"localStorage.getItem({KEPT_KEY!r})")
    return json.loads(raw) if raw else {}


def reopen(browser: Browser, first: BrowserContext, watch: Watch) -> BrowserContext:
    """Closes ``first`` and opens a new browser with the storage it left (a new visit)."""
    storage = first.storage_state()
    first.close()
    return new_context(browser, watch, PHONE, storage_state=storage)


@pytest.fixture
def context(browser: Browser, watch: Watch) -> Iterator[BrowserContext]:
    context = new_context(browser, watch, PHONE)
    yield context
    try:
        context.close()
    except Exception:  # noqa: BLE001 - a test may have closed it already
        pass
    assert watch.external == []


def test_kept_on_this_device_the_chat_and_the_person_come_back(
    browser: Browser, context: BrowserContext, stub: StubSite, watch: Watch
) -> None:
    page = context.new_page()
    open_chat(page, stub)
    say(page, "hi")
    offer = page.locator("#log .offer")
    expect(offer).to_be_visible()  # offered after a first answer
    assert page.evaluate("localStorage.length") == 0, "nothing kept before the choice"
    offer.get_by_role("button", name="Keep me on this device").click()
    expect(offer).to_have_count(0)
    expect(page.locator("#log .msg-note")).to_contain_text("Kept on this device")
    stored = kept(page)
    session_id = stored["sessionId"]
    assert len(session_id) == 64 and int(session_id[:32], 16) >= 0  # 128 random bits + HMAC
    assert [m["from"] for m in stored["messages"]] == ["user", "bot"]
    assert page.evaluate(f"sessionStorage.getItem({TAB_KEY!r})") is None
    say(page, "remind me")
    expect(page.locator("#log .msg-bot p").last).to_have_text(stub_bot.PUSH_TEXT)

    again = reopen(browser, context, watch)
    try:
        page = again.new_page()
        open_chat(page, stub)
        expect(page.locator("#log .msg-user p")).to_have_text(["hi", "remind me"])
        expect(page.locator("#log .msg-bot").first).to_contain_text("I'm Harbor")
        expect(page.locator("#intro")).to_be_hidden()
        expect(page.locator("#log .offer")).to_have_count(0)  # asked once is enough
        say(page, "hello again")
        expect(page.locator("#log .msg-bot")).to_have_count(4)
        # The server knows it is the same person: the same signed session.
        assert {m.sender_id for m in stub.bot.received} == {session_id}
        page.get_by_role("button", name="Menu").click()
        expect(page.locator("#device-kept")).to_be_visible()
        expect(page.get_by_role("button", name="Forget this device")).to_be_visible()
    finally:
        again.close()


def test_forget_this_device_clears_it_at_once(
    browser: Browser, context: BrowserContext, stub: StubSite, watch: Watch
) -> None:
    page = context.new_page()
    open_chat(page, stub)
    expect(page.locator("#intro-tab")).to_be_visible()
    expect(page.locator("#intro-kept")).to_be_hidden()
    page.get_by_role("button", name="Menu").click()
    expect(page.locator("#device-tab")).to_be_visible()
    page.get_by_role("button", name="Keep me on this device").click()
    # The page no longer says "closing this tab clears it": now it would not.
    expect(page.locator("#intro-kept")).to_be_visible()
    expect(page.locator("#intro-tab")).to_be_hidden()
    say(page, "hi")
    expect(page.locator("#log .msg-bot")).to_have_count(1)
    assert kept(page)["messages"]
    page.get_by_role("button", name="Forget this device").click()
    assert page.evaluate("localStorage.length") == 0
    expect(page.locator("#log .msg-note").last).to_contain_text("no longer remembers you")
    # This tab keeps its chat until it closes; a new visit knows nothing.
    stored = json.loads(page.evaluate(f"sessionStorage.getItem({TAB_KEY!r})"))
    assert [m["from"] for m in stored["messages"]] == ["user", "bot"]
    again = reopen(browser, context, watch)
    try:
        page = again.new_page()
        open_chat(page, stub)
        expect(page.locator("#log > *")).to_have_count(0)
        expect(page.locator("#intro")).to_be_visible()
    finally:
        again.close()


def test_quick_exit_forgets_a_kept_device_too(
    browser: Browser, context: BrowserContext, stub: StubSite, watch: Watch
) -> None:
    page = context.new_page()
    open_chat(page, stub)
    say(page, "hi")
    page.locator("#log .offer").get_by_role("button", name="Keep me on this device").click()
    first_id = kept(page)["sessionId"]
    page.get_by_role("button", name=EXIT).click()
    page.wait_for_url("https://www.wikipedia.org/")
    again = reopen(browser, context, watch)
    try:
        page = again.new_page()
        open_chat(page, stub)
        expect(page.locator("#log > *")).to_have_count(0)
        assert page.evaluate("localStorage.length") == 0
        say(page, "hello")
        expect(page.locator("#log .msg-bot")).to_have_count(1)
        assert stub.bot.received[-1].sender_id != first_id, "a fresh page is a new person"
    finally:
        again.close()


def test_no_thanks_keeps_todays_behaviour(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    phone.locator("#log .offer").get_by_role("button", name="No thanks").click()
    expect(phone.locator("#log .offer")).to_have_count(0)
    say(phone, "hello")
    expect(phone.locator("#log .msg-bot")).to_have_count(2)
    phone.wait_for_timeout(2_000)
    expect(phone.locator("#log .offer")).to_have_count(0)  # not asked again
    assert phone.evaluate("localStorage.length") == 0


def test_the_offer_never_comes_with_a_crisis(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "I want to die")
    expect(phone.locator("#log .card-crisis")).to_be_visible()
    say(phone, "hi")
    expect(phone.locator("#log .msg-bot")).to_have_count(1)
    phone.wait_for_timeout(2_000)
    expect(phone.locator("#log .offer")).to_have_count(0)


def test_a_kept_copy_unused_longer_than_the_server_keeps_chats_is_dropped(
    context: BrowserContext, stub: StubSite
) -> None:
    page = context.new_page()
    open_chat(page, stub)
    page.get_by_role("button", name="Menu").click()
    page.get_by_role("button", name="Keep me on this device").click()
    say(page, "hi")
    expect(page.locator("#log .msg-bot")).to_have_count(1)
    page.evaluate(
        f"""() => {{
            const data = JSON.parse(localStorage.getItem({KEPT_KEY!r}));
            data.savedAt = Date.now() - 91 * 24 * 3600 * 1000;
            localStorage.setItem({KEPT_KEY!r}, JSON.stringify(data));
        }}"""
    )
    later = context.new_page()  # a new tab: no sessionStorage of its own
    open_chat(later, stub)
    expect(later.locator("#log > *")).to_have_count(0)
    assert later.evaluate(f"localStorage.getItem({KEPT_KEY!r})") is None


def test_the_page_sends_the_browser_time_zone(browser: Browser, stub: StubSite) -> None:
    context = browser.new_context(viewport=PHONE, timezone_id="Pacific/Auckland")
    try:
        page = context.new_page()
        open_chat(page, stub)
        say(page, "hi")
        expect(page.locator("#log .msg-bot")).to_have_count(1)
        assert stub.bot.received[0].metadata["timezone"] == "Pacific/Auckland"
    finally:
        context.close()


def test_a_picture_in_a_reply_is_shown_with_its_text(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "show my progress")
    inline = phone.locator("#log .msg-bot figure img").last
    expect(inline).to_have_attribute("alt", stub_bot.CHART_TEXT)
    expect(phone.locator("#log .msg-bot figcaption").last).to_have_text(stub_bot.CHART_TEXT)
    assert inline.evaluate("img => img.complete && img.naturalWidth") == 40
    say(phone, "served chart")  # from Harbor's own server
    served = phone.locator("#log .msg-bot figure img").last
    expect(served).to_have_attribute("src", stub.bot.url + stub_bot.CHART_PATH)
    phone.wait_for_function("() => document.querySelectorAll('#log img')[1].naturalWidth === 40")


def test_a_picture_from_anywhere_else_is_not_loaded(
    phone: Page, stub: StubSite, watch: Watch
) -> None:
    open_chat(phone, stub)
    say(phone, "far chart")
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.CHART_TEXT)
    assert phone.locator("#log img").count() == 0
    assert watch.external == []


def test_quick_exit_in_one_tab_closes_harbor_in_the_other_tabs(
    context: BrowserContext, stub: StubSite
) -> None:
    first = context.new_page()
    open_chat(first, stub)
    say(first, "hi")
    first.locator("#log .offer").get_by_role("button", name="Keep me on this device").click()
    second = context.new_page()  # the same chat, kept on this device, in another tab
    open_chat(second, stub)
    expect(second.locator("#log .msg-user p")).to_have_text(["hi"])
    first.get_by_role("button", name=EXIT).click()
    first.wait_for_url("https://www.wikipedia.org/")
    second.wait_for_url("https://www.wikipedia.org/")
    assert "A neutral page." in second.content()
