"""The page for everyone: axe-core in every state, narrow screens, large text, forced colours,
screen-reader cues, the keyboard (Escape twice is a Quick exit) and touch.

axe-core runs with all its rules and must find nothing at any impact: on first load, in a
conversation, with the crisis card, with a long history, with the menu open, with a picture
and offline. Layout checks measure where SOS and Quick exit end up at 320 px wide and with
the browser's text at 200 % (the default font size doubled, as a phone's larger text does).
"""

from __future__ import annotations

from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.browser import stub_bot
from tests.browser.axe import assert_no_violations
from tests.browser.conftest import (
    EXIT,
    SOS,
    StubSite,
    Watch,
    new_context,
    open_chat,
    say,
    screenshot,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)

NARROW = {"width": 320, "height": 568}




def answers(page: Page) -> int:
    return page.locator("#log .msg-bot, #log .card-crisis").count()


def say_and_wait(page: Page, text: str) -> None:
    before = answers(page)
    say(page, text)
    expect(page.locator("#log .msg-bot, #log .card-crisis")).to_have_count(before + 1)



# --- axe-core in every state ----------------------------------------------------------------


def test_axe_finds_nothing_on_first_load(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    assert_no_violations(phone, "first load")


def test_axe_finds_nothing_in_a_conversation_with_buttons_and_the_offer(
    phone: Page, stub: StubSite
) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    expect(phone.get_by_role("button", name="My heart is racing")).to_be_visible()
    expect(phone.locator("#log .offer").get_by_role("button", name="No thanks")).to_be_visible()
    assert_no_violations(phone, "conversation")
    screenshot(phone, "browser-keep-offer-phone")
    phone.get_by_role("button", name="I want to text my ex").click()
    expect(phone.locator("#log .msg-bot").last).to_contain_text("ride it out")
    assert_no_violations(phone, "conversation after a reply")


def test_axe_finds_nothing_with_the_crisis_card(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "I want to die")
    expect(phone.locator("#log .card-crisis")).to_be_visible()
    phone.get_by_role("button", name=SOS).click()
    expect(phone.locator("#log .card-crisis")).to_have_count(3)
    assert_no_violations(phone, "crisis card")


def test_axe_finds_nothing_with_a_long_history_that_scrolls(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    for number in range(12):
        say_and_wait(phone, f"message number {number}, and how the night is going")
    overflow = phone.locator("#chat").evaluate("c => c.scrollHeight > c.clientHeight")
    assert overflow, "the history is longer than the screen"
    assert_no_violations(phone, "long history")
    # It scrolls from the keyboard: focus the history, then Home goes to the top.
    phone.locator("#chat").focus()
    phone.keyboard.press("Home")
    expect(phone.locator("#intro")).to_be_hidden()
    for _ in range(50):
        if phone.locator("#chat").evaluate("c => c.scrollTop") == 0:
            break
        phone.wait_for_timeout(100)
    assert phone.locator("#chat").evaluate("c => c.scrollTop") == 0


def test_axe_finds_nothing_with_the_menu_open_and_a_picture(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "show my progress")
    expect(phone.locator("#log figure img")).to_be_visible()
    phone.get_by_role("button", name="Menu").click()
    expect(phone.get_by_role("heading", name="This device and your privacy")).to_be_visible()
    assert_no_violations(phone, "menu open, picture in the chat")
    screenshot(phone, "browser-menu-phone")


def test_axe_finds_nothing_offline(phone: Page, offline_url: str) -> None:
    phone.goto(offline_url)
    expect(phone.locator("html")).to_have_attribute("data-connection", "offline")
    say(phone, "is anyone there")
    phone.get_by_role("button", name=SOS).click()
    expect(phone.locator("#log .card-crisis")).to_be_visible()
    expect(phone.locator("#status")).not_to_be_empty()
    assert_no_violations(phone, "offline")


# --- narrow screens and large text ----------------------------------------------------------


def fully_visible(page: Page, name: str) -> None:
    """The button is inside the viewport, not cut off, and nothing covers its centre."""
    viewport = page.viewport_size
    box = page.get_by_role("button", name=name).bounding_box()
    assert box is not None, name
    assert box["x"] >= 0 and box["y"] >= 0, (name, box)
    assert box["x"] + box["width"] <= viewport["width"], (name, box, viewport)
    assert box["y"] + box["height"] <= viewport["height"], (name, box, viewport)
    on_top = page.evaluate(
        "([x, y]) => document.elementFromPoint(x, y)?.closest('button')?.id || ''",
        [box["x"] + box["width"] / 2, box["y"] + box["height"] / 2],
    )
    assert on_top in ("sos", "quick-exit"), (name, on_top)


def no_sideways_scroll(page: Page) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.viewport_size["width"], f"the page is {width} px wide"


def larger_text(page: Page) -> None:
    """The browser's default text size doubled (16 px to 32 px), as phones' large text does."""
    session = page.context.new_cdp_session(page)
    session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 26}})
    page.reload()
    size = page.evaluate("parseFloat(getComputedStyle(document.documentElement).fontSize)")
    assert size == 36, size  # the page's own 112.5 %, of 32 px


