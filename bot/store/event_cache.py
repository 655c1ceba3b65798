"""Decrypted conversation events kept in memory, so a turn decrypts only what is new.

Every turn Rasa reads the person's whole current session, and every stored event is
encrypted (``bot.security.crypto``): without a cache each turn decrypts every event again
(about 1.5 ms a turn with Fernet on a short conversation, growing with its length). This
cache maps each stored value (the Fernet token, unique per write) to its JSON text, per
sender, so a read decrypts only the values it has not seen; what the tracker store writes
is put in as it is written, so its own events are never decrypted at all.

What it keeps is bounded and leaves with the person:

* at most ``HARBOR_EVENT_CACHE_SIZE`` events (least recently read conversations go first;
  0 turns the cache off);
* a conversation not read for ``HARBOR_EVENT_CACHE_IDLE_SECONDS`` (default an hour) goes;
* every read replaces the sender's entries with exactly what the database holds now, so an
  event deleted elsewhere (retention in the action server, another instance) is gone from
  here at the person's next turn;
* :func:`forget` (called by :func:`bot.store.privacy.erase`) drops everything of a sender,
  and :func:`clear` (called by :func:`bot.store.privacy.purge`) drops everything.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Dict, Iterable, List, Optional

from bot.security import crypto
from bot.store import config

_lock = threading.Lock()
# sender id -> {stored value -> its JSON text}, least recently read first
_senders: "OrderedDict[str, Dict[str, str]]" = OrderedDict()
# sender id -> when it was last read or written (time.monotonic())
_used: Dict[str, float] = {}
_size = 0


def read(sender_id: str, stored: Iterable[Optional[str]]) -> List[Optional[str]]:
    """The JSON texts of a sender's stored values, in order, decrypting only unseen ones.

    Args:
        sender_id: Whose events these are.
        stored: The ``data`` column of each event row, as the database holds it now.

    Returns:
        The decrypted texts, one per stored value.

    Raises:
        UnreadableText: a value was encrypted with a key that is no longer configured.
    """
    values = list(stored)
    limit = config.event_cache_size()
    if limit <= 0:
        return [crypto.decrypt(value) for value in values]
    with _lock:
        known = _drop(sender_id)
    fresh: Dict[str, str] = {}
    texts: List[Optional[str]] = []
    for value in values:
        text = known.get(value) if value is not None else None
        if text is None:
            text = crypto.decrypt(value)
        if value is not None and text is not None:
            fresh[value] = text
        texts.append(text)
    if len(fresh) <= limit:
        with _lock:
            _keep(sender_id, fresh, limit)
    return texts


def written(sender_id: str, pairs: Iterable[tuple]) -> None:
    """Adds values the tracker store has just written (stored value, JSON text)."""
    limit = config.event_cache_size()
    if limit <= 0:
        return
    with _lock:
        entries = _drop(sender_id)
        entries.update(pairs)
        if len(entries) <= limit:
            _keep(sender_id, entries, limit)


def forget(sender_id: str) -> None:
    """Drops everything kept of ``sender_id`` (their data was erased)."""
    with _lock:
        _drop(sender_id)


def clear() -> None:
    """Drops everything (retention removed old events of any number of people)."""
    global _size
    with _lock:
        _senders.clear()
        _used.clear()
        _size = 0


def holds(sender_id: str) -> int:
    """How many decrypted events of ``sender_id`` are kept (for tests and diagnostics)."""
    with _lock:
        return len(_senders.get(sender_id, {}))


def _drop(sender_id: str) -> Dict[str, str]:
    """Takes a sender's entries out (the caller holds the lock)."""
    global _size
    entries = _senders.pop(sender_id, None) or {}
    _used.pop(sender_id, None)
    _size -= len(entries)
    return entries


def _keep(sender_id: str, entries: Dict[str, str], limit: int) -> None:
    """Puts a sender's entries back as the most recent, then enforces the bounds."""
    global _size
    now = time.monotonic()
    _senders[sender_id] = entries
    _used[sender_id] = now
    _size += len(entries)
    idle = config.event_cache_idle_seconds()
    while _senders:
        oldest = next(iter(_senders))
        if _size <= limit and now - _used[oldest] <= idle:
            break
        _drop(oldest)
