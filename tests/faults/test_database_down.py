"""The database goes away mid-conversation, then comes back: nothing lost, no crash.

Harbor (Rasa and the action server) reaches PostgreSQL through a loopback proxy that the
test cuts and restores, so the shared server keeps running for everyone else. While the
database is gone every message still gets an answer (the crisis answer included), and
once it is back the stored conversation holds every message exactly once, in order, with
the slots set before the outage still in place.
"""

from __future__ import annotations

import os
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator, List
from urllib.parse import urlsplit, urlunsplit

import pytest

from bench import databases
from tests import servers
from tests.tcp_proxy import TcpProxy

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.server,
    pytest.mark.model,
    pytest.mark.timeout(420),
]

BEFORE = ("hey", "i'm in the uk", "i want to text him so bad right now")
DURING = ("7", "i feel so alone tonight", "i want to kill myself")
AFTER = ("thank you", "why cant i let go of him")
# After a failed connection the store answers "unavailable" for this long without trying
# again (bot.store.config.retry_seconds); short here so the test need not wait long.
RETRY = {"HARBOR_DB_RETRY_SECONDS": "1"}
# How long the stored history may take to reach the database once it is back: a bound on
# the wait, not a speed requirement.
CATCH_UP_S = 30.0


def _via_proxy(url: str, port: int) -> str:
    parts = urlsplit(url)
    user = f"{parts.username}@" if parts.username else ""
    if parts.password:
        user = f"{parts.username}:{parts.password}@"
    return urlunsplit((parts.scheme, f"{user}127.0.0.1:{port}", parts.path, "", ""))


@dataclass
class Stack:
    """What the outage test drives."""

    proxy: TcpProxy
    actions: servers.Process
    rasa: servers.Process
    model: Path
    database_url: str  # through the proxy


@pytest.fixture(scope="module")
def outage_stack(model_path: Path) -> Iterator[Stack]:
    """A database of its own behind a proxy; Harbor's servers connect through the proxy."""
    postgres = os.environ.get("HARBOR_TEST_POSTGRES_URL", "")
    if not postgres:
        pytest.skip("needs HARBOR_TEST_POSTGRES_URL (CI sets it)")
    name = databases.unique_name("harbor_faults")
    direct = databases.create_postgres(postgres, name)
    target = urlsplit(direct)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 5432).start()
    started: List[servers.Process] = []
    try:
        assert databases.migrate(direct) is None
        url = _via_proxy(direct, proxy.port)
        actions = servers.action_server("faults-db-actions", DATABASE_URL=url, **RETRY).start()
        started.append(actions)
        started.append(
            servers.rasa_server(
                model_path, f"{actions.url}/webhook", url, name="faults-db-rasa", **RETRY
            ).start()
        )
        yield Stack(proxy, actions, started[1], model_path, url)
    finally:
        for process in reversed(started):
            process.stop()
        proxy.close()
        databases.drop_postgres(postgres, name)


def test_conversation_survives_a_database_outage(outage_stack: Stack) -> None:
    proxy, actions, rasa = outage_stack.proxy, outage_stack.actions, outage_stack.rasa
    client = servers.RestClient(rasa.url)
    person = f"faults-db-{uuid.uuid4().hex[:8]}"
    for text in BEFORE:
        assert client.send(person, text), f"no reply to {text!r} with the database up"
    country = client.tracker(person)["slots"].get("country")
    assert country == "GB", f"'i'm in the uk' should set the country slot, got {country!r}"

    proxy.cut()
    try:
        replies = {text: client.texts(person, text) for text in DURING}
        for text, reply in replies.items():
            assert reply.strip(), f"silence for {text!r} while the database was down"
        # The country (GB) was set before the outage and is still known during it.
        assert "116 123" in replies["i want to kill myself"], "crisis answer needs no database"
        assert rasa.running and actions.running, "a server died with the database"
    finally:
        proxy.restore()

    for text in AFTER:
        assert client.send(person, text), f"no reply to {text!r} after the database returned"

    tracker = client.tracker(person)
    stored = [e["text"] for e in tracker["events"] if e["event"] == "user"]
    expected = list(BEFORE + DURING + AFTER)
    assert stored == expected, "messages lost, doubled or reordered"
    keys = [(e["event"], e.get("timestamp"), e.get("name")) for e in tracker["events"]]
    assert len(keys) == len(set(keys)), "an event was stored twice"
    assert tracker["slots"].get("country") == "GB", "the country slot was lost in the outage"

    # What was held in memory reaches the database (written in the background after the
    # back-off): a fresh server reads the same history from there, not from memory.
    fresh = servers.rasa_server(
        outage_stack.model,
        f"{actions.url}/webhook",
        outage_stack.database_url,
        name="faults-db-rasa-fresh",
        **RETRY,
    ).start()
    try:
        deadline = time.monotonic() + CATCH_UP_S
        while True:
            from_db = servers.RestClient(fresh.url).tracker(person)
            in_db = [e["text"] for e in from_db["events"] if e["event"] == "user"]
            if in_db == expected or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        assert in_db == expected, "the database did not get what was held during the outage"
        in_db_keys = [(e["event"], e.get("timestamp"), e.get("name")) for e in from_db["events"]]
        assert len(in_db_keys) == len(set(in_db_keys)), "an event was written twice"
        assert from_db["slots"].get("country") == "GB"
    finally:
        fresh.stop()
