"""Input bounds shared by Harbor's channels (REST, socket.io, Telegram).

Every channel checks a user's text here *before* Rasa sees it: stock Rasa spends
more than 30 seconds of NLU on a 100 KB message, and an empty or unreadable message
deserves a clear answer rather than a silent fallback. The checks are pure functions
so each channel decides how to answer (HTTP 400, a bot reply, a Telegram message).
"""

from __future__ import annotations

import enum
import os
import re
from dataclasses import dataclass
from typing import Any, Optional

from bot.content.library import say
from bot.safety.fallback import FALLBACK_CRISIS_REPLY, screen_long_text

# Channels say their own lines with limits.say(key): keyed in bot/content/data/messages.yml.

DEFAULT_MAX_MESSAGE_CHARS = 4000
MAX_SENDER_ID_CHARS = 128


# C0/C1 control characters other than tab and newline carry no meaning in a chat
# message; NUL in particular breaks PostgreSQL text columns.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Session and sender ids are keys into the tracker store: keep them short and plain.
_SENDER_ID = re.compile(r"^[A-Za-z0-9_.:@+-]{1,%d}$" % MAX_SENDER_ID_CHARS)


class Verdict(enum.Enum):
    """What a channel should do with an incoming text."""

    OK = "ok"
    EMPTY = "empty"
    TOO_LONG = "too_long"
    NOT_TEXT = "not_text"


@dataclass(frozen=True)
class Checked:
    """The outcome of :func:`check_text`.

    Attributes:
        verdict: what to do with the message.
        text: the cleaned text when ``verdict`` is ``OK``, else an empty string.
        reply: the user-facing answer for any other verdict, else an empty string.
    """

    verdict: Verdict
    text: str = ""
    reply: str = ""

    @property
    def ok(self) -> bool:
        """True when the text may go on to Rasa."""
        return self.verdict is Verdict.OK


def max_message_chars() -> int:
    """The longest message (in characters) handed to Rasa.

    Read from ``HARBOR_MAX_MESSAGE_CHARS`` on every call so tests and operators can
    change it without a restart of the import; a bad value falls back to the default.
    """
    raw = os.environ.get("HARBOR_MAX_MESSAGE_CHARS", "")
    try:
        value = int(raw)
    except ValueError:
        return DEFAULT_MAX_MESSAGE_CHARS
    return value if value > 0 else DEFAULT_MAX_MESSAGE_CHARS


def is_encodable(text: str) -> bool:
    """Whether ``text`` can be stored as UTF-8 (JSON allows lone surrogates; UTF-8 does not)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def clean_text(text: str) -> str:
    """Drops control characters (keeping tab and newline) and surrounding whitespace."""
    return _CONTROL_CHARS.sub("", text).strip()


def check_text(value: Any, limit: Optional[int] = None) -> Checked:
    """Checks a user's message before it reaches Rasa.

    Args:
        value: whatever the channel received as the message text.
        limit: the maximum length in characters; ``max_message_chars()`` when omitted.

    Returns:
        ``Checked`` with the cleaned text, or the verdict and the reply to send.
    """
    if not isinstance(value, str) or not is_encodable(value):
        return Checked(Verdict.NOT_TEXT, reply=say("channel.unreadable"))
    limit = limit or max_message_chars()
    # Measure before cleaning so a huge message never costs more than one length check.
    if len(value) > limit:
        # Too long for NLU, but never too long for the safety screen.
        if screen_long_text(value, limit).category:
            return Checked(Verdict.TOO_LONG, reply=FALLBACK_CRISIS_REPLY)
        return Checked(Verdict.TOO_LONG, reply=say("channel.too_long"))
    text = clean_text(value)
    if not text:
        return Checked(Verdict.EMPTY, reply=say("channel.empty"))
    return Checked(Verdict.OK, text=text)


def check_sender_id(value: Any) -> Optional[str]:
    """Returns a usable sender id, or None when ``value`` is not one.

    Integers are accepted (some clients send numeric ids) and turned into strings;
    booleans, empty strings, long strings and odd characters are not.
    """
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        value = str(value)
    if isinstance(value, str) and _SENDER_ID.match(value) and not _reserved(value):
        return value
    return None


# Ids other channels mint for their users: a web or REST client must not be able to
# speak (or export, or delete) as a Telegram user.
RESERVED_PREFIXES = ("telegram:",)


def _reserved(sender_id: str) -> bool:
    return sender_id.lower().startswith(RESERVED_PREFIXES)


def rate_limited_reply(value: Any) -> str:
    """What a person who sends too fast reads; crisis lines if this message reads as a crisis.

    A message refused for speed never reaches Rasa, so it is screened here (within the
    bounded cost of the long-message screen): nobody in danger is told to wait.
    """
    if isinstance(value, str) and is_encodable(value) and value.strip():
        if screen_long_text(value, max_message_chars()).category:
            return FALLBACK_CRISIS_REPLY
    return say("channel.rate_limited")
