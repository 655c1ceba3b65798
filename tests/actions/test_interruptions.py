"""Stepping out of a flow and back in: what is an answer, the offer, pause, resume, not now."""

from __future__ import annotations

from rasa_sdk import Tracker

from actions import common
from actions.craving import ActionAskUrgeBefore, ValidateCravingForm
from actions.exercise import ActionAskExerciseDone, ValidateExerciseForm
from actions.interruptions import (
    ActionNotNow,
    ActionOfferResume,
    ActionPauseFlow,
    ActionResumeFlow,
    pause_events,
)
from actions.relapse import ValidateRelapseForm
from tests.fixtures.trackers import run, tracker, variants


def _rejected(outcome, form: str) -> bool:
    return any(
        e.get("event") == "action_execution_rejected" and e.get("name") == form
        for e in outcome.events
    )


def step_reply(text, intent, slots=None):
    return tracker(
        "exercise_form", slots=slots, text=text, intent=intent, candidate=("exercise_done", text)
    )


def with_events(state: Tracker, *events) -> Tracker:
    data = state.current_state()
    data["events"] = list(data["events"]) + list(events)
    return Tracker.from_dict(data)


async def test_a_question_about_the_bot_mid_exercise_is_not_the_next_step(store):
    state = step_reply("are you a real person?", "bot_challenge")
    outcome = await run(ValidateExerciseForm(), state)
    assert _rejected(outcome, "exercise_form")
    assert outcome.slot("exercise_step") == "<unset>"
    assert outcome.slot("exercise_done") is None


async def test_anything_else_mid_exercise_moves_it_on(store):
    for text, intent in [("ok", "affirm"), ("done", "next_step"), ("hmm", "nlu_fallback")]:
        outcome = await run(ValidateExerciseForm(), step_reply(text, intent))
        assert not _rejected(outcome, "exercise_form")
        assert outcome.slot("exercise_step") == 1.0


async def test_a_slip_mid_exercise_is_answered_as_a_slip(store):
    state = step_reply("i slipped and texted him", "relapsed_contact")
    outcome = await run(ValidateExerciseForm(), state)
    assert _rejected(outcome, "exercise_form")


def rating(text, intent, entities=None):
    return tracker(
        "craving_form",
        text=text,
        intent=intent,
        entities=entities,
        candidate=("urge_before", text),
    )


async def test_ratings_in_words_are_answers(store):
    for text, value in [("maxed out", 10), ("barely", 1), ("like a 7 or 8", 8), ("eight", 8)]:
        outcome = await run(ValidateCravingForm(), rating(text, "inform_urge_level"))
        assert outcome.slot("urge_before") == value, text


async def test_a_day_count_at_the_rating_is_not_a_rating(store):
    outcome = await run(ValidateCravingForm(), rating("day 30 no contact today!!", "share_win"))
    assert _rejected(outcome, "craving_form")
    assert outcome.slot("urge_before") is None
    assert not outcome.texts, "no 'a rough guess is fine' for a message that meant something else"


async def test_an_unclear_rating_gets_one_more_ask(store):
    outcome = await run(ValidateCravingForm(), rating("ugh", "nlu_fallback"))
    assert not _rejected(outcome, "craving_form")
    assert outcome.texts[0] in variants("craving.urge_not_understood")


def plan_reply(text, intent, slots=None):
    base = {"requested_slot": "relapse_plan", "relapse_trigger": "lonely",
            "relapse_plan_suggested": "Text a friend first."}
    return tracker(
        "relapse_form",
        slots={**base, **(slots or {})},
        text=text,
        intent=intent,
        candidate=("relapse_plan", text),
    )


async def test_a_command_typed_as_a_plan_is_confirmed_before_it_is_stored(store):
    outcome = await run(ValidateRelapseForm(), plan_reply("delete my data", "delete_my_data"))
    assert outcome.slot("relapse_plan") is None
    assert outcome.slot("pending_text") == "delete my data"
    assert "save that as your plan" in outcome.all_text
    assert "/delete_my_data" in [b["payload"] for b in outcome.buttons]
    assert not _rejected(outcome, "relapse_form")


async def test_save_it_stores_the_held_text_as_the_plan(store):
    state = plan_reply("yes", "affirm", slots={"pending_text": "delete my data"})
    outcome = await run(ValidateRelapseForm(), state)
    assert outcome.slot("relapse_plan") == "delete my data"
    assert outcome.slot("pending_text") is None


