"""Reads a 0–10 rating out of free text: "8", "like a 7 or 8", "eight", "9/10", "maxed out".

A number that counts something else ("day 30", "3 weeks", "12 days", "2am") is not a rating.
"""

from __future__ import annotations

import re
from typing import Optional, Tuple

WORDS = {
    "zero": 0, "none": 0, "nothing": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

_VALUE = r"(?:(10|[0-9])|(" + "|".join(WORDS) + r"))"
_NUMBER = re.compile(
    r"(?<![\w.])(10|[0-9])(?:\s*(?:/|out of)\s*10)?(?![\w.]|\.\d)"
    # "one" in "no one", "someone", "anyone", "every one" is not a rating.
    r"|(?<!\bno )(?<!\bevery )\b(" + "|".join(WORDS) + r")\b",
    re.IGNORECASE,
)
# What follows a number that counts time, not an urge: "3 weeks", "12 days", "2am", "5th".
_UNIT_AFTER = re.compile(
    r"\s*(?:days?|d\b|weeks?|wks?|months?|mo\b|years?|yrs?|hours?|hrs?|h\b|minutes?|mins?"
    r"|seconds?|secs?|am\b|pm\b|a\.m|p\.m|o'?clock|st\b|nd\b|rd\b|th\b|times?|:\d)",
    re.IGNORECASE,
)
# What comes before a number that counts days: "day 3", "day #3", "no contact 5".
_UNIT_BEFORE = re.compile(r"(?:\bday|\bdays|\bweek|\bno contact|#)\s*#?\s*$", re.IGNORECASE)
# "7 or 8", "7-8", "7 to 8": the higher of the two.
_RANGE = re.compile(r"\s*(?:or|-|–|to)\s*" + _VALUE + r"\b", re.IGNORECASE)

# Whole answers without a number ("maxed out", "barely"), for short replies only.
_VAGUE = (
    (10, ("maxed out", "maxed", "max", "off the charts", "through the roof", "unbearable",
          "the worst", "worst ever", "sky high", "100", "a million", "infinity")),
    (8, ("really strong", "so strong", "very strong", "really bad", "so bad", "high",
         "super strong", "strong af", "a lot")),
    (5, ("medium", "halfway", "half", "so-so", "so so", "middling", "mid", "moderate", "meh")),
    (2, ("low", "a little", "a bit", "not much", "not that strong", "mild", "weak")),
    (1, ("barely", "hardly", "barely there", "hardly anything", "tiny", "faint")),
    (0, ("gone", "not at all", "nothing now", "no urge", "its gone", "it's gone", "none now")),
)
_MAX_VAGUE_WORDS = 5


def _is_count(text: str, start: int, end: int) -> bool:
    return bool(_UNIT_AFTER.match(text, end)) or bool(_UNIT_BEFORE.search(text[:start]))


def _value(digits: Optional[str], word: Optional[str]) -> int:
    return int(digits) if digits is not None else WORDS[word.lower()]


def find_rating(text: str) -> Optional[Tuple[int, int, int]]:
    """Returns ``(value, start, end)`` for the first 0–10 rating in ``text``, or None.

    "like a 7 or 8" gives 8 (the higher of a range); numbers that count days, weeks or
    hours ("day 30", "3 weeks", "2am") are skipped.
    """
    for match in _NUMBER.finditer(text):
        if _is_count(text, match.start(), match.end()):
            continue
        value, end = _value(match.group(1), match.group(2)), match.end()
        ranged = _RANGE.match(text, end)
        if ranged and not _is_count(text, ranged.start(), ranged.end()):
            value, end = max(value, _value(ranged.group(1), ranged.group(2))), ranged.end()
        return value, match.start(), end
    return None


def vague_rating(text: str) -> Optional[int]:
    """A rating for a short answer without a number: "maxed out" → 10, "barely" → 1."""
    cleaned = re.sub(r"[^a-z0-9' -]+", " ", text.lower()).strip()
    if not cleaned or len(cleaned.split()) > _MAX_VAGUE_WORDS:
        return None
    for value, cues in _VAGUE:
        for cue in cues:
            if re.search(rf"(?<![\w']){re.escape(cue)}(?![\w'])", cleaned):
                return value
    return None
