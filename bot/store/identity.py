"""From Rasa's sender id to Harbor's (channel, channel user id), and log-safe pseudonyms."""

import hashlib
import os
from typing import Tuple

# Connectors that prefix their sender ids ("telegram:123456"). Anything else came in
# through the web (the REST webhook or the chat page's socket.io channel).
KNOWN_CHANNELS = ("telegram", "socketio", "rest", "web")
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
    if sep and rest and prefix.lower() in KNOWN_CHANNELS:
        return prefix.lower(), rest
    return DEFAULT_CHANNEL, sender_id


def pseudonym(sender_id: str) -> str:
    """Returns a short, stable stand-in for a sender id, for logs.

    The same person gets the same pseudonym (so an operator can follow one conversation
    through the logs) without the logs naming their Telegram id or session id. Set
    ``HARBOR_LOG_SALT`` to make pseudonyms unlinkable across deployments.
    """
    salt = os.environ.get("HARBOR_LOG_SALT", "harbor")
    digest = hashlib.sha256(f"{salt}:{sender_id}".encode("utf-8", "surrogatepass")).hexdigest()
    return f"u-{digest[:12]}"
