"""How soon the page can be used on a slow phone connection (emulated "slow 4G").

The network is throttled through the DevTools protocol to Lighthouse's slow-4G profile:
150 ms round trip, 1.6 Mbit/s down, 750 kbit/s up. "Interactive" is the moment the page's
script has drawn the saved chat and listens to the message box, SOS and Quick exit
(``performance.mark("harbor-ready")``), counted from the start of navigation.
"""

from __future__ import annotations

import statistics

import pytest
from playwright.sync_api import Page, expect

from tests.browser.conftest import StubSite

pytestmark = pytest.mark.browser

SLOW_4G = {
    "offline": False,
    "latency": 150,
    "downloadThroughput": 1_638_400 / 8,
    "uploadThroughput": 750_000 / 8,
}
INTERACTIVE_MS = 1_000


def load_on_slow_4g(page: Page, url: str) -> dict:
    session = page.context.new_cdp_session(page)
    session.send("Network.enable")
    session.send("Network.setCacheDisabled", {"cacheDisabled": True})
    session.send("Network.emulateNetworkConditions", SLOW_4G)
    page.goto(url)
    expect(page.locator("html")).to_have_attribute("data-connection", "connected")
    return page.evaluate(
        """() => {
            const at = (name) => performance.getEntriesByName(name)[0].startTime;
            const bytes = performance.getEntriesByType("resource")
                .reduce((sum, r) => sum + r.transferSize, 0)
                + performance.getEntriesByType("navigation")[0].transferSize;
            return { ready: at("harbor-ready"), connected: at("harbor-connected"), bytes };
        }"""
    )


def test_the_page_is_interactive_within_a_second_on_slow_4g(phone: Page, stub: StubSite) -> None:
    runs = [load_on_slow_4g(phone, stub.url) for _ in range(3)]
    ready = statistics.median(run["ready"] for run in runs)
    print(
        f"slow 4G: interactive {ready:.0f} ms (median of 3), socket connected "
        f"{statistics.median(run['connected'] for run in runs):.0f} ms, "
        f"{runs[0]['bytes'] / 1024:.1f} KB transferred"
    )
    assert ready <= INTERACTIVE_MS, runs