async def test_the_delete_button_after_the_question_is_the_command(store):
    held = {"pending_text": "delete my data"}
    state = plan_reply("/delete_my_data", "delete_my_data", slots=held)
    outcome = await run(ValidateRelapseForm(), state)
    assert _rejected(outcome, "relapse_form")
    assert outcome.slot("relapse_plan") is None


async def test_free_text_is_the_plan(store):
    state = plan_reply("call my sister instead", "craving_contact")
    outcome = await run(ValidateRelapseForm(), state)
    assert outcome.slot("relapse_plan") == "call my sister instead"


def after_interruption(fixture: str, intent: str, slots=None) -> Tracker:
    state = tracker(fixture, slots=slots, text="are you a real person?", intent=intent)
    form = state.active_loop["name"]
    return with_events(
        state,
        {"event": "action_execution_rejected", "name": form},
        {"event": "action", "name": "utter_bot_challenge"},
        {"event": "bot", "text": "I'm a bot."},
    )


async def test_after_an_interruption_the_exercise_offers_to_go_back(store):
    state = after_interruption("exercise_form", "bot_challenge", slots={"exercise_step": 1.0})
    outcome = await run(ActionAskExerciseDone(), state)
    assert len(outcome.messages) == 1
    assert "box breathing" in outcome.all_text and "step 2 of 5" in outcome.all_text
    assert [b["payload"] for b in outcome.buttons] == ["/resume_flow", "/not_now"]


async def test_after_resume_the_step_is_asked_again(store):
    state = after_interruption("exercise_form", "resume_flow", slots={"exercise_step": 1.0})
    outcome = await run(ActionAskExerciseDone(), state)
    assert "(2/5)" in outcome.all_text


async def test_after_an_interruption_the_rating_question_offers_to_go_back(store):
    state = after_interruption("craving_form", "ask_privacy")
    outcome = await run(ActionAskUrgeBefore(), state)
    assert "how strong the urge is" in outcome.all_text
    assert outcome.buttons[0]["payload"] == "/resume_flow"


async def test_goodbye_mid_flow_gets_no_offer(store):
    outcome = await run(ActionAskExerciseDone(), after_interruption("exercise_form", "goodbye"))
    assert outcome.messages == []


async def test_a_paused_flow_is_restored_on_resume(store):
    state = tracker("exercise_form", slots={"exercise_step": 2.0}, text="delete my data",
                    intent="delete_my_data")
    paused = await run(ActionPauseFlow(), state)
    assert paused.slot("flow_paused") is True
    assert any(e.get("event") == "active_loop" and e.get("name") is None for e in paused.events)
    place = paused.slot("paused_flow")
    assert place["form"] == "exercise_form" and place["values"]["exercise_step"] == 2.0

    later = tracker("fresh", slots={"paused_flow": place, "flow_paused": True,
                                    "exercise_id": "other", "exercise_step": 0.0},
                    text="/resume_flow", intent="resume_flow")
    offer = await run(ActionOfferResume(), later)
    assert "step 3 of 5" in offer.all_text
    resumed = await run(ActionResumeFlow(), later)
    assert resumed.slot("exercise_id") == "box_breathing"
    assert resumed.slot("exercise_step") == 2.0
    assert resumed.slot("flow_paused") is False
    assert resumed.of_type("followup") == [{"event": "followup", "timestamp": None,
                                             "name": "exercise_form"}]


async def test_resume_with_nothing_paused_says_so(store):
    outcome = await run(ActionResumeFlow(), tracker("fresh", text="resume", intent="resume_flow"))
    assert outcome.texts == variants("resume.nothing")
    assert not outcome.of_type("followup")


async def test_another_flow_pauses_the_one_it_interrupts(store):
    state = tracker("exercise_form", text="i slipped", intent="relapsed_contact")
    events = pause_events(state, starting="relapse_form")
    assert {e["name"] for e in events} == {"paused_flow", "flow_paused"}
    assert pause_events(state, starting="exercise_form") == []


async def test_not_now_ends_the_active_flow(store):
    outcome = await run(ActionNotNow(), tracker("exercise_form", text="/not_now", intent="not_now"))
    assert any(e.get("event") == "active_loop" and e.get("name") is None for e in outcome.events)
    assert outcome.texts[0] in variants("resume.not_now")


def test_fresh_text_never_repeats_the_last_wording_for_a_person():
    key = "craving.ask_urge_before"
    wordings = variants(key)
    assert len(wordings) >= 3
    for shown in wordings:
        state = with_events(tracker("fresh"), {"event": "bot", "text": shown})
        for _ in range(20):
            assert common.fresh_text(state, key) != shown
