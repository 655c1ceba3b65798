"""The personal safety plan over REST against real servers (issue 14).

A person builds a plan naming Priya; SOS and the crisis answer then lead with it before the
hotline numbers; it is shown, added to, changed, exported and deleted; the flow can be
stepped out of and back into; and with the action server stopped SOS still brings the
hotlines. The action server of this module is its own (the last test stops it).
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest

from bot.content import safety_plan
from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(600)]

CONTENT = safety_plan.load()
PLAN_ANSWERS = [
    "lying awake replaying it",
    "go out on the balcony and name five things",
    "skip",
    "text Priya",
    "/skip_step",
    "ask my flatmate to keep something for me",
    "my dog",
]


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory) -> Iterator[Tuple[servers.Process, servers.Process]]:
    """An action server and a Rasa server of this module's own, sharing one database."""
    database = f"sqlite:///{tmp_path_factory.mktemp('safety-plan') / 'harbor.db'}"
    with servers.own_stack(model_path, database, "plan") as stack:
        yield stack


@pytest.fixture(scope="module")
def client(stack: Tuple[servers.Process, servers.Process]) -> servers.RestClient:
    return servers.RestClient(stack[1].url)


@pytest.fixture(scope="module")
def planner(client: servers.RestClient) -> str:
    """A person who built a plan naming Priya (the answers above)."""
    sender = f"plan-{uuid.uuid4().hex[:8]}"
    build(client, sender)
    return sender


def new_sender() -> str:
    return f"plan-{uuid.uuid4().hex[:8]}"


def payloads(replies: List[Dict[str, Any]]) -> List[str]:
    return [b.get("payload", "") for r in replies for b in r.get("buttons") or []]


def text_of(replies: List[Dict[str, Any]]) -> str:
    return "\n".join(r.get("text") or "" for r in replies)


def ran(client: servers.RestClient, sender: str) -> List[str]:
    """The actions of the latest turn."""
    events = client.tracker(sender)["events"]
    last_user = max(i for i, e in enumerate(events) if e.get("event") == "user")
    return [e.get("name") for e in events[last_user:] if e.get("event") == "action"]


def build(client: servers.RestClient, sender: str) -> str:
    """Walks the seven steps; returns the wrap-up text."""
    first = text_of(client.send(sender, "help me make a safety plan"))
    assert CONTENT.text("intro") in first and CONTENT.steps[0].ask in first, first
    for index, answer in enumerate(PLAN_ANSWERS):
        replies = client.send(sender, answer)
        reply = text_of(replies)
        if index + 1 < len(PLAN_ANSWERS):
            assert CONTENT.steps[index + 1].ask in reply, (answer, reply)
            assert "/skip_step" in payloads(replies)
    assert "Your safety plan:" in reply and "text Priya" in reply, reply
    return reply


def test_building_the_plan_reads_it_back_without_the_skipped_steps(
    client: servers.RestClient, planner: str
) -> None:
    shown = client.texts(planner, "show my plan")
    assert "People I can ask for help: text Priya" in shown
    assert "My reasons to keep going: my dog" in shown
    assert "People and places that take my mind off it" not in shown  # skipped
    assert "Professionals and lines" not in shown  # skipped with the button


def test_sos_leads_with_the_persons_own_plan_before_the_hotlines(
    client: servers.RestClient, planner: str
) -> None:
    replies = client.send(planner, "SOS")
    text = text_of(replies)
    assert "Priya" in text and "988" in text, text
    assert text.index("Priya") < text.index("988"), text
    assert "balcony" in text
    assert any("/walk_safety_plan" in p for p in payloads(replies))
    # Walking the plan, step by step.
    walked = client.texts(planner, "yes")
    assert "Warning signs (1/5): lying awake replaying it" in walked, walked


def test_the_crisis_answer_leads_with_the_plan_too(
    client: servers.RestClient, planner: str
) -> None:
    text = client.texts(planner, "i want to kill myself")
    assert "Priya" in text and "988" in text, text
    assert text.index("Priya") < text.index("988"), text
    assert "action_safety_plan_crisis" in ran(client, planner)


