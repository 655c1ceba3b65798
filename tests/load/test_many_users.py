"""Many people at once, over REST and socket.io: no 5xx, no silence, nothing lost or doubled.

100 simulated people talk for 60 s, a fifth of them over socket.io, each starting a new
short conversation whenever one ends. Afterwards every conversation's stored history must
hold each message exactly once, in the order it was sent. No timing is asserted: speed is
``make bench``'s (``python -m bench --soak`` runs the same crowd with a report).
"""

from __future__ import annotations

import asyncio
import os
import uuid
from pathlib import Path
from typing import Iterator

import pytest
import requests

from bench import client, databases
from bench.scenarios import HARBOR_CONVERSATION
from tests import servers

pytestmark = [pytest.mark.server, pytest.mark.model, pytest.mark.timeout(420)]

USERS = 100
SOCKETIO_SHARE = 0.2
SECONDS = 60.0
# A bound, not an expectation: one person waits at most this long for one reply (100
# people share 2 cores, so replies queue).
REPLY_WAIT_S = 90.0


def _run_crowd(base_url: str, socketio_share: float, prefix: str) -> client.LoadResult:
    return asyncio.run(
        client.concurrent_load(
            base_url,
            HARBOR_CONVERSATION,
            senders=USERS,
            duration_s=SECONDS,
            max_turns=1_000_000,  # only the clock ends the run
            prefix=prefix,
            socketio_share=socketio_share,
            timeout=REPLY_WAIT_S,
        )
    )


def _assert_clean(load: client.LoadResult, base_url: str) -> None:
    summary = load.summary()
    per_person = load.messages_per_person()
    assert len(per_person) == USERS and min(per_person.values()) >= len(HARBOR_CONVERSATION), (
        f"someone did not get through one whole conversation in {SECONDS:.0f} s: {summary}"
    )
    assert summary["http_5xx"] == 0, summary
    unanswered = [(t.channel, t.status, t.error) for t in load.turns if not t.answered]
    assert not unanswered, f"{len(unanswered)} turns got no answer: {unanswered[:10]}"
    # With every part up, nobody may get the "trouble on my side" line.
    degraded = [(t.channel, t.text) for t in load.turns if t.degraded]
    assert not degraded, f"{len(degraded)} turns got a failure line: {degraded[:10]}"
    stored = asyncio.run(client.verify_trackers(base_url, load.sent))
    assert stored["conversations"] == len(load.sent) >= USERS
    assert (stored["missing"], stored["extra"], stored["problems"]) == (0, 0, 0), stored


def _socketio_served(base_url: str) -> bool:
    try:
        return requests.get(f"{base_url}/webhooks/socketio/", timeout=5).status_code == 200
    except requests.RequestException:
        return False


def test_hundred_people_over_rest_and_socketio(rasa_process: servers.Process) -> None:
    assert _socketio_served(rasa_process.url), (
        "credentials.yml serves no socket.io channel (bot.channels.socketio.HarborSocketIOInput)"
    )
    prefix = f"load-{uuid.uuid4().hex[:6]}"
    load = _run_crowd(rasa_process.url, SOCKETIO_SHARE, prefix)
    assert {t.channel for t in load.turns} == {"rest", "socketio"}
    _assert_clean(load, rasa_process.url)


@pytest.fixture(scope="module")
def scaled_server(model_path: Path) -> Iterator[servers.Process]:
    """Harbor in production mode: PostgreSQL, Redis locks, two Sanic workers."""
    postgres = os.environ.get("HARBOR_TEST_POSTGRES_URL", "")
    redis = os.environ.get("HARBOR_TEST_REDIS_URL", "")
    if not postgres or not redis:
        pytest.skip("needs HARBOR_TEST_POSTGRES_URL and HARBOR_TEST_REDIS_URL (CI sets both)")
    name = databases.unique_name("harbor_load")
    url = databases.create_postgres(postgres, name)
    started = []
    try:
        assert databases.migrate(url) is None
        actions = servers.action_server("load-actions", DATABASE_URL=url).start()
        started.append(actions)
        rasa = servers.rasa_server(
            model_path,
            f"{actions.url}/webhook",
            url,
            name="load-rasa-2w",
            SANIC_WORKERS="2",
            LOCK_STORE_URL=redis,
            LOCK_STORE_PREFIX=f"load{uuid.uuid4().hex[:8]}",
        ).start()
        started.append(rasa)
        yield rasa
    finally:
        for process in reversed(started):
            process.stop()
        databases.drop_postgres(postgres, name)


@pytest.mark.postgres
@pytest.mark.redis
def test_hundred_people_on_two_workers_with_postgres(scaled_server: servers.Process) -> None:
    load = _run_crowd(scaled_server.url, 0.0, f"load2w-{uuid.uuid4().hex[:6]}")
    _assert_clean(load, scaled_server.url)
