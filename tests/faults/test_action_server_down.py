"""The action server dies mid-conversation, then comes back.

While it is gone a crisis message is still answered with the crisis resources (a domain
response, no action needed), a turn that needs a custom action gets a kind "give me a
moment" instead of silence, and nothing the person wrote is lost. Once the action server
is back on its port, the same turn runs its custom action again.
"""

from __future__ import annotations

import dataclasses
import uuid
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import requests

from bench.procs import api_params
from bench.scenarios import HARBOR_CONVERSATION
from bot.runtime.outage_guard import STANDS_IN_FOR
from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(420)]

CRISIS = "i want to kill myself"
MOMENT = "give me a moment"


@pytest.fixture(scope="module")
def stack(model_path: Path, tmp_path_factory) -> Iterator[Tuple[servers.Process, servers.Process]]:
    """An action server and a Rasa server of this module's own (the action server gets killed)."""
    database = f"sqlite:///{tmp_path_factory.mktemp('faults-actions') / 'harbor.db'}"
    with servers.own_stack(model_path, database, "faults") as stack:
        yield stack


def _custom_actions(base_url: str) -> Set[str]:
    domain = requests.get(
        f"{base_url}/domain",
        params=api_params(),
        headers={"Accept": "application/json"},
        timeout=30,
    ).json()
    # Actions with a stand-in response (a greeting) answer with it during an outage.
    return {
        name
        for name in domain.get("actions", [])
        if not name.startswith("utter_") and name not in STANDS_IN_FOR
    }


def _actions_ran(client: servers.RestClient, sender: str) -> List[str]:
    events = client.tracker(sender)["events"]
    return [e["name"] for e in events if e["event"] == "action"]


def _turns_until_custom_action(client: servers.RestClient, custom: Set[str]) -> List[str]:
    """The opening of Harbor's benchmark conversation up to its first custom-action turn."""
    sender = f"faults-probe-{uuid.uuid4().hex[:8]}"
    sent: List[str] = []
    for text in HARBOR_CONVERSATION:
        before = len(_actions_ran(client, sender))
        assert client.send(sender, text), f"no reply to {text!r} with everything up"
        sent.append(text)
        if set(_actions_ran(client, sender)[before:]) & custom:
            return sent
    pytest.fail(
        f"no turn of {HARBOR_CONVERSATION} ran a custom action ({sorted(custom)}), "
        "so an action-server outage cannot be shown on it"
    )


def test_crisis_and_kind_reply_while_actions_are_down_then_recovery(
    stack: Tuple[servers.Process, servers.Process],
) -> None:
    actions, rasa = stack
    client = servers.RestClient(rasa.url)
    custom = _custom_actions(rasa.url)
    opening = _turns_until_custom_action(client, custom)

    person = f"faults-person-{uuid.uuid4().hex[:8]}"
    assert client.texts(person, opening[0])

    actions.popen.kill()  # a crash, not a shutdown
    actions.popen.wait()

    crisis = client.texts(person, CRISIS)
    assert "988" in crisis, f"crisis answer without the action server: {crisis!r}"

    outage_person = f"faults-outage-{uuid.uuid4().hex[:8]}"
    for text in opening[:-1]:
        assert client.send(outage_person, text), f"silence for {text!r} with actions down"
    reply = client.texts(outage_person, opening[-1])
    assert MOMENT in reply.lower(), f"expected a kind 'give me a moment', got {reply!r}"
    greeting = client.texts(f"faults-greet-{uuid.uuid4().hex[:8]}", "hello").lower()
    assert "bot" in greeting and MOMENT not in greeting, greeting
    assert "988" not in reply, "an ordinary turn must not get crisis numbers"

    # Nothing the two people wrote during the outage is lost.
    assert [e["text"] for e in client.tracker(person)["events"] if e["event"] == "user"] == [
        opening[0],
        CRISIS,
    ]
    assert [
        e["text"] for e in client.tracker(outage_person)["events"] if e["event"] == "user"
    ] == opening

    restarted = dataclasses.replace(actions, popen=None).start()  # same port
    try:
        back = f"faults-back-{uuid.uuid4().hex[:8]}"
        replies = [client.texts(back, text) for text in opening]
        assert MOMENT not in replies[-1].lower(), "still 'give me a moment' after recovery"
        assert set(_actions_ran(client, back)) & custom, "no custom action ran after recovery"
        assert all(replies)
    finally:
        restarted.stop()
