"""Scripted multi-turn conversations over REST against the real servers (issue 12).

The table is tests/e2e/conversations.yml: each flow stopped at each question by each kind
of interruption (a question about the bot, privacy, help, export, an explanation, the
count, delete, stop, goodbye, SOS, another flow), then resumed or left.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Dict, List

import pytest
import yaml

from tests.servers import RestClient

SUITE = Path(__file__).with_name("conversations.yml")
MIN_CONVERSATIONS = 60


def _suite() -> Dict[str, Any]:
    return yaml.safe_load(SUITE.read_text(encoding="utf-8"))


def conversations() -> List[Dict[str, Any]]:
    """Each conversation with its prefix turns put in front."""
    suite = _suite()
    out = []
    for conversation in suite["conversations"]:
        prefix = suite["prefixes"][conversation["start"]] if conversation.get("start") else []
        out.append({"name": conversation["name"], "turns": [*prefix, *conversation["turns"]]})
    return out


CONVERSATIONS = conversations()


def test_the_suite_is_large_and_covers_every_flow_and_interruption() -> None:
    suite = _suite()
    assert len(CONVERSATIONS) >= MIN_CONVERSATIONS
    starts = {c.get("start") for c in suite["conversations"]}
    assert set(suite["prefixes"]) <= starts, "every flow question is interrupted somewhere"
    said = " ".join(t["say"] for c in CONVERSATIONS for t in c["turns"]).lower()
    for interruption in ("real person", "what do you store", "what can you do", "hello",
                         "export my data", "delete my data", "stop", "bye", "sos",
                         "how many days", "let go", "i slipped", "/resume_flow", "/not_now"):
        assert interruption in said, interruption


def _check_turn(rest: RestClient, sender: str, turn: Dict[str, Any], previous: str,
                earlier: List[str]) -> str:
    replies = rest.send(sender, turn["say"])
    text = "\n".join(reply.get("text") or "" for reply in replies)
    payloads = [b.get("payload", "") for r in replies for b in r.get("buttons") or []]
    where = f"after {turn['say']!r} the bot said {text!r} with buttons {payloads}"
    for phrase in turn.get("expect") or []:
        assert phrase.lower() in text.lower(), f"expected {phrase!r}; {where}"
    for wanted in turn.get("buttons") or []:
        assert any(wanted in p for p in payloads), f"expected a button {wanted!r}; {where}"
    for unwanted in turn.get("not_buttons") or []:
        assert not any(unwanted in p for p in payloads), f"unexpected button {unwanted!r}; {where}"
    if turn.get("custom"):
        assert any(turn["custom"] in (r.get("custom") or {}) for r in replies), where
    if turn.get("differs_from_previous"):
        assert text != previous, f"the same wording twice in a row; {where}"
    if turn.get("actions") or turn.get("forgotten"):
        events = rest.tracker(sender)["events"]
        if turn.get("actions"):
            last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
            ran = [e.get("name") for e in events[last_user:] if e.get("event") == "action"]
            for action in turn["actions"]:
                assert action in ran, f"expected {action} to run (ran {ran}); {where}"
        if turn.get("forgotten"):
            kept = {e.get("text") for e in events if e.get("event") == "user"}
            assert not kept & set(earlier), f"earlier messages are still stored: {kept}"
    return text


@pytest.mark.model
@pytest.mark.server
@pytest.mark.parametrize(
    "conversation", CONVERSATIONS, ids=[c["name"] for c in CONVERSATIONS]
)
def test_conversation(rest: RestClient, conversation: Dict[str, Any]) -> None:
    sender = f"conversation-{uuid.uuid4().hex[:10]}"
    previous = ""
    said: List[str] = []
    for turn in conversation["turns"]:
        previous = _check_turn(rest, sender, turn, previous, said)
        said.append(turn["say"])
