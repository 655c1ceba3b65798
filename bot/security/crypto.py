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

_CIPHERS: Dict[Tuple[str, str], MultiFernet] = {}


class UnreadableText(ValueError):
    """Stored text that none of the configured keys can decrypt (a key was dropped too early)."""


def _cipher() -> MultiFernet:
    cache_key = (os.environ.get("HARBOR_DATA_KEYS", ""), os.environ.get("HARBOR_VAR_DIR", ""))
    cipher = _CIPHERS.get(cache_key)
    if cipher is None:
        cipher = MultiFernet([Fernet(key.encode("ascii")) for key in keys.data_keys()])
        _CIPHERS.clear()
        _CIPHERS[cache_key] = cipher
    return cipher


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
    """A stored value re-encrypted with the newest key (plain values get encrypted)."""
    if stored is None:
        return None
    if not stored.startswith(PREFIX):
        return encrypt(stored)
    token = _cipher().rotate(stored[len(PREFIX) :].encode("ascii"))
    return PREFIX + token.decode("ascii")


def new_key() -> str:
    """A fresh Fernet key (for ``HARBOR_DATA_KEYS``)."""
    return Fernet.generate_key().decode("ascii")