def test_add_priya_then_change_the_plan_keeping_and_replacing(
    client: servers.RestClient,
) -> None:
    sender = new_sender()
    added = client.texts(sender, "add Priya to my people")
    assert "Priya" in added
    assert "People I can ask for help: Priya" in client.texts(sender, "show my plan")
    replies = client.send(sender, "change my plan")
    assert CONTENT.text("intro_change") in text_of(replies)
    for _ in range(3):  # steps 1-3 are empty: skip them
        replies = client.send(sender, "skip")
    assert "Right now it says: Priya" in text_of(replies)
    assert "/affirm" in payloads(replies)
    client.send(sender, "Priya or my brother Sam")  # step 4 replaced
    for _ in range(3):
        client.send(sender, "/skip_step")
    shown = client.texts(sender, "show my plan")
    assert "People I can ask for help: Priya or my brother Sam" in shown, shown


def test_the_plan_is_exported_and_deleted_with_everything_else(
    client: servers.RestClient,
) -> None:
    sender = new_sender()
    client.send(sender, "add Priya to my people")
    replies = client.send(sender, "export my data")
    exported = [r["custom"] for r in replies if r.get("custom")]
    assert exported, replies
    document = json.dumps(exported)
    assert "safety_plan_items" in document and "Priya" in document
    client.send(sender, "delete my data")
    assert "gone" in client.texts(sender, "yes").lower()
    assert CONTENT.text("show_none") in client.texts(sender, "show my plan")


def test_delete_my_plan(client: servers.RestClient) -> None:
    sender = new_sender()
    client.send(sender, "add Priya to my people")
    # Confirmed first: "no" keeps it, "yes" deletes it.
    client.send(sender, "delete my safety plan")
    assert "utter_confirm_delete_safety_plan" in ran(client, sender)
    client.send(sender, "no")
    assert "Priya" in client.texts(sender, "show my plan")
    client.send(sender, "delete my safety plan")
    assert CONTENT.text("deleted") in client.texts(sender, "yes")
    assert CONTENT.text("show_none") in client.texts(sender, "show my plan")
    # Without a plan, SOS is today's hotline answer again.
    assert "Priya" not in client.texts(sender, "sos")
    assert "utter_resources" in ran(client, sender)


def test_stepping_out_of_the_plan_and_back_in(client: servers.RestClient) -> None:
    sender = new_sender()
    client.send(sender, "help me make a safety plan")
    client.send(sender, "lying awake")
    replies = client.send(sender, "are you a real person?")
    text = text_of(replies)
    assert "bot" in text.lower() and "step 2 of 7" in text, text
    assert "/resume_flow" in payloads(replies)
    assert CONTENT.steps[1].ask in client.texts(sender, "/resume_flow")
    # A command typed as an answer is asked about before anything is stored.
    replies = client.send(sender, "delete my data")
    assert "part of your safety plan" in text_of(replies)
    assert "/delete_my_data" in payloads(replies)
    assert CONTENT.steps[2].ask in client.texts(sender, "yes")  # stored, on to step 3
    shown = client.texts(sender, "show my plan")
    assert "delete my data" in shown  # their words, kept as they asked
    # SOS in the middle of the plan: the hotlines, and the flow ends.
    client.send(sender, "help me make a safety plan")
    sos = client.texts(sender, "sos")
    assert "988" in sos


def test_stop_ends_the_plan(client: servers.RestClient) -> None:
    sender = new_sender()
    client.send(sender, "help me make a safety plan")
    client.send(sender, "stop")
    assert "utter_stop" in ran(client, sender)


def test_a_plan_is_offered_after_the_person_feels_safe_and_after_a_second_crisis(
    client: servers.RestClient,
) -> None:
    sender = new_sender()
    first = client.send(sender, "i want to kill myself")
    assert "/request_safety_plan" not in payloads(first)  # never in the first answer
    second = client.send(sender, "i really want to die tonight")
    assert "988" in text_of(second)
    assert "/request_safety_plan" in payloads(second), text_of(second)
    safe = client.send(sender, "/feeling_safe")
    assert "/request_safety_plan" in payloads(safe)


def test_with_the_action_server_stopped_sos_still_brings_the_hotlines(
    stack: Tuple[servers.Process, servers.Process], client: servers.RestClient, planner: str
) -> None:
    actions, _ = stack
    actions.stop()
    sos = client.texts(planner, "SOS")
    assert "988" in sos and "findahelpline.com" in sos.lower(), sos
    crisis = client.texts(planner, "i want to kill myself")
    assert "988" in crisis, crisis
    assert "give me a moment" not in (sos + crisis).lower()
