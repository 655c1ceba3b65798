"""SOS on the chat page needs no server: the card comes from the page's own copy of the lines.

The page is served with its socket pointed at a port nothing listens on (Rasa down), or
at the scripted bot, which a test stops to take Harbor away mid-conversation.
"""

from __future__ import annotations

import time

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.browser import stub_bot
from tests.browser.conftest import SOS, StubSite, say, screenshot
from tests.browser.stub_bot import StubBot

pytestmark = pytest.mark.browser
expect.set_options(timeout=15_000)





def page_cards(page: Page) -> Locator:
    return page.locator("#log .card-crisis[data-source='page']")


def hrefs(card: Locator) -> list:
    return card.locator(".card-actions a").evaluate_all("els => els.map(e => e.href)")


def test_sos_without_a_server_shows_988_and_findahelpline_within_a_second(
    phone: Page, offline_url: str
) -> None:
    phone.goto(offline_url)
    started = time.monotonic()
    phone.get_by_role("button", name=SOS).click()
    card = page_cards(phone)
    expect(card).to_contain_text("988", timeout=1_000)
    expect(card).to_contain_text("findahelpline.com", timeout=1_000)
    assert time.monotonic() - started < 1.0
    expect(card.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(card.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    expect(card.get_by_role("link", name="Open findahelpline.com")).to_have_attribute(
        "href", "https://findahelpline.com"
    )
    expect(card).to_contain_text("call your local emergency number")
    expect(phone.locator("#log .msg-user p")).to_have_text(["SOS"])
    expect(phone.locator("#typing")).to_be_hidden()
    expect(phone.locator("#status")).to_have_text(
        "Can't reach Harbor right now. The lines above work without it."
    )
    screenshot(phone, "browser-offline-sos-phone")


@pytest.mark.parametrize("typed", ["sos", "/SOS", "  Sos "])
def test_typing_sos_draws_the_card_too(phone: Page, offline_url: str, typed: str) -> None:
    phone.goto(offline_url)
    say(phone, typed)
    expect(page_cards(phone)).to_contain_text("988", timeout=1_000)


def test_other_messages_do_not_draw_the_card(phone: Page, offline_url: str) -> None:
    phone.goto(offline_url)
    say(phone, "sos please")
    expect(phone.locator("#log .msg-user p")).to_have_text(["sos please"])
    phone.wait_for_timeout(500)
    expect(phone.locator("#log .card-crisis")).to_have_count(0)


def test_offline_there_are_no_typing_dots_and_no_send_it_again(
    phone: Page, offline_url: str
) -> None:
    phone.goto(offline_url)
    expect(phone.locator("html")).to_have_attribute("data-connection", "offline")
    say(phone, "hi")
    expect(phone.locator("#log .msg-user p")).to_have_text(["hi"])
    expect(phone.locator("#typing")).to_be_hidden()
    status = phone.locator("#status")
    expect(status).to_have_text(
        "Can't reach Harbor right now. Your message will go when the connection is back."
    )
    phone.wait_for_timeout(2_500)  # reconnection attempts come and go
    expect(phone.locator("#typing")).to_be_hidden()
    expect(status).to_contain_text("Your message will go")
    expect(status).not_to_contain_text("send it again")


def stop_bot(page: Page, site: StubSite) -> None:
    site.bot.stop()
    expect(page.locator("html")).to_have_attribute("data-connection", "offline")


def expect_uk_card(card: Locator) -> None:
    expect(card).to_contain_text("People you can reach right now in the UK:", timeout=1_000)
    expect(card.get_by_role("link", name="Call 116 123")).to_have_attribute("href", "tel:116123")
    expect(card.get_by_role("link", name="Text SHOUT to 85258")).to_have_attribute(
        "href", "sms:85258?&body=SHOUT"
    )
    expect(card.get_by_role("link", name="Call 999")).to_have_attribute("href", "tel:999")
    expect(card).not_to_contain_text("988")


def test_a_tapped_country_button_gives_that_countrys_lines_offline(
    phone: Page, stub: StubSite
) -> None:
    phone.goto(stub.url)
    expect(phone.locator("html")).to_have_attribute("data-connection", "connected")
    say(phone, "where")
    phone.get_by_role("button", name="UK", exact=True).click()
    expect(phone.locator("#log .msg-bot p").last).to_have_text("Thank you.")
    stop_bot(phone, stub)
    phone.get_by_role("button", name=SOS).click()
    expect_uk_card(page_cards(phone).last)
    screenshot(phone, "browser-offline-sos-uk-phone")
    # The country stays for this tab only: after a reload it is still known.
    phone.reload()
    phone.get_by_role("button", name=SOS).click()
    expect(page_cards(phone)).to_have_count(2)
    expect_uk_card(page_cards(phone).last)


def test_a_country_the_server_saved_gives_that_countrys_lines_offline(
    phone: Page, stub: StubSite
) -> None:
    phone.goto(stub.url)
    say(phone, "I'm in the UK")
    expect(phone.locator("#log .msg-bot p").last).to_have_text(stub_bot.COUNTRY_SAVED_GB)
    stop_bot(phone, stub)
    say(phone, "sos")
    expect_uk_card(page_cards(phone))
    expect(phone.locator("#typing")).to_be_hidden()


def test_the_servers_answer_follows_when_it_is_back(phone: Page, stub: StubSite) -> None:
    phone.goto(stub.url)
    expect(phone.locator("html")).to_have_attribute("data-connection", "connected")
    port = stub.bot.port
    stop_bot(phone, stub)
    phone.get_by_role("button", name=SOS).click()
    expect(page_cards(phone)).to_contain_text("988", timeout=1_000)
    expect(phone.locator("#typing")).to_be_hidden()
    origin = stub.url.rstrip("/")
    back = StubBot(web_origin=origin, port=port).start()
    try:
        # socket.io kept the message: it reaches the bot once the socket is back.
        server_card = phone.locator("#log .card-crisis:not([data-source])")
        expect(server_card).to_contain_text("Samaritans", timeout=30_000)
        expect(phone.locator("#typing")).to_be_hidden()
        expect(phone.locator("#status")).to_have_text("")
        assert [m.text for m in back.received] == ["SOS"]
    finally:
        back.stop()


def test_sos_rules_in_the_page(phone: Page, offline_url: str) -> None:
    phone.goto(offline_url)
    found = phone.evaluate(
        """async () => {
            const m = await import('/js/sos.js');
            const links = await import('/js/links.js');
            return {
                sos: ['SOS', 'sos', '/sos', ' /Sos '].map(m.isSos),
                notSos: ['sos please', 'S O S', '//sos', '', null].map(m.isSos),
                payloads: [
                    '/inform_country{"country":"GB"}',
                    '/inform_country{"country":"OTHER"}',
                    '/inform_country{"country":"XX"}',
                    '/inform_country{oops}',
                    '/greet',
                ].map(m.countryFromPayload),
                texts: [
                    "Got it: Ireland. I'll remember that and show lines for Ireland.",
                    "Got it. I don't have a local list for where you are, so...",
                    "People you can reach right now in Germany:\\n...",
                    "I hear you. Tell me more?",
                ].map(m.countryFromText),
                other: m.sosMessage('OTHER').text,
                unknown: m.sosMessage('XX').text === m.sosMessage('').text,
                web: links.cardActions('', [
                    {kind: 'web', address: 'findahelpline.com'},
                    {kind: 'web', address: 'javascript:alert(1)'},
                    {kind: 'web', address: 'evil.example.com/"><b>'},
                ]),
            };
        }"""
    )
    assert found["sos"] == [True] * 4
    assert found["notSos"] == [False] * 5
    assert found["payloads"] == ["GB", "OTHER", "", "", ""]
    assert found["texts"] == ["IE", "OTHER", "DE", ""]
    assert "findahelpline.com" in found["other"] and "988" not in found["other"]
    assert found["unknown"] is True
    assert found["web"] == [
        {"kind": "web", "label": "Open findahelpline.com", "href": "https://findahelpline.com"}
    ]
