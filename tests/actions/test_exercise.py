"""Exercises walked through step by step: start, advance, finish, feedback."""

from __future__ import annotations

import pytest

from actions import common
from actions.exercise import (
    ActionAskExerciseDone,
    ActionExerciseFeedback,
    ActionExerciseFinish,
    ActionStartExercise,
    ActionStartGrounding,
    ActionStartReparenting,
    ValidateExerciseForm,
)
from bot.content.library import load_library
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"




def reply(text, intent="next_step", slots=None):
    return tracker(
        "exercise_form", slots=slots, text=text, intent=intent, candidate=("exercise_done", text)
    )


async def test_grounding_starts_at_step_one_and_is_remembered(store):
    outcome = await run(ActionStartGrounding(), tracker("fresh"))
    chosen = outcome.slot("exercise_id")
    assert LIB.exercise(chosen).kind == "grounding"
    assert outcome.slot("exercise_step") == 0.0
    assert outcome.slot("exercise_done") is None
    assert outcome.slot("last_exercise") == chosen


async def test_grounding_is_never_the_same_twice_in_a_row(store):
    last = None
    for seed in range(25):
        common.RNG.seed(seed)
        outcome = await run(ActionStartGrounding(), tracker("fresh", slots={"last_exercise": last}))
        assert outcome.slot("exercise_id") != last
        last = outcome.slot("exercise_id")


async def test_the_store_remembers_the_last_exercise_across_conversations(store):
    store.record_exercise(USER, "cold_water", True)
    for seed in range(15):
        common.RNG.seed(seed)
        outcome = await run(ActionStartGrounding(), tracker("fresh"))
        assert outcome.slot("exercise_id") != "cold_water"


async def test_the_exercise_that_helped_most_comes_first(store):
    store.log_craving(USER, 8, "butterfly_hug", 3)
    outcome = await run(ActionStartGrounding(), tracker("fresh"))
    assert outcome.slot("exercise_id") == "butterfly_hug"
    assert outcome.texts == [
        "Last time the butterfly hug took you from 8 to 3, so let's start there."
    ]


async def test_grounding_still_starts_when_the_store_is_down(broken_store):
    outcome = await run(ActionStartGrounding(), tracker("fresh"))
    assert LIB.exercise(outcome.slot("exercise_id")).kind == "grounding"


async def test_each_step_is_one_message_with_next_and_stop(store):
    exercise = LIB.exercise("box_breathing")
    first = await run(ActionAskExerciseDone(), tracker("exercise_form"))
    assert first.texts == [exercise.intro, f"(1/5) {exercise.steps[0]}"]
    assert [(b["title"], b["payload"]) for b in first.buttons] == [
        ("Next", "/next_step"),
        ("Stop", "/stop"),
    ]
    third = await run(
        ActionAskExerciseDone(), tracker("exercise_form", slots={"exercise_step": 2.0})
    )
    assert third.texts == [f"(3/5) {exercise.steps[2]}"]


@pytest.mark.parametrize(
    "text, intent",
    [
        ("next", "next_step"),
        ("/next_step", "next_step"),
        ("i can see my lamp and a mug", "out_of_scope"),
    ],
)
async def test_any_reply_moves_one_step_on(store, text, intent):
    outcome = await run(ValidateExerciseForm(), reply(text, intent))
    assert outcome.slot("exercise_step") == 1.0
    assert outcome.slot("exercise_done") is None
    assert outcome.messages == []


async def test_the_last_reply_finishes(store):
    outcome = await run(ValidateExerciseForm(), reply("done", slots={"exercise_step": 4.0}))
    assert outcome.slot("exercise_done") is True


async def test_a_reminder_does_not_move_the_exercise(store):
    outcome = await run(
        ValidateExerciseForm(), reply("EXTERNAL: EXTERNAL_vault_revisit", "EXTERNAL_vault_revisit")
    )
    assert outcome.slot("exercise_step", "unchanged") == "unchanged"
    assert outcome.slot("exercise_done") is None
    asked = await run(
        ActionAskExerciseDone(),
        tracker("exercise_form", text="EXTERNAL", intent="EXTERNAL_vault_revisit"),
    )
    assert asked.messages == []
    # The vault reminder isn't lost: it comes back in an hour.
    assert asked.of_type("reminder")[0]["intent"] == "EXTERNAL_vault_revisit"


async def test_finishing_asks_whether_it_helped(store):
    outcome = await run(ActionExerciseFinish(), tracker("fresh", slots={"exercise_id": "safe_now"}))
    assert outcome.texts[0] == LIB.exercise("safe_now").outro
    assert outcome.texts[1] in variants("exercise.ask_helped")
    assert [b["payload"] for b in outcome.buttons] == ["/affirm", "/deny", "/feeling_unworthy"]


@pytest.mark.parametrize("intent, helped", [("affirm", True), ("deny", False)])
async def test_feedback_is_remembered(store, intent, helped):
    state = tracker("fresh", slots={"exercise_id": "cold_water"}, text="x", intent=intent)
    outcome = await run(ActionExerciseFeedback(), state)
    key = "exercise.feedback_yes" if helped else "exercise.feedback_no"
    assert outcome.texts[0] in variants(key)
    assert store.last_exercise(USER) == "cold_water"


async def test_feedback_with_the_store_down_says_so(broken_store):
    state = tracker("fresh", slots={"exercise_id": "cold_water"}, text="yes", intent="affirm")
    outcome = await run(ActionExerciseFeedback(), state)
    assert outcome.texts[-1] == LIB.text("exercise.not_saved")


async def test_reparenting_scripts_vary(store):
    outcome = await run(
        ActionStartReparenting(), tracker("fresh", slots={"last_exercise": "safe_now"})
    )
    chosen = outcome.slot("exercise_id")
    assert LIB.exercise(chosen).kind == "reparenting" and chosen != "safe_now"


async def test_a_practice_button_starts_that_exercise(store):
    state = tracker(
        "fresh",
        text='/start_exercise{"exercise": "grieving_hope"}',
        intent="start_exercise",
        entities=[{"entity": "exercise", "value": "grieving_hope"}],
    )
    outcome = await run(ActionStartExercise(), state)
    assert outcome.slot("exercise_id") == "grieving_hope"
    unknown = tracker(
        "fresh",
        text="x",
        intent="start_exercise",
        entities=[{"entity": "exercise", "value": "nope"}],
    )
    fallback = await run(ActionStartExercise(), unknown)
    assert LIB.exercise(fallback.slot("exercise_id")).kind == "grounding"
