"""Browser fixtures: Debian's Chromium through Playwright, the page server, and a bot behind it.

Chromium is the system one (``apt-get install chromium``); Playwright never downloads a
browser here. Every request the page makes is watched: anything not on loopback is
blocked and recorded, so a test can assert that nothing left the machine.
"""

from __future__ import annotations

import dataclasses
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, List, Union
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Route, expect, sync_playwright

from bench.procs import free_port
from bot.web.server import PageServer, make_server
from bot.web.settings import DEFAULT_EXIT_URL, WEB_ROOT, WebSettings
from tests.browser.stub_bot import StubBot

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
PHONE = {"width": 390, "height": 844}
DESKTOP = {"width": 1280, "height": 800}
EXIT = "Quick exit: clear this chat and leave this page"
SOS = "SOS: show crisis lines"
EXIT_PAGE = "<!doctype html><title>Wikipedia</title><p>A neutral page.</p>"


@dataclass
class Watch:
    """Requests the page made that were not for this machine (all blocked)."""

    external: List[str] = field(default_factory=list)
    exits: List[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Chromium from Debian, headless."""
    assert CHROMIUM.exists(), "install Debian's chromium: apt-get install -y chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True
        )
        yield browser
        browser.close()


def serve_page(rasa_url: str, web_port: int = 0) -> PageServer:
    """Starts the page server (in a thread) pointed at ``rasa_url``."""
    settings = WebSettings(
        root=WEB_ROOT,
        rasa_url=rasa_url,
        exit_url=DEFAULT_EXIT_URL,
        max_chars=4000,
        frame_ancestors=[],
    )
    server = make_server("127.0.0.1", web_port, settings)
    threading.Thread(target=server.serve_forever, name="page-server", daemon=True).start()
    return server


def stop_page(server: PageServer) -> None:
    """Stops a server started by :func:`serve_page`."""
    server.shutdown()
    server.server_close()


@dataclass
class StubSite:
    """The page, served locally, talking to the scripted bot."""

    bot: StubBot
    url: str
    server: PageServer


@pytest.fixture
def stub() -> Iterator[StubSite]:
    """The page and the scripted bot behind Harbor's real socket.io channel."""
    page_server = serve_page("http://127.0.0.1:9")  # the bot needs the page's origin first
    bot = StubBot(web_origin=page_server.url).start()
    page_server.settings = dataclasses.replace(page_server.settings, rasa_url=bot.url)
    try:
        yield StubSite(bot, page_server.url + "/", page_server)
    finally:
        bot.stop()
        stop_page(page_server)


def new_context(
    browser: Browser, watch: Watch, viewport: dict, **options: Any
) -> BrowserContext:
    """A fresh browser profile (own sessionStorage) that never reaches past loopback.

    ``options`` go to Playwright's ``new_context`` (e.g. ``storage_state`` to open the
    browser again with the localStorage a closed one left behind).
    """
    context = browser.new_context(
        viewport=viewport, locale="en-US", device_scale_factor=1, **options
    )

    def guard(route: Route) -> None:
        url = route.request.url
        host = urlsplit(url).hostname or ""
        if host in ("127.0.0.1", "localhost"):
            route.continue_()
        elif url.startswith(DEFAULT_EXIT_URL):
            watch.exits.append(url)
            route.fulfill(status=200, content_type="text/html", body=EXIT_PAGE)
        else:
            watch.external.append(url)
            route.abort()

    context.route("**/*", guard)
    return context


@pytest.fixture
def watch() -> Watch:
    """What the page tried to reach outside this machine."""
    return Watch()


@pytest.fixture
def phone(browser: Browser, watch: Watch) -> Iterator[Page]:
    """A phone-sized page; fails the test if the page reached outside the machine."""
    context = new_context(browser, watch, PHONE)
    page = context.new_page()
    errors: List[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    yield page
    context.close()
    assert watch.external == [], "the page made requests that leave the machine"
    assert errors == [], "the page threw JavaScript errors"


def screenshot(page: Page, name: str) -> Path:
    """Saves a screenshot to tests/artifacts/ and returns its path."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path))
    return path


@pytest.fixture
def offline_url() -> Iterator[str]:
    """The page, served locally, with no Harbor (no Rasa server) behind its socket."""
    server = serve_page(f"http://127.0.0.1:{free_port()}")
    try:
        yield server.url + "/"
    finally:
        stop_page(server)


def open_chat(page: Page, site: Union[StubSite, str]) -> None:
    """Opens the chat page (a stub site or a URL) and waits until its socket is connected."""
    page.goto(site if isinstance(site, str) else site.url)
    expect(page.locator("html")).to_have_attribute("data-connection", "connected")


def say(page: Page, text: str) -> None:
    """Types ``text`` into the message box and sends it with Enter."""
    page.get_by_label("Your message to Harbor").fill(text)
    page.keyboard.press("Enter")
