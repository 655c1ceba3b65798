"""The Redis lock store goes away mid-conversation (production mode), then comes back.

Scaled out, every turn takes a conversation lock in Redis first. Stock Rasa then fails the
whole turn with ``LockError`` — the person gets no answer, and a crisis message no crisis
answer. Harbor must keep answering (the crisis answer above all) and lose nothing.
"""

from __future__ import annotations

import os
import uuid
from pathlib import Path
from typing import Iterator, Tuple
from urllib.parse import urlsplit

import pytest

from tests import servers
from tests.tcp_proxy import TcpProxy

pytestmark = [pytest.mark.redis, pytest.mark.server, pytest.mark.model, pytest.mark.timeout(300)]

CRISIS = "i want to kill myself"


@pytest.fixture(scope="module")
def locked_stack(model_path: Path, tmp_path_factory) -> Iterator[Tuple[TcpProxy, servers.Process]]:
    """A Rasa server whose Redis lock store is reached through a proxy the test can cut."""
    redis = os.environ.get("HARBOR_TEST_REDIS_URL", "")
    if not redis:
        pytest.skip("needs HARBOR_TEST_REDIS_URL (CI sets it)")
    target = urlsplit(redis)
    proxy = TcpProxy(target.hostname or "127.0.0.1", target.port or 6379).start()
    database = f"sqlite:///{tmp_path_factory.mktemp('faults-redis') / 'harbor.db'}"
    actions = servers.action_server("faults-redis-actions", DATABASE_URL=database).start()
    rasa = servers.rasa_server(
        model_path,
        f"{actions.url}/webhook",
        database,
        name="faults-redis-rasa",
        LOCK_STORE_URL=f"redis://127.0.0.1:{proxy.port}{target.path or '/0'}",
        LOCK_STORE_PREFIX=f"faults{uuid.uuid4().hex[:8]}",
    )
    try:
        rasa.start()
        yield proxy, rasa
    finally:
        rasa.stop()
        actions.stop()
        proxy.close()


def test_crisis_answered_and_nothing_lost_while_redis_is_down(
    locked_stack: Tuple[TcpProxy, servers.Process],
) -> None:
    proxy, rasa = locked_stack
    client = servers.RestClient(rasa.url)
    person = f"faults-redis-{uuid.uuid4().hex[:8]}"
    assert client.send(person, "hey")

    proxy.cut()
    try:
        crisis = client.texts(person, CRISIS)
        assert "988" in crisis, f"no crisis answer while Redis was down: {crisis!r}"
        assert client.texts(person, "thank you").strip(), "silence while Redis was down"
    finally:
        proxy.restore()

    assert client.send(person, "why cant i let go of him")
    stored = [e["text"] for e in client.tracker(person)["events"] if e["event"] == "user"]
    assert stored == ["hey", CRISIS, "thank you", "why cant i let go of him"]
