"""Reading a person's answers in the flows: urge ratings, tool choices, slip triggers."""

from __future__ import annotations

import re
from typing import Any, Iterable, Mapping, Optional

from bot.content.library import Library
from bot.content.selection import TOOL_GROUNDING, TOOL_REASONS, TOOL_SURF, TOOL_VAULT, TOOLS
from bot.reading.ratings import find_rating, vague_rating

# Free-text words that pick a craving tool, checked in this order.
_TOOL_WORDS = (
    (TOOL_SURF, ("wave", "surf", "ride", "riding", "wait it out")),
    (TOOL_VAULT, ("write", "writing", "vault", "draft", "type it", "message here")),
    (TOOL_REASONS, ("reason", "why i left", "list")),
    (TOOL_GROUNDING, ("ground", "breath", "breathe", "calm", "body", "exercise")),
)


def is_payload(text: Optional[str]) -> bool:
    """True for a button payload such as ``/inform_urge_level{"number": 8}``."""
    return bool(text) and text.lstrip().startswith("/")


def rating_from(entities: Iterable[Mapping[str, Any]], text: Optional[str]) -> Optional[int]:
    """Returns a 0–10 rating from a ``number`` entity or, failing that, from the text.

    The text may hold a number ("like a 7 or 8") or, in a short reply, words ("maxed out",
    "barely").

    Args:
        entities: The message's entities (``NumberExtractor`` and button payloads).
        text: The message text.
    """
    for entity in entities or []:
        if entity.get("entity") != "number":
            continue
        value = _as_int(entity.get("value"))
        if value is not None and 0 <= value <= 10:
            return value
    if not text or is_payload(text):
        return None
    found = find_rating(text)
    return found[0] if found else vague_rating(text)


def _as_int(value: Any) -> Optional[int]:
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def entity_value(entities: Iterable[Mapping[str, Any]], name: str) -> Optional[str]:
    """Returns the first value of entity ``name`` as a string, or None."""
    for entity in entities or []:
        if entity.get("entity") == name and entity.get("value") is not None:
            return str(entity["value"])
    return None


def tool_from(
    option: Optional[str], intent: Optional[str], text: Optional[str], library: Library
) -> Optional[str]:
    """Returns the craving tool a person picked, or None when it isn't clear.

    Args:
        option: The ``option`` entity from a button (a tool or a grounding exercise id).
        intent: The message's intent (``request_grounding`` means grounding).
        text: Free text ("let me ride the wave", "write it").
        library: For grounding exercise ids.
    """
    if option:
        if option in TOOLS:
            return option
        if option in library.exercises and library.exercise(option).kind == "grounding":
            return option
    if intent == "request_grounding":
        return TOOL_GROUNDING
    if not text or is_payload(text):
        return None
    lowered = text.lower()
    words = set(re.findall(r"[a-z0-9']+", lowered))
    for tool, cues in _TOOL_WORDS:
        for cue in cues:
            if (" " in cue and cue in lowered) or cue in words or (
                len(cue) > 3 and any(word.startswith(cue) for word in words)
            ):
                return tool
    return None


def trigger_from(option: Optional[str], text: Optional[str], library: Library) -> str:
    """Returns the slip trigger id for a button or free text (``"other"`` when unclear)."""
    if option and option in library.triggers:
        return option
    if text and not is_payload(text):
        lowered = text.lower()
        for trigger in library.triggers.values():
            if any(re.search(rf"\b{re.escape(word)}\b", lowered) for word in trigger.keywords):
                return trigger.id
    return "other"


_COUNT_WORDS = {
    "a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "twenty": 20, "thirty": 30,
    "a couple of": 2, "a couple": 2, "a few": 3,
}
_UNIT_DAYS = {"day": 1, "week": 7, "wk": 7, "month": 30, "mo": 30, "year": 365, "yr": 365}
_WORDS_LONGEST_FIRST = sorted(map(re.escape, _COUNT_WORDS), key=len, reverse=True)
_AMOUNT = r"(\d{1,4}|" + "|".join(_WORDS_LONGEST_FIRST) + r")"
_DAY_N = re.compile(r"\bday\s*#?\s*(\d{1,4})\b", re.IGNORECASE)
_N_UNITS = re.compile(
    r"(?<![\w.])" + _AMOUNT
    + r"\s*(?:whole\s+|full\s+)?(days?|weeks?|wks?|months?|mo|years?|yrs?)\b",
    re.IGNORECASE,
)
# "12 days ago i texted him" is a slip, not a streak.
_AGO = re.compile(r"\s*ago\b", re.IGNORECASE)


def day_count_from(text: Optional[str]) -> Optional[int]:
    """The no-contact day count in a message, or None.

    "day 30 no contact" → 30, "3 weeks no contact today" → 21, "it's been 12 days" → 12,
    "a month!" → 30. Button payloads and "… days ago" give None.
    """
    if not text or is_payload(text):
        return None
    found = _DAY_N.search(text)
    if found:
        return int(found.group(1))
    for match in _N_UNITS.finditer(text):
        if _AGO.match(text, match.end()):
            continue
        amount = match.group(1).lower()
        count = int(amount) if amount.isdigit() else _COUNT_WORDS[amount]
        unit = match.group(2).lower().rstrip("s")
        return count * _UNIT_DAYS[unit]
    return None
