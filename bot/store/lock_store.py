"""Rasa lock store chosen by environment: Redis when ``LOCK_STORE_URL`` is set, else in memory.

Several Rasa processes (Sanic workers or instances) serving one conversation must share their
locks, so production runs on Redis; a single local process needs nothing extra.

Stock ``RedisLockStore`` has two gaps Harbor closes here:

* **Tickets are not atomic.** It issues a ticket by reading the lock, adding a ticket and
  writing it back. Two processes doing that at the same moment both read "no lock", both
  write, and one ticket is lost — both then serve the same person at once and events
  vanish. Every read-modify-write here runs under a short Redis mutex per conversation.
* **Redis down means silence.** Stock Rasa fails the whole turn with ``LockError``: no
  answer, not even to a crisis message. Here a Redis failure switches the process to its
  own in-memory locks for a few seconds (turns stay ordered within the process) and logs
  it; Redis is tried again after that.
"""

from __future__ import annotations

import logging
import os
import time
from contextlib import asynccontextmanager
from typing import Any, AsyncIterator, Callable, Optional, TypeVar
from urllib.parse import urlparse

from rasa.core.lock import TicketLock
from rasa.core.lock_store import (
    LOCK_LIFETIME,
    InMemoryLockStore,
    LockError,
    LockStore,
    RedisLockStore,
)

logger = logging.getLogger(__name__)

T = TypeVar("T")

# How long one Redis call may take before it counts as "Redis is down".
DEFAULT_TIMEOUT_S = 1.0
# After a failure, use process-local locks this long before trying Redis again.
DEFAULT_RETRY_S = 5.0
# The per-conversation mutex guards a few Redis round trips; it expires on its own if a
# process dies holding it.
MUTEX_LIFETIME_S = 5.0
MUTEX_WAIT_S = 2.0
# How often a turn waiting for the person's previous turn looks again. Rasa's callers use
# the default of 1 s, so a second quick message would wait a whole second for nothing.
POLL_S = 0.05


def redis_settings(url: str) -> dict[str, Any]:
    """Turns ``redis://[user:password@]host:port/db`` into RedisLockStore arguments."""
    parsed = urlparse(url)
    if parsed.scheme not in ("redis", "rediss"):
        raise ValueError(f"LOCK_STORE_URL must start with redis:// or rediss://, not {url!r}")
    db = parsed.path.lstrip("/")
    return {
        "host": parsed.hostname or "localhost",
        "port": parsed.port or 6379,
        "db": int(db) if db else 1,
        "username": parsed.username,
        "password": parsed.password,
        "use_ssl": parsed.scheme == "rediss",
        "key_prefix": os.environ.get("LOCK_STORE_PREFIX", "harbor"),
        "socket_timeout": float(os.environ.get("LOCK_STORE_TIMEOUT", DEFAULT_TIMEOUT_S)),
    }


