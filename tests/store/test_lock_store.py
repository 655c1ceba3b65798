"""The lock store follows LOCK_STORE_URL: in memory locally, Redis when scaled out."""

import os

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore

from bot.store.lock_store import HarborLockStore, redis_settings


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
    assert isinstance(store, RedisLockStore)
    first = store.issue_ticket("lock-test-user")
    second = store.issue_ticket("lock-test-user")
    assert second == first + 1
    store.delete_lock("lock-test-user")
