"""The production lock store gives one conversation to one process at a time.

Several Rasa processes (Sanic workers, instances) serve one person only safely if the
conversation lock in Redis is exclusive across processes. Here four processes take the
same conversation's lock many times and, while holding it, do a deliberately slow
read-modify-write of a counter in Redis: with real mutual exclusion no increment is lost
and no process is refused the lock.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import uuid

import pytest

pytestmark = [pytest.mark.redis, pytest.mark.timeout(180)]

PROCESSES = 4
ROUNDS = 10
# A ticket lost to a race would block the others for the lock's lifetime: keep it short.
LOCK_LIFETIME_S = 3


def _worker(redis_url: str, prefix: str, conversation: str, counter_key: str, out) -> None:
    """Takes the lock ROUNDS times; reports (lock errors, other errors)."""
    os.environ["LOCK_STORE_URL"] = redis_url
    os.environ["LOCK_STORE_PREFIX"] = prefix
    import redis
    from rasa.core.lock_store import LockError

    from bot.store.lock_store import HarborLockStore

    store = HarborLockStore()
    client = redis.Redis.from_url(redis_url)

    async def run() -> tuple:
        lock_errors = 0
        for _ in range(ROUNDS):
            try:
                async with store.lock(
                    conversation, lock_lifetime=LOCK_LIFETIME_S, wait_time_in_seconds=0.005
                ):
                    value = int(client.get(counter_key) or 0)
                    await asyncio.sleep(0.002)  # the turn's work, between read and write
                    client.set(counter_key, value + 1)
            except LockError:
                lock_errors += 1
        return lock_errors, 0

    try:
        out.put(asyncio.run(run()))
    except Exception as error:  # noqa: BLE001 (reported to the test)
        out.put((0, repr(error)))


def test_four_processes_never_hold_one_conversation_at_once() -> None:
    redis_url = os.environ.get("HARBOR_TEST_REDIS_URL", "")
    if not redis_url:
        pytest.skip("needs HARBOR_TEST_REDIS_URL (CI sets it)")
    import redis

    prefix = f"lockx{uuid.uuid4().hex[:8]}"
    conversation = f"person{uuid.uuid4().hex[:8]}"
    counter_key = f"{prefix}:counter"
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    workers = [
        context.Process(target=_worker, args=(redis_url, prefix, conversation, counter_key, out))
        for _ in range(PROCESSES)
    ]
    for worker in workers:
        worker.start()
    results = [out.get(timeout=150) for _ in workers]
    for worker in workers:
        worker.join(timeout=30)
    client = redis.Redis.from_url(redis_url)
    try:
        counted = int(client.get(counter_key) or 0)
    finally:
        client.delete(counter_key)
    problems = [error for _, error in results if error]
    assert not problems, problems
    refused = sum(lock_errors for lock_errors, _ in results)
    assert refused == 0, f"{refused} lock requests were refused (LockError)"
    assert counted == PROCESSES * ROUNDS, (
        f"{PROCESSES * ROUNDS - counted} increments lost: two processes held the lock at once"
    )
