"""Split long bot replies into pieces a messenger accepts.

Telegram refuses messages longer than 4096 characters, and it counts them the way
JavaScript does: in UTF-16 code units, so an emoji outside the Basic Multilingual Plane
counts twice. Measuring in UTF-16 units is the safe reading of the limit.
"""

from typing import List

TELEGRAM_MESSAGE_LIMIT = 4096

# Where a cut may fall, best first. Paragraph and line breaks are only taken when they keep
# at least half of the allowed length in the piece, so one early blank line does not leave a
# two-word message followed by a long one.
_PREFERRED_BREAKS = ("\n\n", "\n")


def utf16_length(text: str) -> int:
    """Returns the length of `text` in UTF-16 code units (Telegram's measure)."""
    # surrogatepass: JSON may carry a lone surrogate ("\ud800"); it counts as one unit.
    return len(text.encode("utf-16-le", "surrogatepass")) // 2


def split_text(text: str, limit: int = TELEGRAM_MESSAGE_LIMIT) -> List[str]:
    """Splits `text` into pieces of at most `limit` UTF-16 units.

    Cuts on a paragraph break, then a line break, then a space; a single word longer than
    the limit is cut where the limit falls. Whitespace around a cut is dropped, nothing
    else is: the pieces joined back hold every non-space character in order.

    Args:
        text: the reply to split.
        limit: the largest piece allowed, in UTF-16 code units (at least 2, so a
            character outside the Basic Multilingual Plane always fits).

    Returns:
        The non-empty pieces in order; an empty list for empty or blank text.
    """
    if limit < 2:
        raise ValueError("limit must be at least 2")
    pieces: List[str] = []
    rest = text.strip()
    while utf16_length(rest) > limit:
        cut = _cut_index(rest, limit)
        head, rest = rest[:cut].rstrip(), rest[cut:].lstrip()
        if head:
            pieces.append(head)
    if rest:
        pieces.append(rest)
    return pieces


def _cut_index(text: str, limit: int) -> int:
    """Returns where to cut `text` so that the head fits in `limit` units."""
    fits = _longest_fitting_prefix(text, limit)
    for separator in _PREFERRED_BREAKS:
        index = text.rfind(separator, 0, fits)
        if index >= fits // 2:
            return index
    # A space right after the fitting prefix is as good as one inside it.
    index = text.rfind(" ", 0, fits + 1)
    if index > 0:
        return index
    return fits


def _longest_fitting_prefix(text: str, limit: int) -> int:
    """Returns the largest index i such that text[:i] is at most `limit` UTF-16 units."""
    used = 0
    for index, character in enumerate(text):
        used += 2 if ord(character) > 0xFFFF else 1
        if used > limit:
            return index
    return len(text)
