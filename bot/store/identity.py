"""From Rasa's sender id to Harbor's (channel, channel user id), and log-safe pseudonyms."""

import hashlib
import os
from typing import Dict, Tuple

from bot.security import keys

# Connectors that prefix their sender ids: the Telegram channel uses "telegram:<chat id>",
# the REST channel "rest:<sender>". The prefix is matched exactly (lower case), and the
# rest of the id is kept as it is, so no two sender ids ever name the same person:
# "web:alice", "TELEGRAM:42" and "alice" are three different web conversations.
KNOWN_CHANNELS = ("telegram", "rest")
DEFAULT_CHANNEL = "web"
MAX_SENDER_ID_LENGTH = 255


def split_sender_id(sender_id: str) -> Tuple[str, str]:
    """Splits a Rasa sender id into (channel, channel user id).

    Args:
        sender_id: Rasa's conversation id, e.g. ``"telegram:123"`` or a web session id.

    Returns:
        ``("telegram", "123")`` for prefixed ids; ``("web", sender_id)`` otherwise.

    Raises:
        ValueError: For an empty or over-long sender id.
    """
    if not sender_id or not sender_id.strip():
        raise ValueError("sender_id must not be empty")
    if len(sender_id) > MAX_SENDER_ID_LENGTH:
        raise ValueError(f"sender_id is longer than {MAX_SENDER_ID_LENGTH} characters")
    prefix, sep, rest = sender_id.partition(":")
    if sep and rest and prefix in KNOWN_CHANNELS:
        return prefix, rest
    return DEFAULT_CHANNEL, sender_id


_SALTS: Dict[Tuple[str, str], str] = {}


def _salt() -> str:
    """The log salt (``HARBOR_LOG_SALT`` or a random one kept in ``var/log-salt``), cached."""
    key = (os.environ.get("HARBOR_LOG_SALT", ""), os.environ.get("HARBOR_VAR_DIR", ""))
    if key not in _SALTS:
        _SALTS[key] = keys.log_salt()
    return _SALTS[key]


def pseudonym(sender_id: str) -> str:
    """Returns a short, stable stand-in for a sender id, for logs.

    The same person gets the same pseudonym (so an operator can follow one conversation
    through the logs) without the logs naming their Telegram id or session id. The salt is
    random per deployment (kept in ``var/log-salt``), so pseudonyms cannot be recomputed
    from a known id without it.
    """
    digest = hashlib.sha256(f"{_salt()}:{sender_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"u-{digest[:12]}"
