"""Which exercise or tool to offer: never the same exercise twice in a row, best first."""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Optional, Sequence, Tuple

from bot.content.library import Exercise, Library

# The craving flow's tools. A grounding exercise id is a tool too (the exact one used).
TOOL_SURF = "urge_surfing"
TOOL_GROUNDING = "grounding"
TOOL_VAULT = "vault"
TOOL_REASONS = "reasons"
TOOLS = (TOOL_SURF, TOOL_GROUNDING, TOOL_VAULT, TOOL_REASONS)



@dataclass(frozen=True)
class BestTool:
    """The tool that lowered the urge most, as the store remembers it."""

    tool: str
    before: int
    after: int


def pick_exercise(
    options: Sequence[Exercise],
    last_id: Optional[str],
    preferred_id: Optional[str] = None,
    rng: Optional[random.Random] = None,
) -> Exercise:
    """Picks an exercise that isn't the one the person did last.

    Args:
        options: The candidates (e.g. every grounding exercise).
        last_id: The id of the person's previous exercise, if known.
        preferred_id: An exercise to choose when allowed (the one that helped most).
        rng: Source of randomness for the rest.

    Returns:
        ``preferred_id``'s exercise when it is a candidate and wasn't last; otherwise a
        random candidate other than the last one (the only one, if there is just one).
    """
    if not options:
        raise ValueError("no exercises to choose from")
    pool = [item for item in options if item.id != last_id] or list(options)
    for item in pool:
        if item.id == preferred_id:
            return item
    return (rng or random.Random()).choice(pool)


def best_offer(
    best: Optional[Tuple[str, int, int]], last_id: Optional[str], library: Library
) -> Optional[BestTool]:
    """Returns the best tool worth offering first, or None.

    A tool is offered only if it really lowered the urge, the library still knows it,
    and it isn't the exercise the person did last time (variety wins over habit).
    """
    if not best:
        return None
    tool, before, after = best
    if after >= before or tool == last_id:
        return None
    if tool not in TOOLS and tool not in library.exercises:
        return None
    return BestTool(tool, before, after)


def tool_label(tool: str, library: Library) -> str:
    """Returns how to name a tool in a sentence ("box breathing", "reading your reasons")."""
    if tool in library.exercises:
        return library.exercise(tool).label
    return library.text(f"tool.label_{tool}")


def tool_title(tool: str, library: Library) -> str:
    """Returns a short button-sized name for a tool."""
    if tool in library.exercises:
        return library.exercise(tool).title
    key = f"tool.title_{tool}"
    return library.text(key) if key in library.messages else tool