@pytest.fixture
def narrow(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A 320 px wide phone."""
    context = new_context(browser, watch, NARROW)
    page = context.new_page()
    yield page
    context.close()
    assert watch.external == []


def test_sos_and_quick_exit_are_whole_at_320_px(narrow: Page, stub: StubSite) -> None:
    open_chat(narrow, stub)
    say(narrow, "hi")
    say(narrow, "I want to die")
    expect(narrow.locator("#log .card-crisis")).to_be_visible()
    for name in (SOS, EXIT):
        fully_visible(narrow, name)
    no_sideways_scroll(narrow)
    screenshot(narrow, "browser-320px")


def test_sos_and_quick_exit_are_whole_at_200_percent_text(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    larger_text(phone)
    expect(phone.locator("html")).to_have_attribute("data-connection", "connected")
    say(phone, "I want to die")
    expect(phone.locator("#log .card-crisis")).to_be_visible()
    for name in (SOS, EXIT):
        fully_visible(phone, name)
    no_sideways_scroll(phone)
    assert_no_violations(phone, "200 % text")
    screenshot(phone, "browser-200pct-text")


def test_sos_and_quick_exit_are_whole_at_320_px_with_200_percent_text(
    narrow: Page, stub: StubSite
) -> None:
    open_chat(narrow, stub)
    larger_text(narrow)
    say(narrow, "hi")
    expect(narrow.get_by_role("button", name="My heart is racing")).to_be_visible()
    for name in (SOS, EXIT):
        fully_visible(narrow, name)
    no_sideways_scroll(narrow)
    # The message box is still there to type in.
    box = narrow.get_by_label("Your message to Harbor").bounding_box()
    assert box and box["y"] + box["height"] <= NARROW["height"]
    screenshot(narrow, "browser-320px-200pct-text")


# --- colours, screen readers, keyboard, touch ------------------------------------------------


def test_call_988_keeps_its_outline_in_forced_colours(phone: Page, stub: StubSite) -> None:
    phone.emulate_media(forced_colors="active")
    open_chat(phone, stub)
    say(phone, "I want to die")
    call = phone.locator("#log .card-crisis").get_by_role("link", name="Call 988")
    expect(call).to_be_visible()
    edge = call.evaluate(
        "a => { const s = getComputedStyle(a); return [s.borderTopStyle, s.borderTopWidth]; }"
    )
    assert edge == ["solid", "2px"], edge


def test_the_message_box_and_its_placeholder_can_be_seen(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    ratios = phone.evaluate(
        """() => {
            const rgb = (c) => c.match(/[\\d.]+/g).slice(0, 3).map(Number);
            const lum = ([r, g, b]) => [r, g, b].map((v) => {
                v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
            }).reduce((sum, v, i) => sum + v * [0.2126, 0.7152, 0.0722][i], 0);
            const ratio = (a, b) => {
                const [hi, lo] = [lum(rgb(a)), lum(rgb(b))].sort((x, y) => y - x);
                return (hi + 0.05) / (lo + 0.05);
            };
            const box = document.getElementById('message');
            const s = getComputedStyle(box);
            const placeholder = getComputedStyle(box, '::placeholder').color;
            return [ratio(s.borderTopColor, s.backgroundColor),
                    ratio(placeholder, s.backgroundColor)];
        }"""
    )
    assert ratios[0] >= 3.0, f"message box border {ratios[0]:.2f}:1"
    assert ratios[1] >= 4.5, f"placeholder {ratios[1]:.2f}:1"


def test_a_screen_reader_hears_who_spoke_and_the_crisis_card_at_once(
    phone: Page, stub: StubSite
) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    log = phone.get_by_role("log", name="Conversation with Harbor")
    expect(log.locator(".msg-user").last).to_have_text("You said: hi")
    expect(log.locator(".msg-bot").last).to_contain_text("Harbor said: Hi, I'm Harbor")
    alert = phone.get_by_role("alert")
    expect(alert).to_be_empty()  # ordinary answers are read politely, in turn
    say(phone, "I want to die")
    expect(alert).to_contain_text("Crisis support")
    expect(alert).to_contain_text("call or text 988")
    expect(alert).to_have_attribute("aria-atomic", "true")


def test_escape_twice_is_a_quick_exit(phone: Page, stub: StubSite, watch: Watch) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    expect(phone.locator("#log .msg-bot")).to_have_count(1)
    phone.keyboard.press("Escape")
    phone.wait_for_timeout(1_600)  # one press, and a pause: nothing happens
    assert phone.url == stub.url and watch.exits == []
    phone.keyboard.press("Escape")
    phone.keyboard.press("Escape")
    phone.wait_for_url("https://www.wikipedia.org/")
    open_chat(phone, stub)
    expect(phone.locator("#log > *")).to_have_count(0)


def test_tapping_a_reply_keeps_the_phone_keyboard_closed(
    browser: Browser, stub: StubSite, watch: Watch
) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True
    )
    try:
        page = context.new_page()
        open_chat(page, stub)
        box = page.get_by_label("Your message to Harbor")
        box.tap()
        box.fill("hi")
        page.get_by_role("button", name="Send").tap()
        page.get_by_role("button", name="I want to text my ex").tap()
        expect(page.locator("#log .msg-bot").last).to_contain_text("ride it out")
        # The message box is not focused, so no on-screen keyboard opens over the answer.
        assert page.evaluate("document.activeElement.id") == "chat"
    finally:
        context.close()


def test_only_the_newest_reply_buttons_stay(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "two choices")
    expect(phone.locator("#log .msg-bot")).to_have_count(2)
    expect(phone.locator("#log .replies")).to_have_count(1)
    expect(phone.locator("#log .replies .reply")).to_have_text(["Breathe with me"])


def test_buttons_of_an_answer_go_when_harbor_sends_something_new(
    phone: Page, stub: StubSite
) -> None:
    stub.bot.push_delay = 2.5  # longer than one answer's burst of messages
    open_chat(phone, stub)
    say(phone, "choices then news")
    expect(phone.get_by_role("button", name="Grounding")).to_be_visible()
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.NEWS_TEXT)
    expect(phone.locator("#log .replies")).to_have_count(0)
    phone.reload()  # and they do not come back
    expect(phone.locator("#log .msg-bot")).to_have_count(2)
    expect(phone.locator("#log .replies")).to_have_count(0)
