"""Rasa buttons as Telegram inline keyboards, with callback data that fits and can't be forged.

Telegram allows 1-64 bytes of `callback_data` per button and hands it back verbatim when
the button is pressed. A button's Rasa payload ("/inform_urge{\"urge\": 8}") usually fits;
it is then sent signed, so the answer needs no server-side memory and works in every worker
and after a restart. A longer payload gets a short id that this process remembers (bounded,
least recently used first out); pressed elsewhere, it is reported as expired.

Signing matters because a modified client can send any callback data: unsigned, a "button"
could trigger any intent with any entities.
"""

import base64
import hashlib
import hmac
from collections import OrderedDict
from typing import Any, Dict, List, Mapping, Optional, Sequence

CALLBACK_DATA_LIMIT = 64
_SIGNED = "s"
_REMEMBERED = "r"
_TAG_CHARS = 11  # 66 bits of HMAC-SHA256, base64url
_ID_CHARS = 22  # 132 bits of SHA-256, base64url
_MAX_SIGNED_PAYLOAD = CALLBACK_DATA_LIMIT - len(_SIGNED) - _TAG_CHARS

# Keyboard layout: short titles share a row (0-10 urge ratings fit in two rows), long ones
# get a row of their own so nothing is cut off on a phone.
_ROW_CHARACTERS = 28
_ROW_BUTTONS = 6
_URL_SCHEMES = ("https://", "http://", "tg://")
_DEFAULT_REMEMBERED = 4096


class CallbackCodec:
    """Turns button payloads into callback data and back."""

    def __init__(self, key: bytes, remembered: int = _DEFAULT_REMEMBERED) -> None:
        """Creates a codec.

        Args:
            key: the signing key (derived from the bot token, the same in every worker).
            remembered: how many long payloads to keep.
        """
        self._key = key
        self._capacity = remembered
        self._long: "OrderedDict[str, str]" = OrderedDict()

    def encode(self, payload: str) -> str:
        """Returns callback data of at most 64 bytes that stands for `payload`."""
        if len(payload.encode()) <= _MAX_SIGNED_PAYLOAD:
            return _SIGNED + self._tag(payload) + payload
        short_id = _b64(hashlib.sha256(self._key + payload.encode()).digest())[:_ID_CHARS]
        self._long[short_id] = payload
        self._long.move_to_end(short_id)
        while len(self._long) > self._capacity:
            self._long.popitem(last=False)
        return _REMEMBERED + short_id

    def decode(self, data: str) -> Optional[str]:
        """Returns the payload behind callback data, or None if forged or forgotten."""
        if data.startswith(_SIGNED):
            tag, payload = data[1 : 1 + _TAG_CHARS], data[1 + _TAG_CHARS :]
            if payload and hmac.compare_digest(tag, self._tag(payload)):
                return payload
            return None
        if data.startswith(_REMEMBERED):
            return self._long.get(data[1:])
        return None

    def _tag(self, payload: str) -> str:
        digest = hmac.new(self._key, payload.encode(), hashlib.sha256).digest()
        return _b64(digest)[:_TAG_CHARS]


def inline_keyboard(
    buttons: Sequence[Mapping[str, Any]], codec: CallbackCodec, vertical: bool = False
) -> Optional[Dict[str, Any]]:
    """Builds a Telegram `InlineKeyboardMarkup` from Rasa buttons.

    Args:
        buttons: Rasa buttons ({"title", "payload"}, optionally {"url"}).
        codec: encodes payloads into callback data.
        vertical: one button per row (Rasa's `button_type: vertical`).

    Returns:
        The reply markup, or None when no button is usable.
    """
    keys = [key for key in (_key(button, codec) for button in buttons) if key]
    if not keys:
        return None
    rows: List[List[Dict[str, str]]] = []
    for key in keys:
        if rows and not vertical and _fits(rows[-1], key):
            rows[-1].append(key)
        else:
            rows.append([key])
    return {"inline_keyboard": rows}


def _key(button: Mapping[str, Any], codec: CallbackCodec) -> Optional[Dict[str, str]]:
    if not isinstance(button, Mapping):
        return None
    title = str(button.get("title") or "").strip()
    url = str(button.get("url") or "")
    payload = str(button.get("payload") or "").strip() or title
    if not title:
        return None
    if url.startswith(_URL_SCHEMES):
        return {"text": title, "url": url}
    return {"text": title, "callback_data": codec.encode(payload)}


def _fits(row: List[Dict[str, str]], key: Dict[str, str]) -> bool:
    used = sum(len(existing["text"]) for existing in row)
    return len(row) < _ROW_BUTTONS and used + len(key["text"]) <= _ROW_CHARACTERS


def _b64(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")
