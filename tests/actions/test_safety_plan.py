"""The personal safety plan: built step by step, saved as it goes, shown, edited, put first."""

from __future__ import annotations

import pytest

from actions.safety_plan import (
    ActionAddToSafetyPlan,
    ActionAskPlanAnswer,
    ActionDeleteSafetyPlan,
    ActionSafetyPlanCrisis,
    ActionSafetyPlanSos,
    ActionSafetyPlanStart,
    ActionSafetyPlanWrapup,
    ActionShowSafetyPlan,
    ActionWalkSafetyPlan,
    ValidateSafetyPlanForm,
)
from bot.content import safety_plan
from tests.fixtures.trackers import run, tracker

USER = "fixture-user"
CONTENT = safety_plan.load()


def answer(text, intent="out_of_scope", step=0, slots=None):
    return tracker(
        "safety_plan_form",
        slots={"plan_step": float(step), **(slots or {})},
        text=text,
        intent=intent,
        candidate=("plan_answer", text),
    )


async def test_starting_explains_the_plan_and_begins_at_step_one(store):
    outcome = await run(ActionSafetyPlanStart(), tracker("fresh"))
    assert outcome.texts == [CONTENT.text("intro")]
    assert outcome.slot("plan_step") == 0.0
    assert outcome.slot("plan_editing") is False


async def test_each_step_has_examples_and_skip(store):
    state = tracker("safety_plan_form", slots={"plan_step": 3.0})
    outcome = await run(ActionAskPlanAnswer(), state)
    assert outcome.texts[0].startswith(CONTENT.steps[3].ask)
    assert '"text Priya"' in outcome.texts[0]
    assert [b["payload"] for b in outcome.buttons] == ["/skip_step"]


async def test_an_answer_is_saved_under_its_step_and_the_form_moves_on(store):
    outcome = await run(ValidateSafetyPlanForm(), answer("text Priya", step=3))
    assert store.get_plan(USER) == {"people": ["text Priya"]}
    assert outcome.slot("plan_step") == 4.0
    assert outcome.slot("plan_answer") is None
    assert outcome.slot("safety_plan_saved") is True


@pytest.mark.parametrize("text, intent", [("skip", "stop"), ("/skip_step", "skip_step"),
                                          ("pass", "skip_step"), ("idk", "out_of_scope")])
async def test_skip_stores_nothing_and_moves_on(store, text, intent):
    outcome = await run(ValidateSafetyPlanForm(), answer(text, intent=intent, step=1))
    assert store.get_plan(USER) == {}
    assert outcome.slot("plan_step") == 2.0


async def test_stop_rejects_the_form_so_its_rule_ends_it(store):
    outcome = await run(ValidateSafetyPlanForm(), answer("stop", intent="stop", step=1))
    assert outcome.of_type("action_execution_rejected")
    assert store.get_plan(USER) == {}


async def test_the_last_step_finishes_the_form(store):
    outcome = await run(ValidateSafetyPlanForm(), answer("my dog", step=6))
    assert outcome.slot("plan_answer") is True
    assert store.get_plan(USER) == {"reasons": ["my dog"]}


async def test_delete_typed_as_an_answer_is_confirmed_before_it_is_stored(store):
    outcome = await run(
        ValidateSafetyPlanForm(), answer("delete my data", intent="delete_my_data", step=2)
    )
    assert "delete your data" in outcome.all_text
    assert store.get_plan(USER) == {}
    assert outcome.slot("pending_text") == "delete my data"
    # "Put it in my safety plan" (affirm) then stores the held words.
    held = tracker(
        "safety_plan_form",
        slots={"plan_step": 2.0, "pending_text": "delete my data"},
        text="/affirm",
        intent="affirm",
        candidate=("plan_answer", "/affirm"),
    )
    await run(ValidateSafetyPlanForm(), held)
    assert store.get_plan(USER) == {"distractions": ["delete my data"]}


async def test_a_question_to_the_bot_interrupts_instead_of_being_stored(store):
    outcome = await run(
        ValidateSafetyPlanForm(), answer("are you a real person", intent="bot_challenge")
    )
    assert outcome.of_type("action_execution_rejected")
    assert store.get_plan(USER) == {}


async def test_a_down_store_is_said_plainly_at_the_end(broken_store):
    outcome = await run(ValidateSafetyPlanForm(), answer("text Priya", step=3))
    assert outcome.slot("plan_unsaved") is True
    wrapup = await run(ActionSafetyPlanWrapup(), tracker("fresh", slots={"plan_unsaved": True}))
    assert wrapup.texts == [CONTENT.text("not_saved")]


async def test_the_wrapup_reads_the_plan_back(store):
    store.set_plan_step(USER, "people", ["text Priya"])
    store.set_plan_step(USER, "reasons", ["my dog"])
    outcome = await run(ActionSafetyPlanWrapup(), tracker("fresh"))
    assert "People I can ask for help: text Priya" in outcome.all_text
    assert "My reasons to keep going: my dog" in outcome.all_text
    assert outcome.slot("safety_plan_saved") is True


