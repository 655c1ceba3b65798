"""The lock store follows LOCK_STORE_URL: in memory locally, Redis when scaled out."""

import asyncio
import os
import uuid

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.store.lock_store import AtomicRedisLockStore, HarborLockStore, redis_settings
from tests.tcp_proxy import TcpProxy


def test_in_memory_without_url(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    assert isinstance(HarborLockStore(), InMemoryLockStore)


def test_redis_url_is_parsed() -> None:
    settings = redis_settings("redis://user:pw@10.0.0.5:6380/3")
    assert (settings["host"], settings["port"], settings["db"]) == ("10.0.0.5", 6380, 3)
    assert (settings["username"], settings["password"]) == ("user", "pw")


def test_bad_scheme_is_refused() -> None:
    with pytest.raises(ValueError):
        redis_settings("http://127.0.0.1:6379")


@pytest.mark.redis
def test_redis_lock_store_issues_tickets(monkeypatch: pytest.MonkeyPatch) -> None:
    url = os.environ.get("HARBOR_TEST_REDIS_URL")
    if not url:
        pytest.skip("HARBOR_TEST_REDIS_URL is not set (CI sets it)")
    monkeypatch.setenv("LOCK_STORE_URL", url)
    monkeypatch.setenv("LOCK_STORE_PREFIX", "harbor-test")
    store = HarborLockStore()
    assert isinstance(store, AtomicRedisLockStore) and isinstance(store, RedisLockStore)
    first = store.issue_ticket("lock-test-user")
    second = store.issue_ticket("lock-test-user")
    assert second == first + 1
    store.delete_lock("lock-test-user")


def _redis_url() -> str:
    url = os.environ.get("HARBOR_TEST_REDIS_URL", "")
    if not url:
        pytest.skip("HARBOR_TEST_REDIS_URL is not set (CI sets it)")
    return url


def _store_behind(proxy: TcpProxy, url: str) -> AtomicRedisLockStore:
    settings = redis_settings(url)
    settings.update(host="127.0.0.1", port=proxy.port, key_prefix=f"t{uuid.uuid4().hex[:8]}")
    return AtomicRedisLockStore(retry_seconds=60, **settings)


@pytest.mark.redis
async def test_turns_go_on_with_local_locks_while_redis_is_down() -> None:
    url = _redis_url()
    host, port = redis_settings(url)["host"], redis_settings(url)["port"]
    proxy = TcpProxy(host, port).start()
    try:
        store = _store_behind(proxy, url)
        async with store.lock("person"):
            pass
        assert not store.redis_down
        proxy.cut()
        order = []

        async def turn(name: str) -> None:
            async with store.lock("person", wait_time_in_seconds=0.01):
                order.append(f"{name} in")
                await asyncio.sleep(0.02)
                order.append(f"{name} out")

        await asyncio.gather(turn("a"), turn("b"))
        assert store.redis_down
        # Within the process the two turns still never overlapped.
        assert order in (["a in", "a out", "b in", "b out"], ["b in", "b out", "a in", "a out"])
    finally:
        proxy.close()


@pytest.mark.redis
async def test_redis_is_used_again_after_the_retry_time() -> None:
    url = _redis_url()
    settings = redis_settings(url)
    proxy = TcpProxy(settings["host"], settings["port"]).start()
    try:
        store = _store_behind(proxy, url)
        store.retry_seconds = 0.0
        proxy.cut()
        async with store.lock("person"):
            pass
        proxy.restore()
        async with store.lock("person") as held:
            ticket_lock = store.get_lock("person")
            assert ticket_lock is not None and ticket_lock.conversation_id == held.conversation_id
        assert store.get_lock("person") is None, "the ticket was not given back"
    finally:
        proxy.close()


def test_several_workers_without_redis_are_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LOCK_STORE_URL", raising=False)
    monkeypatch.setenv("SANIC_WORKERS", "2")
    with pytest.raises(RuntimeError, match="LOCK_STORE_URL"):
        HarborLockStore()
