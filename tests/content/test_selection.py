"""Variety and memory: never the same exercise twice in a row; the best one first."""

from __future__ import annotations

import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.content.library import load_library
from bot.content.selection import best_offer, pick_exercise, tool_label, tool_title

LIB = load_library()
GROUNDING = LIB.exercises_of("grounding")
IDS = [e.id for e in GROUNDING]


@given(last=st.sampled_from(IDS + [None, "urge_surfing"]), seed=st.integers(0, 10_000))
def test_never_the_same_exercise_twice_in_a_row(last, seed):
    picked = pick_exercise(GROUNDING, last, rng=random.Random(seed))
    assert picked.id != last
    assert picked in GROUNDING


def test_the_preferred_exercise_comes_first_unless_it_was_last():
    assert pick_exercise(GROUNDING, "cold_water", "box_breathing").id == "box_breathing"
    for seed in range(30):
        picked = pick_exercise(GROUNDING, "box_breathing", "box_breathing", random.Random(seed))
        assert picked.id != "box_breathing"


def test_a_single_option_is_still_offered():
    only = LIB.exercises_of("urge_surfing")
    assert pick_exercise(only, "urge_surfing").id == "urge_surfing"
    with pytest.raises(ValueError):
        pick_exercise([], None)


def test_best_offer_only_when_it_helped_and_wasnt_last():
    offer = best_offer(("box_breathing", 8, 4), None, LIB)
    assert (offer.tool, offer.before, offer.after) == ("box_breathing", 8, 4)
    assert best_offer(("box_breathing", 8, 4), "box_breathing", LIB) is None
    assert best_offer(("box_breathing", 5, 5), None, LIB) is None
    assert best_offer(("retired_exercise", 8, 2), None, LIB) is None
    assert best_offer(None, None, LIB) is None
    assert best_offer(("vault", 9, 3), "box_breathing", LIB).tool == "vault"


def test_tools_have_readable_names():
    assert tool_label("box_breathing", LIB) == "box breathing"
    assert tool_label("vault", LIB) == "writing the message here"
    assert tool_label("reasons", LIB) == "reading your reasons"
    assert tool_label("urge_surfing", LIB) == "riding the wave"
    assert tool_title("box_breathing", LIB) == "Box breathing"
    assert tool_title("vault", LIB) == "Writing it here"
