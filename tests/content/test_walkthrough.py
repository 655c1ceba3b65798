"""One step per message, with Next/Stop buttons."""

from __future__ import annotations

import pytest

from bot.content.library import load_library
from bot.content.walkthrough import NEXT_PAYLOAD, STOP_PAYLOAD, next_index, step_reply

LIB = load_library()


def test_first_step_comes_with_the_intro():
    exercise = LIB.exercise("box_breathing")
    reply = step_reply(LIB, exercise, 0)
    assert reply.texts[0] == exercise.intro
    assert reply.texts[1].startswith("(1/5) ")
    assert [b["payload"] for b in reply.buttons] == [NEXT_PAYLOAD, STOP_PAYLOAD]
    assert [b["title"] for b in reply.buttons] == ["Next", "Stop"]


def test_last_step_says_done():
    exercise = LIB.exercise("butterfly_hug")
    last = len(exercise.steps) - 1
    reply = step_reply(LIB, exercise, last)
    assert reply.texts == [f"({last + 1}/{last + 1}) {exercise.steps[-1]}"]
    assert reply.buttons[0]["title"] == "Done"


def test_steps_advance_and_end():
    exercise = LIB.exercise("physiological_sigh")
    assert next_index(exercise, 0) == 1
    assert next_index(exercise, 1.0) == 2
    assert next_index(exercise, None) == 1
    assert next_index(exercise, len(exercise.steps) - 1) is None
    with pytest.raises(IndexError):
        step_reply(LIB, exercise, len(exercise.steps))
