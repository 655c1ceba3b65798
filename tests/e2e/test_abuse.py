"""Abuse awareness and "beyond the bot" over REST against the real servers (issue 14)."""

from __future__ import annotations

import uuid
from typing import Any, Dict, List

import pytest

from bot.content import abuse
from tests.servers import RestClient

pytestmark = [pytest.mark.model, pytest.mark.server]

CONTENT = abuse.load()


def sender() -> str:
    return f"abuse-{uuid.uuid4().hex[:8]}"


def payloads(replies: List[Dict[str, Any]]) -> List[str]:
    return [b.get("payload", "") for r in replies for b in r.get("buttons") or []]


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def actions_of_last_turn(rest: RestClient, who: str) -> List[str]:
    events = rest.tracker(who)["events"]
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    return [e.get("name") for e in events[last_user:] if e.get("event") == "action"]


def test_phone_and_money_get_the_abuse_reply_with_the_line_for_the_known_country(
    rest: RestClient,
) -> None:
    who = sender()
    rest.send(who, "I'm in the UK")
    replies = rest.send(who, "he checks my phone and takes my money")
    text = text_of(replies)
    assert "isn't your fault" in text and "attachment style" in text, text
    assert "0808 2000 247" in text, text  # National Domestic Abuse Helpline (GB)
    assert CONTENT.text("ask_safe") in text
    assert "Quick exit" in text
    assert {"/affirm", "/deny"} <= set(payloads(replies))
    # "Not really": no pressure, SOS and the safety-planning walk-through on offer.
    not_safe = rest.send(who, "/deny")
    assert "/request_resources" in payloads(not_safe)
    walk = rest.send(who, '/abuse_safety_planning{"abuse_step":"1"}')
    assert "Safe people" in text_of(walk)
    # Asked once: a second disclosure doesn't ask again.
    again = text_of(rest.send(who, "he reads all my messages"))
    assert CONTENT.text("ask_safe") not in again and "0808 2000 247" in again


def test_moving_back_in_is_met_with_the_same_gentle_check(rest: RestClient) -> None:
    who = sender()
    rest.send(who, "i live in the us")
    text = rest.texts(who, "i moved back in with him")
    assert CONTENT.text("back") in text, text
    assert CONTENT.text("ask_safe") in text
    assert "1-800-799-7233" in text


def test_abuse_that_is_also_danger_gets_the_crisis_answer(rest: RestClient) -> None:
    who = sender()
    text = rest.texts(who, "he checks my phone and he said he'll kill me if i leave")
    assert "emergency" in text.lower(), text
    ran = actions_of_last_turn(rest, who)
    assert "utter_crisis" in ran and "action_abuse_awareness" not in ran, ran


def test_i_think_i_need_a_therapist(rest: RestClient) -> None:
    who = sender()
    rest.send(who, "i'm in australia")
    text = rest.texts(who, "i think i need a therapist")
    assert "Better Access" in text and "coda.org" in text, text
