"""Progress over REST with the real servers: two finished cravings, then "show my progress".

The reply carries an ``image`` link that fetches as a PNG (never cached) and a summary that
names the tool that helped most; another sender can't fetch it by guessing, and someone
with nothing logged gets a kind line instead of an empty chart.
"""

from __future__ import annotations

import secrets
from typing import Any, Dict, List

import pytest
import requests

from tests.servers import RestClient

pytestmark = [pytest.mark.model, pytest.mark.server]
SENDER = "progress-e2e-a"
OTHER = "progress-e2e-b"


def _payloads(replies: List[Dict[str, Any]]) -> List[str]:
    return [b["payload"] for r in replies for b in r.get("buttons", [])]


def _craving(rest: RestClient, before: str, tool: str, during: List[str], after: str) -> list:
    rest.send(SENDER, "i want to text him so bad")
    rest.send(SENDER, before)
    rest.send(SENDER, f'/choose_option{{"option": "{tool}"}}')
    for message in during:
        rest.send(SENDER, message)
    return rest.send(SENDER, after)


@pytest.fixture(scope="module")
def progress_reply(rest: RestClient) -> List[Dict[str, Any]]:
    first = _craving(rest, "8", "vault", ["marigold lighthouse 7f3a i miss your laugh"], "3")
    assert "/show_progress" in _payloads(first), first
    _craving(rest, "7", "reasons", ["/next_step"], "6")
    return rest.send(SENDER, "show my progress")


def test_the_reply_carries_a_png_chart_and_a_summary(progress_reply, rest: RestClient) -> None:
    images = [r["image"] for r in progress_reply if r.get("image")]
    assert len(images) == 1, progress_reply
    link = images[0]
    assert link.startswith(rest.base_url + "/progress/chart/")
    assert SENDER not in link
    answer = requests.get(link, timeout=10)
    assert answer.status_code == 200
    assert answer.headers["Content-Type"] == "image/png"
    assert "no-store" in answer.headers["Cache-Control"]
    assert answer.content.startswith(b"\x89PNG\r\n\x1a\n") and len(answer.content) >= 1024

    summary = " ".join(r.get("text") or "" for r in progress_reply)
    assert "writing the message here" in summary  # the vault: 8 → 3; reasons only 7 → 6
    assert "2 cravings" in summary
    assert "marigold" not in summary


def test_another_sender_cannot_fetch_it_by_guessing(progress_reply, rest: RestClient) -> None:
    link = next(r["image"] for r in progress_reply if r.get("image"))
    key = link.rsplit("/", 1)[1]
    guesses = [
        link[:-1] + ("A" if link[-1] != "A" else "B"),  # one character off
        f"{rest.base_url}/progress/chart/{secrets.token_urlsafe(24)}",
        f"{rest.base_url}/progress/chart/{OTHER}",
        f"{rest.base_url}/progress/chart/{SENDER}",
        f"{rest.base_url}/progress/chart/rest:{SENDER}",
        f"{rest.base_url}/progress/chart/{key[:20]}",
    ]
    for guess in guesses:
        answer = requests.get(guess, timeout=10)
        assert answer.status_code == 404, guess
        assert not answer.content.startswith(b"\x89PNG")
    refused = requests.post(link, json={}, timeout=10)
    assert refused.status_code in (401, 405)


def test_nothing_logged_gets_a_kind_line_not_an_empty_chart(rest: RestClient) -> None:
    replies = rest.send(OTHER, "show my progress")
    assert replies and not any(r.get("image") for r in replies)
    assert "/craving_contact" in _payloads(replies)