class AtomicRedisLockStore(RedisLockStore):
    """RedisLockStore whose ticket updates are atomic and which survives Redis outages."""

    def __init__(self, retry_seconds: float = DEFAULT_RETRY_S, **settings: Any) -> None:
        """Connects lazily to Redis (nothing is sent until the first turn).

        Args:
            retry_seconds: How long to stay on process-local locks after a Redis failure.
            settings: RedisLockStore arguments (see :func:`redis_settings`).
        """
        super().__init__(**settings)
        # RedisLockStore sets only the read timeout; a dead host must not hang connects.
        self.red.connection_pool.connection_kwargs["socket_connect_timeout"] = settings.get(
            "socket_timeout", DEFAULT_TIMEOUT_S
        )
        self.retry_seconds = retry_seconds
        self.local = LocalLockStore()
        self._down_until = 0.0

    # --- atomic read-modify-write --------------------------------------------------------

    def _guarded(self, conversation_id: str, change: Callable[[], T]) -> T:
        """Runs ``change`` while holding this conversation's Redis mutex."""
        mutex = self.red.lock(
            f"{self.key_prefix}mutex:{conversation_id}",
            timeout=MUTEX_LIFETIME_S,
            blocking_timeout=MUTEX_WAIT_S,
            sleep=0.002,
        )
        if not mutex.acquire():
            raise LockError(f"Timed out waiting for the ticket mutex of '{conversation_id}'.")
        try:
            return change()
        finally:
            mutex.release()

    def issue_ticket(self, conversation_id: str, lock_lifetime: float = LOCK_LIFETIME) -> int:
        """Issues a ticket; no other process can change the lock in between."""
        return self._guarded(
            conversation_id,
            lambda: super(AtomicRedisLockStore, self).issue_ticket(conversation_id, lock_lifetime),
        )

    def update_lock(self, conversation_id: str) -> None:
        """Drops expired tickets atomically."""
        self._guarded(
            conversation_id,
            lambda: super(AtomicRedisLockStore, self).update_lock(conversation_id),
        )

    def cleanup(self, conversation_id: str, ticket_number: int) -> None:
        """Removes a served ticket (and the lock when nobody waits) atomically."""
        self._guarded(
            conversation_id,
            lambda: super(AtomicRedisLockStore, self).cleanup(conversation_id, ticket_number),
        )

    # --- outages ---------------------------------------------------------------------------

    @property
    def redis_down(self) -> bool:
        """True while the process uses its own locks after a Redis failure."""
        return time.monotonic() < self._down_until

    def _mark_down(self, error: Exception) -> None:
        self._down_until = time.monotonic() + self.retry_seconds
        logger.error(
            "Redis lock store unavailable (%s); using this process's own locks for %.0f s",
            type(error).__name__,
            self.retry_seconds,
        )

    @asynccontextmanager
    async def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_S,
    ) -> AsyncIterator[TicketLock]:
        """Holds the conversation's lock in Redis, or in this process while Redis is down."""
        held = (
            None
            if self.redis_down
            else await self._acquire_shared(conversation_id, lock_lifetime, wait_time_in_seconds)
        )
        if held is None:
            async with self.local.lock(
                conversation_id, lock_lifetime, wait_time_in_seconds
            ) as local_lock:
                yield local_lock
            return
        ticket, ticket_lock = held
        try:
            yield ticket_lock
        finally:
            self._release_shared(conversation_id, ticket)

    async def _acquire_shared(
        self, conversation_id: str, lock_lifetime: float, wait_time_in_seconds: float
    ) -> Optional[tuple[int, TicketLock]]:
        """Takes a ticket in Redis and waits for its turn; None when that failed.

        A failed turn would leave the person without an answer, so any failure here
        falls back to the process's own lock for this turn; only a Redis failure also
        switches the whole process over for a while.
        """
        ticket: Optional[int] = None
        try:
            ticket = self.issue_ticket(conversation_id, lock_lifetime)
            return ticket, await self._acquire_lock(conversation_id, ticket, wait_time_in_seconds)
        except Exception as error:  # noqa: BLE001 (redis raises many kinds)
            if not isinstance(error, LockError) and not _is_redis_error(error):
                raise
            if _is_redis_error(error) or _caused_by_redis(error):
                self._mark_down(error)
            else:
                logger.warning("Shared lock failed (%s); serving this turn locally", error)
                self._release_shared(conversation_id, ticket)
        return None

    def _release_shared(self, conversation_id: str, ticket: Optional[int]) -> None:
        """Gives the ticket back; if Redis is gone it expires there on its own."""
        if ticket is None:
            return
        try:
            self.cleanup(conversation_id, ticket)
        except Exception as error:  # noqa: BLE001
            if not _is_redis_error(error) and not isinstance(error, LockError):
                raise
            self._mark_down(error)


def _sanic_workers() -> int:
    try:
        return int(os.environ.get("SANIC_WORKERS", "1"))
    except ValueError:
        return 1


def _is_redis_error(error: BaseException) -> bool:
    import redis

    return isinstance(error, (redis.exceptions.RedisError, OSError))


def _caused_by_redis(error: LockError) -> bool:
    """True when a LockError wraps a Redis failure rather than a real lock conflict."""
    cause = error.__cause__ or error.__context__
    return cause is not None and _is_redis_error(cause)


class LocalLockStore(InMemoryLockStore):
    """Rasa's in-memory lock store, polling often enough for quick successive messages."""

    def lock(
        self,
        conversation_id: str,
        lock_lifetime: float = LOCK_LIFETIME,
        wait_time_in_seconds: float = POLL_S,
    ) -> Any:
        """Same as InMemoryLockStore.lock with a short poll interval by default."""
        return super().lock(conversation_id, lock_lifetime, wait_time_in_seconds)


class HarborLockStore:
    """Factory named in ``endpoints.yml``; builds the lock store the environment asks for."""

    def __new__(cls, endpoint_config: Optional[Any] = None) -> LockStore:  # type: ignore[misc]
        """Returns an AtomicRedisLockStore for ``LOCK_STORE_URL``, else an InMemoryLockStore."""
        url = os.environ.get("LOCK_STORE_URL", "").strip()
        if not url:
            if _sanic_workers() > 1:
                # Rasa allows several workers with any custom lock store; in-memory
                # locks would then guard each worker's share only.
                raise RuntimeError(
                    "SANIC_WORKERS > 1 needs LOCK_STORE_URL (Redis): in-memory locks "
                    "cannot keep one person's messages in order across workers."
                )
            return LocalLockStore()
        retry = float(os.environ.get("LOCK_STORE_RETRY_SECONDS", DEFAULT_RETRY_S))
        return AtomicRedisLockStore(retry_seconds=retry, **redis_settings(url))
