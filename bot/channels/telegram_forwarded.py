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

from bot.channels import limits
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

def question() -> str:
    """Whose words are these? Asked when a forwarded message reads as a crisis."""
    return limits.say("forwarded.question")


def buttons() -> List[Dict[str, Any]]:
    """The two answers to :func:`question`."""
    return [
        {"title": limits.say("button.forwarded_mine"), "payload": MINE_PAYLOAD},
        {"title": limits.say("button.forwarded_someone_else"), "payload": SOMEONE_ELSE_PAYLOAD},
    ]


def someone_else_line() -> str:
    """What to do when someone else wrote it: their emergency number, 988, not yours to carry."""
    return "\n\n".join(
        [limits.say("forwarded.someone_else"), limits.say("forwarded.someone_else_more")]
    )


def is_forwarded(message: Mapping[str, Any]) -> bool:
    """Whether a Telegram ``Message`` object was forwarded from someone (or somewhere) else."""
    return any(message.get(field) is not None for field in FORWARD_FIELDS)


def reads_as_crisis(text: str) -> bool:
    """The safety layer's verdict on the whole forwarded text."""
    return assess(text).tier == "crisis"
