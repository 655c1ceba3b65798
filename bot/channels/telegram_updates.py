"""Reading Telegram `Update` objects: what arrived, from which chat, and what to do with it.

Pure functions over the decoded JSON, so every shape Telegram (or anyone else) may send is
easy to test. Only the fields Harbor needs are read; names, usernames and photos are not.
"""

import enum
import re
from dataclasses import dataclass
from typing import Any, Mapping, Optional

from bot.channels.telegram_forwarded import is_forwarded

# Message fields that carry something other than text. Answered with a kind line.
MEDIA_FIELDS = (
    "sticker",
    "voice",
    "audio",
    "photo",
    "video",
    "video_note",
    "animation",
    "document",
    "location",
    "venue",
    "contact",
    "poll",
    "dice",
    "game",
    "story",
)
_EDITS = ("edited_message", "edited_channel_post", "edited_business_message")
_LANGUAGE = re.compile(r"[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*")


class MalformedUpdate(ValueError):
    """The body is not a Telegram Update (answered 400)."""


class Kind(enum.Enum):
    """What the connector does with an update."""

    TEXT = "text"  # a private text message: hand it to Rasa
    CALLBACK = "callback"  # an inline button pressed in a private chat
    MEDIA = "media"  # sticker, voice, photo...: a kind line (and the caption, if any)
    GROUP = "group"  # anything in a group: a polite line, nothing processed
    IGNORED = "ignored"  # edits, channel posts, service messages, other bots, unknown types


@dataclass(frozen=True)
class Incoming:
    """The parts of an update Harbor acts on."""

    kind: Kind
    update_id: int
    chat_id: Optional[int] = None
    message_id: Optional[int] = None
    text: Optional[str] = None
    language_code: Optional[str] = None
    callback_id: Optional[str] = None
    callback_data: Optional[str] = None
    reason: str = ""
    forwarded: bool = False  # someone else's words, forwarded by the person


def parse_update(update: Any) -> Incoming:
    """Classifies a decoded Update.

    Args:
        update: the JSON-decoded webhook body.

    Returns:
        What arrived and from where.

    Raises:
        MalformedUpdate: the body is not shaped like an Update at all.
    """
    if not isinstance(update, Mapping):
        raise MalformedUpdate("an Update is a JSON object")
    update_id = _integer(update.get("update_id"))
    if update_id is None:
        raise MalformedUpdate("update_id is missing or not an integer")
    if any(key in update for key in _EDITS):
        # The first version was answered already; answering again would confuse.
        return Incoming(Kind.IGNORED, update_id, reason="edited message")
    if "message" in update:
        return _message(update_id, update["message"])
    if "callback_query" in update:
        return _callback(update_id, update["callback_query"])
    return Incoming(Kind.IGNORED, update_id, reason="update type not handled")


def _message(update_id: int, message: Any) -> Incoming:
    chat = _mapping(message, "chat")
    chat_id = _integer(chat.get("id"))
    message_id = _integer(message.get("message_id")) if isinstance(message, Mapping) else None
    if chat_id is None or message_id is None:
        raise MalformedUpdate("message without chat.id or message_id")
    sender = _mapping(message, "from")
    base = dict(update_id=update_id, chat_id=chat_id, message_id=message_id)
    if chat.get("type") != "private":
        return Incoming(Kind.GROUP, reason=f"chat type {chat.get('type')}", **base)
    if sender.get("is_bot") is True:
        return Incoming(Kind.IGNORED, reason="message from a bot", **base)
    language = _language(sender.get("language_code"))
    text = message.get("text")
    if text is not None:
        if not isinstance(text, str):
            raise MalformedUpdate("message.text is not a string")
        forwarded = is_forwarded(message)
        return Incoming(
            Kind.TEXT, text=clean_text(text), language_code=language, forwarded=forwarded, **base
        )
    if any(field in message for field in MEDIA_FIELDS):
        caption = message.get("caption")
        caption = clean_text(caption) if isinstance(caption, str) and caption.strip() else None
        return Incoming(
            Kind.MEDIA, text=caption, language_code=language, forwarded=is_forwarded(message),
            **base,
        )  # fmt: skip
    return Incoming(Kind.IGNORED, reason="service message", **base)


def _callback(update_id: int, query: Any) -> Incoming:
    if not isinstance(query, Mapping) or not isinstance(query.get("id"), str):
        raise MalformedUpdate("callback_query without id")
    message = _mapping(query, "message")
    chat = _mapping(message, "chat")
    chat_id = _integer(chat.get("id"))
    data = query.get("data")
    base = dict(
        update_id=update_id,
        chat_id=chat_id,
        message_id=_integer(message.get("message_id")),
        callback_id=query["id"],
        callback_data=clean_text(data) if isinstance(data, str) else None,
        language_code=_language(_mapping(query, "from").get("language_code")),
    )
    # Without a private chat there is nowhere to answer; the query is still acknowledged.
    if chat_id is None or chat.get("type") != "private" or base["callback_data"] is None:
        return Incoming(Kind.IGNORED, reason="callback outside a private chat", **base)
    return Incoming(Kind.CALLBACK, **base)


def clean_text(text: str) -> str:
    """Drops what no store can keep: NUL characters and lone UTF-16 surrogates.

    JSON can carry both ("\\u0000", "\\ud800"); PostgreSQL rejects the first and UTF-8
    encoding the second.
    """
    text = text.replace("\x00", "")
    return text.encode("utf-8", errors="replace").decode("utf-8")


def _mapping(parent: Any, key: str) -> Mapping[str, Any]:
    value = parent.get(key) if isinstance(parent, Mapping) else None
    return value if isinstance(value, Mapping) else {}


def _integer(value: Any) -> Optional[int]:
    # bool is an int in Python; JSON true is never an id.
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    return None


def _language(value: Any) -> Optional[str]:
    """An IETF language tag as Telegram sends it ("en", "pt-br"), or None."""
    if isinstance(value, str) and len(value) <= 35 and _LANGUAGE.fullmatch(value):
        return value
    return None
