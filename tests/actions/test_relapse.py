"""After a slip: the count resets (the longest stays), what led up to it, one small plan."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions.relapse import (
    ActionAskRelapsePlan,
    ActionAskRelapseTrigger,
    ActionRelapseStart,
    ActionRelapseWrapup,
    ValidateRelapseForm,
)
from bot.content.library import load_library
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"




def answer(slot, text, intent, entities=None, slots=None):
    return tracker(
        "relapse_form",
        slots={"requested_slot": slot, **(slots or {})},
        text=text,
        intent=intent,
        entities=entities,
        candidate=(slot, text),
    )


async def test_the_count_resets_but_the_longest_is_kept_and_mentioned(store):
    store.start_no_contact(USER, datetime.now(timezone.utc) - timedelta(days=12, hours=1))
    outcome = await run(ActionRelapseStart(), tracker("fresh"))
    assert outcome.texts == [LIB.text("relapse.streak_reset", longest="12 days")]
    streak = store.get_streak(USER)
    assert (streak.current_days, streak.longest_days, streak.slips) == (0, 12, 1)


async def test_a_first_slip_starts_a_fresh_count(store):
    outcome = await run(ActionRelapseStart(), tracker("fresh"))
    assert outcome.texts == [LIB.text("relapse.streak_fresh")]
    assert store.get_streak(USER).started_at is not None


async def test_a_down_store_says_the_count_was_not_updated(broken_store):
    outcome = await run(ActionRelapseStart(), tracker("fresh"))
    assert outcome.texts == [LIB.text("relapse.streak_not_saved")]


async def test_what_led_up_to_it_has_buttons_for_the_usual_answers(store):
    outcome = await run(ActionAskRelapseTrigger(), tracker("relapse_form"))
    assert outcome.texts[0] in variants("relapse.ask_trigger")
    assert outcome.buttons[0] == {
        "title": "I felt lonely",
        "payload": '/choose_option{"option": "lonely"}',
    }
    assert outcome.buttons[-1]["title"] == "I'd rather not say"


@pytest.mark.parametrize(
    "text, entities, trigger",
    [
        (
            '/choose_option{"option": "they_reached_out"}',
            [{"entity": "option", "value": "they_reached_out"}],
            "they_reached_out",
        ),
        ("honestly i was drunk", [], "drinking"),
        ("dunno", [], "other"),
    ],
)
async def test_the_trigger_picks_a_plan(store, text, entities, trigger):
    outcome = await run(
        ValidateRelapseForm(), answer("relapse_trigger", text, "choose_option", entities)
    )
    assert outcome.slot("relapse_trigger") == trigger
    assert outcome.slot("relapse_plan_suggested") == LIB.trigger(trigger).plan


async def test_the_plan_is_suggested_and_accepted(store):
    plan = LIB.trigger("late_night").plan
    asked = await run(
        ActionAskRelapsePlan(), tracker("relapse_form", slots={"relapse_plan_suggested": plan})
    )
    assert asked.texts == [LIB.text("relapse.ask_plan", plan=plan)]
    assert [b["payload"] for b in asked.buttons] == ["/affirm", "/deny"]
    yes = await run(
        ValidateRelapseForm(),
        answer("relapse_plan", "/affirm", "affirm", slots={"relapse_plan_suggested": plan}),
    )
    assert yes.slot("relapse_plan") == plan


async def test_their_own_plan_is_asked_for_and_kept(store):
    no = await run(
        ValidateRelapseForm(),
        answer("relapse_plan", "/deny", "deny", slots={"relapse_plan_suggested": "x."}),
    )
    assert no.slot("relapse_plan") is None
    assert no.slot("relapse_custom_plan") is True
    asked = await run(
        ActionAskRelapsePlan(), tracker("relapse_form", slots={"relapse_custom_plan": True})
    )
    assert asked.texts == [LIB.text("relapse.ask_own_plan")]
    own = await run(
        ValidateRelapseForm(),
        answer(
            "relapse_plan",
            "call my sister first",
            "out_of_scope",
            slots={"relapse_custom_plan": True},
        ),
    )
    assert own.slot("relapse_plan") == "call my sister first"


async def test_the_wrapup_repeats_the_plan(store):
    outcome = await run(
        ActionRelapseWrapup(), tracker("fresh", slots={"relapse_plan": "call my sister first"})
    )
    assert outcome.texts == [LIB.text("relapse.wrapup", plan="call my sister first.")]
