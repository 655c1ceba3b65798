"""Reads a 0–10 rating out of free text: "8", "like a 7", "eight", "9/10"."""

from __future__ import annotations

import re
from typing import Optional, Tuple

WORDS = {
    "zero": 0, "none": 0, "nothing": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5,
    "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10,
}

_NUMBER = re.compile(
    r"(?<![\w.])(10|[0-9])(?:\s*(?:/|out of)\s*10)?(?![\w.]|\.\d)"
    # "one" in "no one", "someone", "anyone", "every one" is not a rating.
    r"|(?<!\bno )(?<!\bevery )\b(" + "|".join(WORDS) + r")\b",
    re.IGNORECASE,
)


def find_rating(text: str) -> Optional[Tuple[int, int, int]]:
    """Returns ``(value, start, end)`` for the first 0–10 number in ``text``, or None."""
    match = _NUMBER.search(text)
    if match is None:
        return None
    digits, word = match.group(1), match.group(2)
    value = int(digits) if digits is not None else WORDS[word.lower()]
    return value, match.start(), match.end()
