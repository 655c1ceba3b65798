"""The craving flow's actions: rating, choosing, the tools, re-rating, reflecting, logging."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions import common
from actions.craving import (
    ActionAskCravingChoice,
    ActionAskCravingToolDone,
    ActionAskUrgeAfter,
    ActionAskUrgeBefore,
    ActionCravingReflect,
    ActionCravingStart,
    ActionUrgeCheckin,
    ValidateCravingForm,
)
from bot.content.library import load_library
from bot.reading.daytime import is_daytime
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"




def answer(slot, text, intent="inform_urge_level", entities=None, slots=None):
    """The tracker the validation action sees after the person answers ``slot``."""
    return tracker(
        "craving_form",
        slots={"requested_slot": slot, **(slots or {})},
        text=text,
        intent=intent,
        entities=entities,
        candidate=(slot, text),
    )


# --- the urge question --------------------------------------------------------------------


async def test_the_urge_question_has_a_button_per_number(store):
    # At activation the form asks before requested_slot names this slot.
    outcome = await run(
        ActionAskUrgeBefore(), tracker("craving_form", slots={"requested_slot": None})
    )
    assert outcome.texts[0] in variants("craving.ask_urge_before")
    assert [b["title"] for b in outcome.buttons] == [str(n) for n in range(11)]
    assert outcome.buttons[8]["payload"] == '/inform_urge_level{"number": 8}'


@pytest.mark.parametrize(
    "text, entities, expected",
    [
        ("8", [{"entity": "number", "value": 8}], 8),
        ("like a 7", [], 7),
        ("eight", [], 8),
        ('/inform_urge_level{"number": 3}', [{"entity": "number", "value": 3}], 3),
    ],
)
async def test_ratings_in_any_form_are_understood(store, text, entities, expected):
    outcome = await run(ValidateCravingForm(), answer("urge_before", text, entities=entities))
    assert outcome.slot("urge_before") == expected
    assert outcome.messages == []


async def test_an_unexpected_answer_gets_a_gentle_retry_then_is_skipped(store):
    first = await run(
        ValidateCravingForm(), answer("urge_before", "why do you ask", "out_of_scope")
    )
    assert first.slot("urge_before") is None
    assert first.texts[0] in variants("craving.urge_not_understood")
    # The form then asks again, shorter, with the buttons.
    again = await run(ActionAskUrgeBefore(), tracker("craving_form"))
    assert again.texts[0] in variants("craving.ask_urge_again")
    assert len(again.buttons) == 11

    second = await run(
        ValidateCravingForm(),
        answer("urge_before", "i dont know", "deny", slots={"urge_misses": 1.0}),
    )
    assert second.slot("urge_before") == "skipped"
    assert second.texts == [LIB.text("craving.urge_skipped")]


async def test_a_reminder_is_not_an_answer(store):
    outcome = await run(
        ValidateCravingForm(),
        answer("urge_before", "EXTERNAL: EXTERNAL_urge_checkin", "EXTERNAL_urge_checkin"),
    )
    assert outcome.slot("urge_before") is None
    assert outcome.messages == []
    asked = await run(
        ActionAskUrgeBefore(),
        tracker("craving_form", text="EXTERNAL: x", intent="EXTERNAL_urge_checkin"),
    )
    assert asked.messages == []


# --- choosing a tool ------------------------------------------------------------------------


async def test_the_choice_offers_four_tools(store):
    outcome = await run(
        ActionAskCravingChoice(),
        tracker("craving_form", slots={"urge_before": 8, "requested_slot": "urge_before"}),
    )
    assert outcome.texts == [LIB.text("craving.level_high"), LIB.text("craving.ask_choice")]
    assert [b["title"] for b in outcome.buttons] == [
        "Ride the wave",
        "Ground my body",
        "Write it here instead",
        "Read my reasons",
    ]
    assert outcome.buttons[0]["payload"] == '/choose_option{"option": "urge_surfing"}'


async def test_what_helped_most_is_offered_first(store):
    store.log_craving(USER, 8, "box_breathing", 4)
    store.log_craving(USER, 6, "vault", 5)
    outcome = await run(
        ActionAskCravingChoice(),
        tracker("craving_form", slots={"urge_before": 7, "requested_slot": "craving_choice"}),
    )
    assert outcome.texts == ["Last time box breathing took you from 8 to 4 — want to start there?"]
    assert outcome.buttons[0] == {
        "title": "Box breathing again",
        "payload": '/choose_option{"option": "box_breathing"}',
    }
    assert len(outcome.buttons) == 5


async def test_the_best_one_is_not_offered_right_after_doing_it(store):
    store.log_craving(USER, 8, "box_breathing", 4)
    outcome = await run(
        ActionAskCravingChoice(),
        tracker("craving_form", slots={"urge_before": 7, "last_exercise": "box_breathing"}),
    )
    assert "box breathing" not in outcome.all_text
    assert len(outcome.buttons) == 4


async def test_choosing_grounding_starts_an_exercise_other_than_the_last(store):
    for seed in range(20):
        common.RNG.seed(seed)
        outcome = await run(
            ValidateCravingForm(),
            answer(
                "craving_choice",
                '/choose_option{"option": "grounding"}',
                "choose_option",
                [{"entity": "option", "value": "grounding"}],
                {"last_exercise": "senses_54321"},
            ),
        )
        chosen = outcome.slot("craving_choice")
        assert LIB.exercise(chosen).kind == "grounding"
        assert chosen != "senses_54321"
        assert outcome.slot("exercise_id") == chosen
        assert outcome.slot("exercise_step") == 0.0
        assert outcome.slot("last_exercise") == chosen


async def test_choosing_in_words(store):
    outcome = await run(
        ValidateCravingForm(), answer("craving_choice", "let me ride it out", "choose_option")
    )
    assert outcome.slot("craving_choice") == "urge_surfing"
    assert outcome.slot("exercise_id") == "urge_surfing"
    unclear = await run(ValidateCravingForm(), answer("craving_choice", "hmm", "deny"))
    assert unclear.slot("craving_choice") is None
    assert unclear.texts == [LIB.text("craving.choice_not_understood")]


# --- the tools ------------------------------------------------------------------------------


async def test_riding_the_wave_one_step_per_message(store):
    surfing = LIB.exercise("urge_surfing")
    slots = {"craving_choice": "urge_surfing", "exercise_id": "urge_surfing", "exercise_step": 0.0}
    first = await run(
        ActionAskCravingToolDone(),
        tracker("craving_form", slots={**slots, "requested_slot": "craving_choice"}),
    )
    assert first.texts == [surfing.intro, f"(1/5) {surfing.steps[0]}"]
    assert [b["payload"] for b in first.buttons] == ["/next_step", "/stop"]

    step = await run(
        ValidateCravingForm(),
        answer("craving_tool_done", "ok", "affirm", slots=slots),
    )
    assert step.slot("exercise_step") == 1.0
    assert step.slot("craving_tool_done") is None

    last = {**slots, "exercise_step": 4.0}
    done = await run(
        ValidateCravingForm(), answer("craving_tool_done", "next", "next_step", slots=last)
    )
    assert done.slot("craving_tool_done") is True


async def test_after_the_wave_a_check_in_is_scheduled(store, monkeypatch):
    monkeypatch.setenv("HARBOR_CHECKIN_SECONDS", "5")
    state = tracker(
        "craving_form",
        slots={"craving_choice": "urge_surfing", "requested_slot": "craving_tool_done"},
    )
    before = datetime.now(timezone.utc)
    outcome = await run(ActionAskUrgeAfter(), state)
    after = datetime.now(timezone.utc)
    assert outcome.texts[0] == LIB.exercise("urge_surfing").outro
    assert outcome.texts[1] == LIB.text("craving.surf_waiting", when="in a few moments")
    [scheduled] = outcome.of_type("reminder")
    assert scheduled["intent"] == "EXTERNAL_urge_checkin"
    assert scheduled["kill_on_user_msg"] is False
    when = datetime.fromisoformat(scheduled["date_time"])
    assert before + timedelta(seconds=5) <= when <= after + timedelta(seconds=5)
    assert outcome.slot("checkin_scheduled") is True


async def test_the_default_check_in_is_ten_minutes(store, monkeypatch):
    monkeypatch.delenv("HARBOR_CHECKIN_SECONDS", raising=False)
    outcome = await run(
        ActionAskUrgeAfter(), tracker("craving_form", slots={"craving_choice": "urge_surfing"})
    )
    assert "I'll check in with you in 10 minutes" in outcome.all_text


async def test_the_check_in_asks_how_strong_it_is_now(store):
    state = tracker(
        "craving_form",
        slots={
            "craving_choice": "urge_surfing",
            "checkin_scheduled": True,
            "requested_slot": "urge_after",
        },
        text="EXTERNAL: EXTERNAL_urge_checkin",
        intent="EXTERNAL_urge_checkin",
    )
    outcome = await run(ActionAskUrgeAfter(), state)
    assert outcome.texts == [LIB.text("craving.checkin")]
    assert len(outcome.buttons) == 11
    assert outcome.of_type("reminder") == []


async def test_writing_it_here_keeps_it_in_the_vault(store, monkeypatch):
    monkeypatch.setenv("HARBOR_VAULT_REVISIT_HOURS", "24")
    prompt = await run(
        ActionAskCravingToolDone(), tracker("craving_form", slots={"craving_choice": "vault"})
    )
    assert prompt.texts == [LIB.text("craving.vault_prompt")]

    message = "i miss you so much, can we talk"
    outcome = await run(
        ValidateCravingForm(),
        answer("craving_tool_done", message, "craving_contact", slots={"craving_choice": "vault"}),
    )
    assert outcome.texts == [LIB.text("craving.vault_saved")]
    assert outcome.slot("craving_tool_done") is True
    [scheduled] = outcome.of_type("reminder")
    assert scheduled["intent"] == "EXTERNAL_vault_revisit"
    assert store.due_vault_entries(USER) == []
    later = datetime.now(timezone.utc) + timedelta(hours=25)
    assert [entry.text for entry in store.due_vault_entries(USER, later)] == [message]


async def test_an_empty_vault_message_is_asked_again(store):
    outcome = await run(
        ValidateCravingForm(),
        answer("craving_tool_done", "/next_step", "next_step", slots={"craving_choice": "vault"}),
    )
    assert outcome.slot("craving_tool_done") is None
    assert outcome.texts == [LIB.text("craving.vault_empty")]


async def test_a_down_store_says_the_message_was_not_kept(broken_store):
    outcome = await run(
        ValidateCravingForm(),
        answer(
            "craving_tool_done",
            "please answer me",
            "craving_contact",
            slots={"craving_choice": "vault"},
        ),
    )
    assert outcome.texts == [LIB.text("craving.vault_not_saved")]
    assert outcome.slot("craving_tool_done") is True
    assert outcome.of_type("reminder") == []


async def test_reasons_start_a_list_then_show_it(store):
    empty = await run(
        ActionAskCravingToolDone(), tracker("craving_form", slots={"craving_choice": "reasons"})
    )
    assert empty.texts == [LIB.text("craving.reasons_none")]

    added = await run(
        ValidateCravingForm(),
        answer(
            "craving_tool_done",
            "he never showed up when i needed him",
            "out_of_scope",
            slots={"craving_choice": "reasons"},
        ),
    )
    assert added.texts == [LIB.text("craving.reason_added")]
    assert store.list_reasons(USER) == ["he never showed up when i needed him"]

    store.add_reason(USER, "i deserve calm")
    listed = await run(
        ActionAskCravingToolDone(), tracker("craving_form", slots={"craving_choice": "reasons"})
    )
    assert "• he never showed up when i needed him\n• i deserve calm" in listed.all_text
    assert listed.buttons == [{"title": "I've read them", "payload": "/next_step"}]

    read = await run(
        ValidateCravingForm(),
        answer("craving_tool_done", "/next_step", "next_step", slots={"craving_choice": "reasons"}),
    )
    assert read.slot("craving_tool_done") is True
    assert read.messages == []
    assert len(store.list_reasons(USER)) == 2


async def test_reasons_when_the_store_is_down(broken_store):
    outcome = await run(
        ActionAskCravingToolDone(), tracker("craving_form", slots={"craving_choice": "reasons"})
    )
    assert outcome.texts == [LIB.text("craving.reasons_unavailable")]
    saved = await run(
        ValidateCravingForm(),
        answer(
            "craving_tool_done", "i want peace", "out_of_scope", slots={"craving_choice": "reasons"}
        ),
    )
    assert saved.texts == [LIB.text("craving.reason_not_saved")]
    assert saved.slot("craving_tool_done") is True


# --- re-rating and reflecting ---------------------------------------------------------------


async def test_reflecting_a_drop_and_remembering_it(store):
    state = tracker(
        "fresh",
        slots={"urge_before": 8, "urge_after": 4, "craving_choice": "box_breathing"},
    )
    outcome = await run(ActionCravingReflect(), state)
    assert outcome.texts[0] in variants("craving.reflect_down", before=8, after=4)
    assert len(outcome.texts) == 1
    assert store.best_tool(USER) == ("box_breathing", 8, 4)
    assert store.last_exercise(USER) == "box_breathing"
    assert outcome.slot("urge_before") is None and outcome.slot("craving_choice") is None
    assert outcome.of_type("cancel_reminder")[0]["name"] == common.CHECKIN_REMINDER


@pytest.mark.parametrize(
    "before, after, key", [(6, 6, "craving.reflect_same"), (5, 9, "craving.reflect_up")]
)
async def test_reflecting_no_drop_kindly(store, before, after, key):
    state = tracker(
        "fresh", slots={"urge_before": before, "urge_after": after, "craving_choice": "vault"}
    )
    outcome = await run(ActionCravingReflect(), state)
    assert outcome.texts == [LIB.text(key, before=before, after=after)]
    assert store.best_tool(USER) is None  # nothing went down


async def test_reflecting_when_the_first_number_was_skipped(store):
    state = tracker(
        "fresh", slots={"urge_before": "skipped", "urge_after": 3, "craving_choice": "urge_surfing"}
    )
    outcome = await run(ActionCravingReflect(), state)
    assert outcome.texts == [LIB.text("craving.reflect_no_before", after=3)]


async def test_a_down_store_still_reflects_and_says_it_wasnt_saved(broken_store):
    state = tracker(
        "fresh", slots={"urge_before": 9, "urge_after": 5, "craving_choice": "urge_surfing"}
    )
    outcome = await run(ActionCravingReflect(), state)
    assert outcome.texts[0] in variants("craving.reflect_down", before=9, after=5)
    assert outcome.texts[1:] == [LIB.text("craving.log_failed")]


async def test_a_new_craving_starts_clean(store):
    state = tracker(
        "fresh", slots={"urge_before": 8, "craving_choice": "vault", "checkin_scheduled": True}
    )
    outcome = await run(ActionCravingStart(), state)
    assert outcome.messages == []
    for slot in ("urge_before", "craving_choice", "craving_tool_done", "urge_after"):
        assert outcome.slot(slot) is None
    assert outcome.of_type("cancel_reminder")[0]["name"] == common.CHECKIN_REMINDER


async def test_a_late_check_in_stays_quiet(store):
    outcome = await run(
        ActionUrgeCheckin(), tracker("fresh", text="EXTERNAL", intent="EXTERNAL_urge_checkin")
    )
    assert outcome.messages == []


async def test_words_while_waiting_for_the_check_in_are_company_not_a_miss(store):
    slots = {"craving_choice": "urge_surfing", "checkin_scheduled": True, "urge_misses": 1.0}
    outcome = await run(ValidateCravingForm(), answer("urge_after", "ok", "affirm", slots=slots))
    assert outcome.slot("urge_after") is None
    assert outcome.slot("urge_misses", "untouched") == "untouched"
    assert outcome.texts[0] in variants("craving.surf_company")
    asked_again = await run(
        ActionAskUrgeAfter(),
        tracker(
            "craving_form",
            slots={**slots, "requested_slot": "urge_after"},
            text="ok",
            intent="affirm",
        ),
    )
    assert asked_again.messages == []
    rated = await run(
        ValidateCravingForm(),
        answer("urge_after", "4", "inform_urge_level", [{"entity": "number", "value": 4}], slots),
    )
    assert rated.slot("urge_after") == 4


async def test_choosing_never_ends_the_form_early(store):
    # A validation that set requested_slot to None would end craving_form at once.
    outcome = await run(
        ValidateCravingForm(),
        answer(
            "craving_choice",
            "/choose_option",
            "choose_option",
            [{"entity": "option", "value": "grounding"}],
        ),
    )
    assert outcome.slot("requested_slot") == "<unset>"


async def test_a_kept_message_comes_back_the_next_day_in_daytime_where_they_are(store):
    state = answer(
        "craving_tool_done", "marigold 7f3a", "craving_contact", slots={"craving_choice": "vault"}
    )
    [said] = [event for event in state.events if event.get("event") == "user"][-1:]
    said["metadata"] = {"timezone": "America/Los_Angeles"}  # the page sends it with the message
    outcome = await run(ValidateCravingForm(), state)
    [scheduled] = outcome.of_type("reminder")
    when = datetime.fromisoformat(scheduled["date_time"])
    assert is_daytime(when, "America/Los_Angeles")
    assert when - datetime.now(timezone.utc) >= timedelta(hours=common.vault_hours() - 0.01)
    assert store.due_vault_entries(USER, when - timedelta(minutes=1)) == []
    assert len(store.due_vault_entries(USER, when + timedelta(minutes=1))) == 1


async def test_a_finished_craving_offers_the_progress_chart(store):
    state = tracker(
        "fresh", slots={"urge_before": 8, "urge_after": 4, "craving_choice": "urge_surfing"}
    )
    outcome = await run(ActionCravingReflect(), state)
    assert "/show_progress" in [b["payload"] for b in outcome.buttons]
