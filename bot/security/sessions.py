"""Web session ids that only Harbor can issue: 128 random bits plus an HMAC of them.

The chat page's conversation id is the only thing that ties a browser tab to a person's
conversation, so the server mints it and signs it with its session secret
(``bot.security.keys.session_secret``). The socket.io channel lets a page bring back an id
only when the signature checks out; an id made up by a client (a REST sender, a Telegram
chat id, a guess) is replaced by a fresh one. Ids are 64 hex characters: 32 of randomness,
then 32 of HMAC-SHA256 over them, so they fit Rasa's and the page's id rules unchanged.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets

RANDOM_HEX = 32  # 128 bits
_SESSION = re.compile(r"^[0-9a-f]{64}$")
_CONTEXT = b"harbor-web-session:"


def _mac(key: bytes, random_part: str) -> str:
    digest = hmac.new(key, _CONTEXT + random_part.encode("ascii"), hashlib.sha256).hexdigest()
    return digest[:RANDOM_HEX]


def issue(key: bytes) -> str:
    """A fresh signed session id."""
    random_part = secrets.token_hex(RANDOM_HEX // 2)
    return random_part + _mac(key, random_part)


def verify(session_id: object, key: bytes) -> bool:
    """Whether ``session_id`` is one :func:`issue` made with ``key`` (constant-time check)."""
    if not isinstance(session_id, str) or not _SESSION.match(session_id):
        return False
    random_part, mac = session_id[:RANDOM_HEX], session_id[RANDOM_HEX:]
    return hmac.compare_digest(mac, _mac(key, random_part))
