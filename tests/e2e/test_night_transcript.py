"""A scripted night over REST: greet → craving at 8 → urge surfing → check-in → 4 → goodbye.

Reminder check-ins are pushed by Rasa, not returned by the REST call that scheduled them,
so the test reads them from the conversation as a person's app would show them.
"""

from __future__ import annotations

import re
import time

import pytest

from tests.servers import RestClient

pytestmark = [pytest.mark.model, pytest.mark.server]
SENDER = "night-transcript"


def _said(rest: RestClient, text: str) -> str:
    return rest.texts(SENDER, text).lower()


def _wait_for_pushed(rest: RestClient, needle: str, timeout: float = 40.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        events = rest.tracker(SENDER)["events"]
        pushed = [e.get("text") or "" for e in events if e["event"] == "bot"]
        found = [text for text in pushed if needle in text.lower()]
        if found:
            return found[-1]
        time.sleep(1)
    raise AssertionError(f"no pushed message containing {needle!r} within {timeout} s")


def test_a_full_night_with_harbor(rest: RestClient) -> None:
    assert "bot" in _said(rest, "hey")

    asked = rest.send(SENDER, "i want to text him so bad")
    # The rating question (its wording varies) comes with one button per number, 0 to 10.
    numbers = [b["title"] for r in asked for b in r.get("buttons", [])]
    assert numbers == [str(n) for n in range(11)], asked

    offered = rest.send(SENDER, "8")
    titles = [b["title"].lower() for r in offered for b in r.get("buttons", [])]
    assert any("wave" in title for title in titles), titles

    reply = _said(rest, "ride the wave")
    assert "wave" in reply
    for _ in range(8):  # one step per message until Harbor says it will check in
        if "check in" in reply:
            break
        reply = _said(rest, "next")
    assert "check in" in reply, reply

    checkin = _wait_for_pushed(rest, "checking in")
    assert "0 to 10" in checkin.lower()

    reflected = _said(rest, "4")
    # The reflection names the change ("8 down to 4", "from 8 to 4", ...).
    assert re.search(r"\b8\b.*\b4\b", reflected), reflected

    assert _said(rest, "thank you")
    goodbye = _said(rest, "bye")
    assert "take care" in goodbye or "bye" in goodbye or "goodnight" in goodbye
