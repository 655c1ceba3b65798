"""Store settings, read from the environment on every call (never at import time)."""

import os
from typing import Optional

DEFAULT_DATABASE_URL = "sqlite:///var/harbor.db"


def database_url() -> str:
    """Returns the database URL Harbor and Rasa's tracker store share.

    ``postgres://`` (as some hosts spell it) is accepted and normalised, because
    SQLAlchemy 1.4 only knows ``postgresql://``.
    """
    url = os.environ.get("DATABASE_URL", "").strip() or DEFAULT_DATABASE_URL
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


DEFAULT_RETENTION_DAYS = 90


def retention_days() -> Optional[int]:
    """``HARBOR_RETENTION_DAYS`` as a positive int (default 90), or None when set to ``off``."""
    raw = os.environ.get("HARBOR_RETENTION_DAYS", "").strip()
    if not raw:
        return DEFAULT_RETENTION_DAYS
    if raw.lower() in {"0", "off", "none", "false"}:
        return None
    days = int(raw)
    if days < 1:
        raise ValueError("HARBOR_RETENTION_DAYS must be a whole number of days >= 1")
    return days


DEFAULT_EVENT_CACHE_SIZE = 10_000
DEFAULT_EVENT_CACHE_IDLE_SECONDS = 3_600.0


def event_cache_size() -> int:
    """``HARBOR_EVENT_CACHE_SIZE``: decrypted events kept in memory (default 10,000; 0 = off).

    A value that is not a number falls back to the default, so a typo never turns the
    conversation store off or lets memory grow without bound.
    """
    return int(_non_negative("HARBOR_EVENT_CACHE_SIZE", DEFAULT_EVENT_CACHE_SIZE))


def event_cache_idle_seconds() -> float:
    """``HARBOR_EVENT_CACHE_IDLE_SECONDS``: a conversation unread this long leaves the cache."""
    return _non_negative("HARBOR_EVENT_CACHE_IDLE_SECONDS", DEFAULT_EVENT_CACHE_IDLE_SECONDS)


def _non_negative(name: str, default: float) -> float:
    raw = os.environ.get(name, "").strip()
    try:
        return max(0.0, float(raw)) if raw else default
    except ValueError:
        return default


def connect_timeout() -> int:
    """Seconds to wait for a database connection before giving up (PostgreSQL)."""
    return max(1, int(os.environ.get("HARBOR_DB_CONNECT_TIMEOUT", "3")))


def retry_seconds() -> float:
    """After a failed connection, how long to answer "unavailable" without retrying.

    This keeps a conversation fast while the database is down: only one message in
    this window pays the connection timeout.
    """
    return max(0.0, float(os.environ.get("HARBOR_DB_RETRY_SECONDS", "5")))


def auto_migrate() -> bool:
    """Whether the first use of a database upgrades its schema to the newest migration."""
    return os.environ.get("HARBOR_AUTO_MIGRATE", "1").strip().lower() not in {"0", "false", "no"}


def postgres_vacuum_mode() -> str:
    """How to vacuum PostgreSQL tables after a deletion: ``plain``, ``full`` or ``off``."""
    mode = os.environ.get("HARBOR_PG_VACUUM", "plain").strip().lower()
    return mode if mode in {"plain", "full", "off"} else "plain"


def sqlite_synchronous() -> str:
    """SQLite's ``synchronous`` setting for Harbor's file database: ``normal`` or ``full``.

    With the write-ahead log, ``normal`` (default) skips the disk flush on every commit: a
    commit can be lost to a power cut or an OS crash (never to Harbor crashing), and the
    file is never corrupted. ``full`` flushes on every commit, at several ms per message.
    """
    mode = os.environ.get("HARBOR_SQLITE_SYNCHRONOUS", "normal").strip().lower()
    return mode if mode in {"normal", "full"} else "normal"
