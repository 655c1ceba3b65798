"""Forwarded Telegram messages: screened, but never taken for the person's own words.

People forward what an ex sent them ("if you leave I will end it all") to ask what to make
of it. Read as their own words, that message would get a crisis answer aimed at them. So a
forwarded message is screened by the safety layer like any other, and when it reads as a
crisis Harbor asks whose words they are and offers help for either:

* "These are my words" -> Harbor's crisis lines for the person (``/request_resources``);
* "Someone else wrote it" -> what to do when someone else may be in danger, and that the
  person does not have to go back or answer to keep them safe.
"""

from __future__ import annotations

from typing import Any, Dict, List, Mapping

from bot.safety import assess

# A payload the Telegram channel answers itself (it never reaches Rasa).
SOMEONE_ELSE_PAYLOAD = "/harbor_forwarded_someone_else"
MINE_PAYLOAD = "/request_resources"

# Fields Telegram sets on a forwarded message (Bot API 7: forward_origin; older: forward_*).
FORWARD_FIELDS = (
    "forward_origin",
    "forward_from",
    "forward_from_chat",
    "forward_sender_name",
    "forward_date",
)

QUESTION = (
    "This is a forwarded message, and what it says worries me. "
    "Are these your words, or did someone else write them to you?"
)
BUTTONS: List[Dict[str, Any]] = [
    {"title": "These are my words", "payload": MINE_PAYLOAD},
    {"title": "Someone else wrote it", "payload": SOMEONE_ELSE_PAYLOAD},
]
SOMEONE_ELSE_LINE = (
    "Thank you for showing me. If you believe they are in danger right now, call the "
    "emergency number where they are (911 in the US and Canada, 112 in most of Europe, 999 "
    "in the UK) and tell them what you know. In the US or Canada, 988 (call or text) also "
    "advises people worried about someone else; findahelpline.com lists lines in other "
    "countries.\n\n"
    "Their safety matters, and it is not yours to carry alone. You do not have to reply, "
    "meet them or go back to keep them safe: a threat like this, when someone leaves, is "
    "also a way of making them stay. If it frightens you, or you are in danger yourself, "
    "type SOS."
)


def is_forwarded(message: Mapping[str, Any]) -> bool:
    """Whether a Telegram ``Message`` object was forwarded from someone (or somewhere) else."""
    return any(message.get(field) is not None for field in FORWARD_FIELDS)


def reads_as_crisis(text: str) -> bool:
    """The safety layer's verdict on the whole forwarded text."""
    return assess(text).tier == "crisis"
