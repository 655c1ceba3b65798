"""Text at rest is encrypted by Harbor itself, so a copied database file shows no words.

Every free text Harbor stores (each conversation event's JSON, vault entries, reasons) goes
through :func:`encrypt` on its way into the database and :func:`decrypt` on its way out.
The cipher is Fernet (AES-128-CBC with HMAC-SHA256, from ``cryptography``); keys come from
``HARBOR_DATA_KEYS`` or ``var/data-key`` (``bot.security.keys.data_keys``). The first key
encrypts, every listed key decrypts, so keys rotate without downtime (docs/security.md):
put the new key first, restart, run ``python -m bot.store.migrate rotate-keys``, then drop
the old key.

Stored values are ``f1:<fernet token>``. A value without the prefix is read as it is: rows
written before encryption was on stay readable until ``rotate-keys`` encrypts them.
"""

from __future__ import annotations

import os
from typing import Dict, Optional, Tuple

from cryptography.fernet import Fernet, InvalidToken, MultiFernet

from bot.security import keys

PREFIX = "f1:"

_CIPHERS: Dict[Tuple[str, str], Tuple[MultiFernet, Fernet]] = {}


class UnreadableText(ValueError):
    """Stored text that none of the configured keys can decrypt (a key was dropped too early)."""


def _ciphers() -> Tuple[MultiFernet, Fernet]:
    """All configured keys (to decrypt) and the newest one (to encrypt), cached."""
    cache_key = (os.environ.get("HARBOR_DATA_KEYS", ""), os.environ.get("HARBOR_VAR_DIR", ""))
    ciphers = _CIPHERS.get(cache_key)
    if ciphers is None:
        fernets = [Fernet(key.encode("ascii")) for key in keys.data_keys()]
        ciphers = (MultiFernet(fernets), fernets[0])
        _CIPHERS.clear()
        _CIPHERS[cache_key] = ciphers
    return ciphers


def _cipher() -> MultiFernet:
    return _ciphers()[0]


def encrypt(text: Optional[str]) -> Optional[str]:
    """``text`` encrypted with the newest key (None stays None)."""
    if text is None:
        return None
    return PREFIX + _cipher().encrypt(text.encode("utf-8")).decode("ascii")


def decrypt(stored: Optional[str]) -> Optional[str]:
    """The text behind a stored value; unencrypted (older) values are returned as they are.

    Raises:
        UnreadableText: the value is encrypted with a key that is no longer configured.
    """
    if stored is None or not stored.startswith(PREFIX):
        return stored
    try:
        return _cipher().decrypt(stored[len(PREFIX) :].encode("ascii")).decode("utf-8")
    except InvalidToken:
        raise UnreadableText("stored text is encrypted with a key that is not configured") from None


def rotate(stored: Optional[str]) -> Optional[str]:
    """A stored value under the newest key: unchanged if it is already, else re-encrypted.

    Plain (older, unencrypted) values get encrypted.
    """
    if stored is None:
        return None
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    token = stored[len(PREFIX) :].encode("ascii")
    every, newest = _ciphers()
    try:
        newest.decrypt(token)
        return stored
    except InvalidToken:
        return PREFIX + every.rotate(token).decode("ascii")


def new_key() -> str:
    """A fresh Fernet key (for ``HARBOR_DATA_KEYS``)."""
    return Fernet.generate_key().decode("ascii")
