"""Rasa lock store chosen by environment: Redis when ``LOCK_STORE_URL`` is set, else in memory.

Several Rasa processes (Sanic workers or instances) serving one conversation must share their
locks, so production runs on Redis; a single local process needs nothing extra.
"""

from __future__ import annotations

import os
from typing import Any, Optional
from urllib.parse import urlparse

from rasa.core.lock_store import InMemoryLockStore, LockStore, RedisLockStore


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
    }


class HarborLockStore:
    """Factory named in ``endpoints.yml``; builds the lock store the environment asks for."""

    def __new__(cls, endpoint_config: Optional[Any] = None) -> LockStore:  # type: ignore[misc]
        """Returns a RedisLockStore for ``LOCK_STORE_URL``, otherwise an InMemoryLockStore."""
        url = os.environ.get("LOCK_STORE_URL", "").strip()
        if not url:
            return InMemoryLockStore()
        return RedisLockStore(**redis_settings(url))
