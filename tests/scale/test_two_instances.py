"""Scale-out: two Rasa servers on one PostgreSQL and one Redis lock store serve one person.

A person's turns alternate between the two instances (sticky-less routing behind a
proxy). The conversation must stay coherent — the same actions run and the same slots
are set as when one instance serves every turn — and every message must be stored exactly
once, also when messages for one person reach both instances at the same moment.
"""

from __future__ import annotations

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Dict, Iterator, List, Tuple

import pytest
import requests

from bench import databases
from bench.client import degraded_replies
from bench.procs import api_params
from bench.scenarios import HARBOR_CONVERSATION
from tests import servers

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.server,
    pytest.mark.model,
    pytest.mark.timeout(420),
]

# A conversation that sets slots (country) and walks a flow (craving -> number).
SCRIPT: Tuple[str, ...] = ("hey", "i'm in the uk") + tuple(HARBOR_CONVERSATION[1:])
# Short messages sent at the same moment to both instances, for one person.
BURST: Tuple[str, ...] = (
    "thanks",
    "thank you",
    "ty",
    "thanks a lot",
    "thank u",
    "cheers",
    "many thanks",
    "thx",
)


def _service_urls() -> Tuple[str, str]:
    postgres = os.environ.get("HARBOR_TEST_POSTGRES_URL", "")
    redis = os.environ.get("HARBOR_TEST_REDIS_URL", "")
    if not postgres or not redis:
        pytest.skip(
            "scale-out needs HARBOR_TEST_POSTGRES_URL and HARBOR_TEST_REDIS_URL "
            "(CI sets both; e.g. postgresql://postgres@127.0.0.1:5432/test, "
            "redis://127.0.0.1:6379/0)"
        )
    return postgres, redis


@pytest.fixture(scope="module")
def shared_database() -> Iterator[str]:
    """A PostgreSQL database of its own for this module, dropped afterwards."""
    postgres, _ = _service_urls()
    name = databases.unique_name("harbor_scale")
    url = databases.create_postgres(postgres, name)
    error = databases.migrate(url)
    assert error is None, f"migrations failed on the scale-out database: {error}"
    yield url
    databases.drop_postgres(postgres, name)


@pytest.fixture(scope="module")
def instances(
    model_path: Path, shared_database: str
) -> Iterator[Tuple[servers.RestClient, servers.RestClient]]:
    """One stateless action server and two Rasa servers sharing PostgreSQL and Redis."""
    _, redis = _service_urls()
    locks = {"LOCK_STORE_URL": redis, "LOCK_STORE_PREFIX": f"scale{uuid.uuid4().hex[:8]}"}
    actions = servers.action_server("scale-actions", DATABASE_URL=shared_database).start()
    started: List[servers.Process] = [actions]
    try:
        for name in ("scale-rasa-a", "scale-rasa-b"):
            started.append(
                servers.rasa_server(
                    model_path, f"{actions.url}/webhook", shared_database, name=name, **locks
                ).start()
            )
        yield servers.RestClient(started[1].url), servers.RestClient(started[2].url)
    finally:
        for process in reversed(started):
            process.stop()


def _answer(client: servers.RestClient, sender: str, text: str) -> List[str]:
    """Sends ``text``; the reply must be a real one, not silence or a failure line."""
    replies = [reply.get("text", "") for reply in client.send(sender, text)]
    assert replies, f"no reply to {text!r} from {client.base_url}"
    failed = set(replies) & degraded_replies()
    assert not failed, f"{text!r} got a failure line from {client.base_url}: {failed}"
    return replies


def _tracker(client: servers.RestClient, sender: str) -> Dict[str, Any]:
    response = requests.get(
        f"{client.base_url}/conversations/{servers.conversation_id(sender)}/tracker",
        params={"include_events": "ALL", **api_params()},
        timeout=30,
    )
    response.raise_for_status()
    return response.json()


def _user_texts(tracker: Dict[str, Any]) -> List[str]:
    return [e.get("text") for e in tracker["events"] if e["event"] == "user"]


def _actions(tracker: Dict[str, Any]) -> List[str]:
    return [e["name"] for e in tracker["events"] if e["event"] == "action"]


def _slot_events(tracker: Dict[str, Any]) -> List[Tuple[str, Any]]:
    return [(e["name"], e.get("value")) for e in tracker["events"] if e["event"] == "slot"]


def _event_keys(tracker: Dict[str, Any]) -> List[Tuple[Any, ...]]:
    """Identity of each stored event: type, time, and what it was."""
    return [
        (e["event"], e.get("timestamp"), e.get("name"), e.get("text"), repr(e.get("value")))
        for e in tracker["events"]
    ]


def test_alternating_instances_keep_the_conversation_coherent(
    instances: Tuple[servers.RestClient, servers.RestClient],
) -> None:
    first, second = instances
    reference = f"scale-ref-{uuid.uuid4().hex[:8]}"
    person = f"scale-alt-{uuid.uuid4().hex[:8]}"
    for text in SCRIPT:
        _answer(first, reference, text)
    for turn, text in enumerate(SCRIPT):
        _answer((first, second)[turn % 2], person, text)

    expected = _tracker(first, reference)
    seen_by_first, seen_by_second = _tracker(first, person), _tracker(second, person)

    # Both instances read the same stored conversation, event for event.
    assert _event_keys(seen_by_first) == _event_keys(seen_by_second)
    # Every message stored exactly once, in order.
    assert _user_texts(seen_by_first) == list(SCRIPT)
    # No event written twice (the same event at the same moment).
    keys = _event_keys(seen_by_first)
    assert len(keys) == len(set(keys)), "an event was stored twice"
    # Coherent: the flow ran exactly as it does on one instance, and set the same slots.
    assert _actions(seen_by_first) == _actions(expected)
    assert _slot_events(seen_by_first) == _slot_events(expected)
    assert _slot_events(expected), "the script set no slot, so slots were not checked"
    assert seen_by_first["slots"] == seen_by_second["slots"] == expected["slots"]


def test_simultaneous_messages_on_both_instances_are_each_stored_once(
    instances: Tuple[servers.RestClient, servers.RestClient],
) -> None:
    first, second = instances
    person = f"scale-burst-{uuid.uuid4().hex[:8]}"
    _answer(first, person, "hey")
    sent = ["hey"]
    with ThreadPoolExecutor(max_workers=len(BURST)) as pool:
        for _ in range(3):
            jobs = [
                pool.submit(_answer, (first, second)[i % 2], person, text)
                for i, text in enumerate(BURST)
            ]
            for job in jobs:
                job.result()  # re-raises a missing or failed reply
            sent += list(BURST)

    tracker = _tracker(second, person)
    stored = _user_texts(tracker)
    assert sorted(stored) == sorted(sent), "messages were lost or stored twice"
    keys = _event_keys(tracker)
    assert len(keys) == len(set(keys)), "an event was stored twice"
    # The lock store serialised the turns: each message was taken only after the previous
    # turn ended with the bot listening again, never in the middle of another turn.
    steps = [
        e["name"] if e["event"] == "action" else "<user>"
        for e in tracker["events"]
        if e["event"] in ("user", "action")
    ]
    for index, step in enumerate(steps):
        if step == "<user>":
            assert index > 0 and steps[index - 1] == "action_listen", (
                f"a message was taken in the middle of another turn: {steps[: index + 1]}"
            )