async def test_changing_a_plan_shows_what_is_there_with_keep(store):
    store.set_plan_step(USER, "people", ["text Priya"])
    start = await run(ActionSafetyPlanStart(), tracker("fresh", text="change my plan",
                                                       intent="change_safety_plan"))
    assert start.slot("plan_editing") is True
    ask = await run(ActionAskPlanAnswer(), tracker("safety_plan_form",
                                                   slots={"plan_step": 3.0, "plan_editing": True}))
    assert "text Priya" in ask.texts[0]
    assert ask.buttons[0]["payload"] == "/affirm"
    kept = await run(ValidateSafetyPlanForm(), answer("/affirm", intent="affirm", step=3,
                                                      slots={"plan_editing": True}))
    assert kept.slot("plan_step") == 4.0
    assert store.get_plan(USER) == {"people": ["text Priya"]}
    await run(ValidateSafetyPlanForm(), answer("call my brother Sam", step=3))
    assert store.get_plan(USER) == {"people": ["call my brother Sam"]}


async def test_show_my_plan_without_one_offers_to_make_one(store):
    outcome = await run(ActionShowSafetyPlan(), tracker("fresh"))
    assert outcome.texts == [CONTENT.text("show_none")]
    assert outcome.buttons[0]["payload"] == "/request_safety_plan"


async def test_add_priya_to_my_people(store):
    outcome = await run(ActionAddToSafetyPlan(), tracker("fresh", text="add Priya to my people",
                                                         intent="add_to_safety_plan"))
    assert store.get_plan(USER) == {"people": ["Priya"]}
    assert "Priya" in outcome.all_text
    assert outcome.slot("safety_plan_saved") is True


async def test_delete_my_plan_deletes_only_the_plan(store):
    store.set_plan_step(USER, "people", ["text Priya"])
    store.add_reason(USER, "he lied")
    outcome = await run(ActionDeleteSafetyPlan(), tracker("fresh"))
    assert outcome.texts == [CONTENT.text("deleted")]
    assert store.get_plan(USER) == {}
    assert store.list_reasons(USER) == ["he lied"]
    assert outcome.slot("safety_plan_saved") is False


async def test_sos_leads_with_the_plan_then_the_hotlines(store):
    store.set_plan_step(USER, "people", ["text Priya"])
    store.set_plan_step(USER, "coping", ["go out on the balcony and name five things"])
    outcome = await run(ActionSafetyPlanSos(), tracker("fresh", text="sos",
                                                       intent="request_resources"))
    assert outcome.messages[0]["text"] == (
        "Your plan says: text Priya; go out on the balcony and name five things."
    )
    assert outcome.messages[1]["response"] == "utter_resources"
    assert outcome.buttons[0]["payload"] == '/walk_safety_plan{"plan_step": "1"}'


async def test_when_it_is_happening_now_the_emergency_answer_comes_first(store):
    store.set_plan_step(USER, "people", ["text Priya"])
    state = tracker("fresh", text="...", intent="crisis", slots={"crisis_kind": "urgent_distress"})
    outcome = await run(ActionSafetyPlanCrisis(), state)
    assert outcome.messages[0]["response"] == "utter_crisis"
    assert "Priya" in outcome.messages[1]["text"]


async def test_a_down_store_sends_the_usual_hotline_answer(broken_store):
    outcome = await run(ActionSafetyPlanSos(), tracker("fresh", text="sos",
                                                       intent="request_resources"))
    assert outcome.responses == ["utter_resources"]
    assert outcome.texts == [""]


async def test_walking_the_plan_goes_one_filled_step_at_a_time(store):
    store.set_plan_step(USER, "coping", ["cold water on my face"])
    store.set_plan_step(USER, "people", ["text Priya"])
    first = await run(ActionWalkSafetyPlan(), tracker("fresh", text="/walk_safety_plan",
                                                      intent="walk_safety_plan"))
    assert "cold water on my face" in first.texts[0] and "(1/2)" in first.texts[0]
    second = await run(ActionWalkSafetyPlan(), tracker(
        "fresh", intent="walk_safety_plan", text="/walk_safety_plan",
        entities=[{"entity": "plan_step", "value": "2"}]))
    assert "text Priya" in second.texts[0]
    end = await run(ActionWalkSafetyPlan(), tracker(
        "fresh", intent="walk_safety_plan", text="/walk_safety_plan",
        entities=[{"entity": "plan_step", "value": "3"}]))
    assert end.texts == [CONTENT.text("walk_end")]


async def test_show_my_plan_mid_plan_is_answered_not_stored(store):
    outcome = await run(ValidateSafetyPlanForm(), answer("show my plan", intent="show_safety_plan"))
    assert outcome.of_type("action_execution_rejected")
    assert store.get_plan(USER) == {}
