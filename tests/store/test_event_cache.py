"""A turn decrypts only the events it has not seen, and what is kept leaves with the person.

Each turn Rasa reads the whole current session; the store keeps the decrypted JSON of what
it read or wrote (``bot.store.event_cache``) so the next turn decrypts nothing old. After
"delete my data" nothing of that person is left in memory, nor after a retention purge.
"""

from __future__ import annotations

from typing import Iterator, List

import pytest
from rasa.shared.core.events import ActionExecuted, BotUttered, Event, UserUttered

from bot.security import crypto
from bot.store import event_cache, privacy, service
from bot.store.engine import dispose_engines
from bot.store.tracker_store import HarborTrackerStore
from tests.store.test_tracker_store import DOMAIN, SECRET, turn


@pytest.fixture(autouse=True)
def empty_cache() -> Iterator[None]:
    event_cache.clear()
    yield
    event_cache.clear()


@pytest.fixture
def decrypted(monkeypatch: pytest.MonkeyPatch) -> List[str]:
    """Every value decrypted from now on."""
    seen: List[str] = []
    real = crypto.decrypt

    def counting(value):
        seen.append(value)
        return real(value)

    monkeypatch.setattr(crypto, "decrypt", counting)
    return seen


def kept_texts() -> str:
    """Everything the cache holds, as one string (to look for a person's words)."""
    return " ".join(text for entries in event_cache._senders.values() for text in entries.values())


async def test_a_turn_decrypts_nothing_it_has_seen(sqlite_file_url: str, decrypted) -> None:
    store = HarborTrackerStore(DOMAIN)
    for text in ["first", "second", "third"]:
        await turn(store, "web-c", text)
    assert decrypted == []  # its own writes are known as written
    tracker = await store.retrieve("web-c")
    assert tracker is not None and tracker.latest_message.text == "third"
    assert decrypted == []
    assert event_cache.holds("web-c") == len(tracker.events)


async def test_a_new_process_decrypts_each_event_once(sqlite_file_url: str, decrypted) -> None:
    await turn(HarborTrackerStore(DOMAIN), "web-n", "before the restart")
    event_cache.clear()
    dispose_engines()  # as good as a new process
    store = HarborTrackerStore(DOMAIN)
    first = await store.retrieve("web-n")
    assert first is not None and len(decrypted) == len(first.events)
    decrypted.clear()
    await turn(store, "web-n", "after it")
    again = await store.retrieve("web-n")
    assert again.latest_message.text == "after it" and decrypted == []


async def test_after_delete_my_data_the_cache_holds_nothing_of_them(sqlite_file_url: str) -> None:
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "telegram:777", SECRET)
    await turn(store, "web-other", "a bystander's words stay")
    assert SECRET in kept_texts()

    tracker = await store.retrieve("telegram:777")
    tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 1.0}))
    tracker.update(ActionExecuted("action_delete_my_data"))
    tracker.update(Event.from_parameters({"event": "slot", "name": "data_deleted", "value": True}))
    tracker.update(BotUttered("Done."))
    await store.save(tracker)

    assert event_cache.holds("telegram:777") == 0
    assert SECRET not in kept_texts()
    assert "a bystander's words stay" in kept_texts()


async def test_an_erase_from_the_action_server_side_empties_it_too(sqlite_file_url: str) -> None:
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "web-e", SECRET)
    service.delete_user("web-e")
    assert event_cache.holds("web-e") == 0 and SECRET not in kept_texts()


async def test_a_retention_purge_empties_it(sqlite_file_url: str) -> None:
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "web-p", SECRET)
    privacy.purge(30)
    assert kept_texts() == ""


async def test_events_deleted_elsewhere_leave_it_at_the_next_read(sqlite_file_url: str) -> None:
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "web-x", SECRET)
    # Another process erases (its cache is not this one's): the next read sees the database.
    with store.engine.begin() as connection:
        connection.exec_driver_sql("DELETE FROM events WHERE sender_id = 'web-x'")
    assert await store.retrieve("web-x") is None
    assert SECRET not in kept_texts()


async def test_it_is_bounded_and_can_be_turned_off(
    sqlite_file_url: str, monkeypatch: pytest.MonkeyPatch, decrypted
) -> None:
    monkeypatch.setenv("HARBOR_EVENT_CACHE_SIZE", "12")
    store = HarborTrackerStore(DOMAIN)
    for sender in ["web-1", "web-2", "web-3"]:
        await turn(store, sender, f"hello from {sender}")  # 6 events each
    assert event_cache._size <= 12
    assert event_cache.holds("web-1") == 0 and event_cache.holds("web-3") == 6

    monkeypatch.setenv("HARBOR_EVENT_CACHE_SIZE", "0")
    event_cache.clear()
    decrypted.clear()
    tracker = await store.retrieve("web-3")
    await store.retrieve("web-3")
    assert len(decrypted) == 2 * len(tracker.events) and event_cache._size == 0


def test_a_bad_size_falls_back_to_the_default(monkeypatch: pytest.MonkeyPatch) -> None:
    from bot.store import config

    monkeypatch.setenv("HARBOR_EVENT_CACHE_SIZE", "lots")
    assert config.event_cache_size() == config.DEFAULT_EVENT_CACHE_SIZE
