"""Walking through an exercise one step per message, with "Next" / "Stop" buttons."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Dict, List, Optional

from bot.content.library import Exercise, Library

NEXT_PAYLOAD = "/next_step"
STOP_PAYLOAD = "/stop"


@dataclass(frozen=True)
class Reply:
    """What the bot sends for one turn: texts (the last one carries the buttons)."""

    texts: List[str]
    buttons: List[Dict[str, str]] = field(default_factory=list)


def button(title: str, payload: str) -> Dict[str, str]:
    """Returns one button as Rasa expects it."""
    return {"title": title, "payload": payload}


def step_reply(library: Library, exercise: Exercise, index: int) -> Reply:
    """Returns the message for step ``index`` (the intro comes with step 0).

    Raises:
        IndexError: For a step the exercise doesn't have.
    """
    if not 0 <= index < len(exercise.steps):
        raise IndexError(f"{exercise.id} has no step {index}")
    texts = [exercise.intro] if index == 0 else []
    position = f"({index + 1}/{len(exercise.steps)}) "
    texts.append(position + exercise.steps[index])
    last = index == len(exercise.steps) - 1
    buttons = [
        button(library.text("button.done" if last else "button.next"), NEXT_PAYLOAD),
        button(library.text("button.stop"), STOP_PAYLOAD),
    ]
    return Reply(texts, buttons)


def next_index(exercise: Exercise, index: Optional[float]) -> Optional[int]:
    """Returns the step after ``index``, or None when the exercise is finished."""
    following = int(index or 0) + 1
    return following if following < len(exercise.steps) else None
