"""The chat page in Chromium, against a scripted bot behind Harbor's real socket.io channel.

Fast and deterministic: what a person sees and can do (typing indicator, buttons, the
crisis card, pushed check-ins, quick exit, keyboard use), without a trained model.
"""

from __future__ import annotations

import dataclasses
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any, Iterator, List, Tuple

import pytest
import yaml
from playwright.sync_api import Browser, Page, expect

from tests.browser import stub_bot
from tests.browser.conftest import (
    DESKTOP,
    StubSite,
    Watch,
    new_context,
    open_chat,
    say,
    screenshot,
)

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)

STORAGE_KEY = "harbor.chat.v1"




def bot_texts(page: Page) -> list:
    return page.locator("#log .msg-bot").all_inner_texts()


def test_hi_gets_an_answer_after_a_typing_indicator(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    stub.bot.gate.clear()  # hold the reply back
    say(phone, "hi")
    expect(phone.locator("#log .msg-user p").last).to_have_text("hi")
    expect(phone.locator("#typing")).to_be_visible()
    stub.bot.gate.set()
    expect(phone.locator("#log .msg-bot").last).to_contain_text("I'm Harbor")
    expect(phone.locator("#typing")).to_be_hidden()
    expect(phone.get_by_label("Your message to Harbor")).to_have_value("")
    assert [m.text for m in stub.bot.received] == ["hi"]


def test_a_quick_reply_sends_its_payload_and_shows_its_title(
    phone: Page, stub: StubSite
) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    button = phone.get_by_role("button", name="I want to text my ex")
    button.click()
    expect(phone.locator("#log .msg-user p").last).to_have_text("I want to text my ex")
    expect(phone.locator("#log .msg-bot").last).to_contain_text("ride it out")
    expect(phone.locator("#log .replies")).to_have_count(0)
    assert [m.text for m in stub.bot.received] == ["hi", "/craving"]


def test_a_crisis_message_shows_the_crisis_card_with_tap_links(
    phone: Page, stub: StubSite
) -> None:
    open_chat(phone, stub)
    say(phone, "I want to die")
    card = phone.locator("#log .card-crisis")
    expect(card).to_be_visible()
    expect(card.get_by_role("heading")).to_have_text("Crisis support")
    expect(card.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(card.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(card.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    expect(card.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?&body=SHOUT"
    )
    expect(card.get_by_role("link", name="Call 911")).to_have_attribute("href", "tel:911")
    # Numbers inside the text are tappable too.
    expect(card.locator("p a[href='tel:988']")).to_have_text("988")
    # It looks like nothing else on the page.
    colours = card.evaluate(
        "c => [getComputedStyle(c).borderLeftWidth, getComputedStyle(c).backgroundColor]"
    )
    bubble = phone.locator("#log .msg-user").last.evaluate(
        "b => getComputedStyle(b).backgroundColor"
    )
    assert colours[0] == "8px" and colours[1] != bubble
    screenshot(phone, "browser-stub-crisis-phone")


def test_sos_button_shows_the_lines_at_once_then_harbors_answer(
    phone: Page, stub: StubSite
) -> None:
    open_chat(phone, stub)
    stub.bot.gate.clear()  # hold Harbor's answer back
    phone.get_by_role("button", name="SOS: show crisis lines").click()
    cards = phone.locator("#log .card-crisis")
    expect(cards).to_have_count(1)
    expect(cards.first).to_have_attribute("data-source", "page")
    expect(phone.locator("#typing")).to_be_visible()
    stub.bot.gate.set()
    expect(cards).to_have_count(2)
    expect(cards.last).to_contain_text("Samaritans")
    assert [m.text for m in stub.bot.received] == ["SOS"]


def test_a_pushed_check_in_appears_by_itself(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "remind me")
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.PUSH_TEXT)


def test_the_chat_survives_a_reload_in_session_storage_only(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    expect(phone.locator("#log .replies")).to_be_visible()
    stored = json.loads(phone.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))
    assert [m["from"] for m in stored["messages"]] == ["user", "bot"]
    assert phone.evaluate("localStorage.length") == 0
    assert phone.context.cookies() == []

    phone.reload()
    expect(phone.locator("html")).to_have_attribute("data-connection", "connected")
    expect(phone.locator("#log .msg-user p")).to_have_text(["hi"])
    expect(phone.locator("#log .msg-bot").first).to_contain_text("I'm Harbor")
    expect(phone.get_by_role("button", name="My heart is racing")).to_be_visible()
    # The same conversation goes on after the reload, and pushes still find the page.
    say(phone, "remind me")
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.PUSH_TEXT)
    senders = {m.sender_id for m in stub.bot.received}
    assert senders == {stored["sessionId"]}


def test_quick_exit_clears_the_chat_and_leaves_without_a_way_back(
    phone: Page, stub: StubSite, watch: Watch
) -> None:
    open_chat(phone, stub)
    say(phone, "hi")
    expect(phone.locator("#log .msg-bot")).to_have_count(1)
    phone.get_by_role("button", name="Quick exit: clear this chat and leave this page").click()
    phone.wait_for_url("https://www.wikipedia.org/")
    assert "A neutral page." in phone.content()
    assert watch.exits == ["https://www.wikipedia.org/"]
    # Back does not return to the chat: the exit replaced the page in history.
    phone.go_back()
    assert not phone.url.startswith(stub.url)
    # Coming back on purpose finds an empty chat and starts a new conversation.
    open_chat(phone, stub)
    expect(phone.locator("#log > *")).to_have_count(0)
    expect(phone.locator("#intro")).to_be_visible()
    say(phone, "hello")
    expect(phone.locator("#log .msg-bot")).to_have_count(1)
    stored = json.loads(phone.evaluate(f"sessionStorage.getItem('{STORAGE_KEY}')"))
    assert [m["text"] for m in stored["messages"] if m["from"] == "user"] == ["hello"]
    first, second = stub.bot.received[0].sender_id, stub.bot.received[-1].sender_id
    assert first != second == stored["sessionId"]


def test_bot_text_is_shown_as_text_never_as_html(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "html")
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.MARKUP_TEXT)
    say(phone, "<b>me</b>")
    expect(phone.locator("#log .msg-user p").last).to_have_text("<b>me</b>")
    assert phone.locator("#log img, #log b").count() == 0
    assert phone.title() == "Harbor"


def test_a_long_message_is_kept_and_not_sent(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    box = phone.get_by_label("Your message to Harbor")
    box.fill("a" * 4001)
    expect(phone.locator("#hint")).to_contain_text("long message")
    expect(phone.locator("#send")).to_be_disabled()
    phone.keyboard.press("Enter")
    expect(box).to_have_value("a" * 4001)
    assert stub.bot.received == []
    box.fill("a" * 3000)
    expect(phone.locator("#send")).to_be_enabled()


def test_the_page_works_with_the_keyboard_alone(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.id") == "sos"
    # The focused control shows a visible outline.
    assert phone.evaluate("getComputedStyle(document.activeElement).outlineStyle") == "solid"
    order = ["sos"]
    for _ in range(5):
        phone.keyboard.press("Tab")
        order.append(phone.evaluate("document.activeElement.id"))
    # The chat history can be focused, so it scrolls with the arrow keys.
    assert order == ["sos", "quick-exit", "menu-button", "chat", "message", "send"]
    phone.keyboard.press("Shift+Tab")
    phone.keyboard.type("hi")
    phone.keyboard.press("Enter")
    expect(phone.get_by_role("button", name="My heart is racing")).to_be_visible()
    expect(phone.get_by_role("button", name="No thanks")).to_be_visible()  # the keep offer
    # From the message box, Shift+Tab reaches the offer, then the quick replies.
    for _ in range(4):
        phone.keyboard.press("Shift+Tab")
    assert phone.evaluate("document.activeElement.textContent") == "I want to text my ex"
    phone.keyboard.press("Enter")
    expect(phone.locator("#log .msg-user p").last).to_have_text("I want to text my ex")
    assert [m.text for m in stub.bot.received] == ["hi", "/craving"]
    # Chosen from the keyboard, focus goes back to the message box.
    assert phone.evaluate("document.activeElement.id") == "message"


def test_new_messages_are_announced(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    log = phone.get_by_role("log")
    expect(log).to_have_attribute("aria-live", "polite")
    expect(log).to_have_accessible_name("Conversation with Harbor")
    say(phone, "hi")
    expect(log.locator(".msg-bot")).to_have_count(1)


def test_link_rules_for_crisis_numbers(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    found = phone.evaluate(
        """async () => {
            const m = await import('/js/links.js');
            const phones = (t) => m.findPhones(t).map(p => [p.digits, p.call, p.text, p.body]);
            return {
                breathing: phones('Try 4-7-8 breathing, or 5 4 3 2 1 grounding, 24/7.'),
                lines: phones(
                    'Call Samaritans on 116 123. Text HOME to 741741. Call or text 1737.'
                ),
                dv: phones('Hotline: call 1-800-799-7233 or text START to 88788'),
                us: phones('Hotline: 1-800-799-7233 (1-800-799-SAFE), open 2pm-10pm'),
                web: m.findWebAddresses('Chat at 988lifeline.org or findahelpline.com.')
                    .map(w => w.href),
                cardFromCustom: m.cardKind({text: 'hi', custom: {harbor: {card: 'crisis'}}}),
                cardFrom988: m.cardKind({text: 'You can call or text 988.'}),
                noCard: m.cardKind({text: 'Breathe in for 4, hold for 7, out for 8.'}),
                explicit: m.cardActions('', [
                    {kind: 'call', number: '15', label: 'Call SAMU (15)'},
                    {kind: 'text', number: 'javascript:alert(1)'},
                    {kind: 'text', number: '741741', body: 'HOME'},
                ]),
            };
        }"""
    )
    assert found["breathing"] == []
    assert found["lines"] == [
        ["116123", True, False, ""],
        ["741741", False, True, "HOME"],
        ["1737", True, True, ""],
    ]
    assert found["dv"] == [["18007997233", True, False, ""], ["88788", False, True, "START"]]
    assert found["us"] == [["18007997233", True, False, ""]]
    assert found["web"] == ["https://988lifeline.org", "https://findahelpline.com"]
    assert (found["cardFromCustom"], found["cardFrom988"], found["noCard"]) == (
        "crisis",
        "crisis",
        "",
    )
    assert found["explicit"] == [
        {"kind": "call", "label": "Call SAMU (15)", "href": "tel:15"},
        {"kind": "text", "label": "Text 741741", "href": "sms:741741?&body=HOME"},
    ]


def test_screenshots_on_a_phone_and_a_desktop(
    browser: Browser, phone: Page, stub: StubSite, watch: Watch
) -> None:
    open_chat(phone, stub)
    screenshot(phone, "browser-stub-empty-phone")
    say(phone, "hi")
    expect(phone.get_by_role("button", name="My heart is racing")).to_be_visible()
    screenshot(phone, "browser-stub-hi-phone")
    context = new_context(browser, watch, DESKTOP)
    try:
        desktop = context.new_page()
        open_chat(desktop, stub)
        say(desktop, "hi")
        desktop.get_by_role("button", name="I want to text my ex").click()
        say(desktop, "I want to die")
        expect(desktop.locator("#log .card-crisis")).to_be_visible()
        path = screenshot(desktop, "browser-stub-crisis-desktop")
        assert path.stat().st_size > 10_000
    finally:
        context.close()


ROOT = Path(__file__).resolve().parents[2]
CARD_RESPONSES = ("utter_crisis", "utter_resources")


def strings_in(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list):
        for item in value:
            yield from strings_in(item)


def bot_texts_by_kind() -> Tuple[List[str], List[str]]:
    """Texts the bot can send: (crisis and resources answers, everything else)."""
    cards, others = [], []
    for path in sorted((ROOT / "domain").glob("*.yml")):
        responses = (yaml.safe_load(path.read_text()) or {}).get("responses") or {}
        for name, variations in responses.items():
            texts = [v["text"] for v in variations if isinstance(v, dict) and v.get("text")]
            (cards if name in CARD_RESPONSES else others).extend(texts)
    for path in sorted((ROOT / "bot" / "content" / "data").glob("*.yml")):
        if path.name in ("crisis.yml", "support_directory.yml"):
            continue  # the crisis answers' own words (parts of the cards); sources of a list
        document = yaml.safe_load(path.read_text())
        if path.name == "messages.yml":
            # Telegram's answers to a forwarded crisis message are crisis answers too.
            document = {
                key: value for key, value in (document.get("messages") or document).items()
                if not str(key).startswith("forwarded.")
            }
        others.extend(strings_in(document))
    return cards, others


def test_crisis_answers_in_the_domain_become_cards_and_nothing_else_does(
    phone: Page, stub: StubSite
) -> None:
    cards, others = bot_texts_by_kind()
    assert cards, "domain/ has utter_crisis and utter_resources answers"
    open_chat(phone, stub)
    result = phone.evaluate(
        """async ([cards, others]) => {
            const m = await import('/js/links.js');
            return {
                notCards: cards.filter(t => m.cardKind({text: t}) !== 'crisis'),
                noActions: cards.filter(t => m.cardActions(t).length === 0),
                falseCards: others.filter(t => m.cardKind({text: t}) !== ''),
            };
        }""",
        [cards, others],
    )
    assert result == {"notCards": [], "noActions": [], "falseCards": []}


class HostPage(BaseHTTPRequestHandler):
    """Another site that embeds the chat in an iframe."""

    frame_url = ""

    def do_GET(self) -> None:  # noqa: N802
        body = (
            "<!doctype html><title>Partner site</title><h1>Partner site</h1>"
            f'<iframe src="{self.frame_url}" title="Harbor" width="390" height="700"></iframe>'
        ).encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass


def test_embedded_in_another_site_quick_exit_leaves_the_whole_tab(
    phone: Page, stub: StubSite
) -> None:
    host = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    host_url = f"http://localhost:{host.server_address[1]}"
    HostPage.frame_url = stub.url
    stub.server.settings = dataclasses.replace(stub.server.settings, frame_ancestors=[host_url])
    threading.Thread(target=host.serve_forever, daemon=True).start()
    try:
        phone.goto(host_url + "/")
        frame = phone.frame_locator("iframe")
        frame.get_by_label("Your message to Harbor").fill("hi")
        frame.get_by_role("button", name="Send").click()
        expect(frame.locator("#log .msg-bot")).to_have_count(1)
        frame.get_by_role("button", name="Quick exit: clear this chat and leave this page").click()
        phone.wait_for_url("https://www.wikipedia.org/")
    finally:
        host.shutdown()
        host.server_close()


def test_the_page_refuses_to_be_framed_by_default(phone: Page, stub: StubSite) -> None:
    host = ThreadingHTTPServer(("127.0.0.1", 0), HostPage)
    HostPage.frame_url = stub.url
    threading.Thread(target=host.serve_forever, daemon=True).start()
    try:
        phone.goto(f"http://localhost:{host.server_address[1]}/", wait_until="load")
        [framed] = phone.main_frame.child_frames
        # The browser blocks the frame: it ends on an error page, without the chat.
        assert not framed.url.startswith(stub.url), framed.url
        assert framed.locator("#log").count() == 0
    finally:
        host.shutdown()
        host.server_close()


def test_an_export_is_a_download_that_the_tab_does_not_keep(phone: Page, stub: StubSite) -> None:
    open_chat(phone, stub)
    say(phone, "export my data")
    link = phone.get_by_role("link", name="Download harbor-export-2026-01-01.json")
    expect(link).to_be_visible()
    with phone.expect_download() as download:
        link.click()
    saved = Path(download.value.path()).read_text(encoding="utf-8")
    assert json.loads(saved) == stub_bot.EXPORT["data"]
    stored = phone.evaluate(f"window.sessionStorage.getItem({STORAGE_KEY!r})")
    assert "my own reason 4c1" not in stored, "the copy is delivered, not kept in the tab"
    assert "sent a copy of your data" in stored
