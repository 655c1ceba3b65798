"""Sleepless nights: local time from the store or the person (asked once), a wind-down."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from actions import common
from actions.exercise import ActionAskExerciseDone, ValidateExerciseForm
from actions.night import ActionNightStart
from bot.content.library import load_library
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"
# 01:30 UTC: 2:30 a.m. in Berlin, 8:30 p.m. in New York.
NOW = datetime(2024, 1, 15, 1, 30, tzinfo=timezone.utc)


@pytest.fixture(autouse=True)
def fixed_time(monkeypatch):
    monkeypatch.setattr(common, "now_utc", lambda: NOW)




async def test_a_known_timezone_speaks_to_the_night(store):
    store.set_timezone(USER, "Europe/Berlin")
    outcome = await run(ActionNightStart(), tracker("fresh"))
    assert outcome.texts[0] in variants("night.opener_night", time="2:30 a.m.")
    assert LIB.exercise(outcome.slot("exercise_id")).kind == "wind_down"
    assert outcome.slot("exercise_prelude") is None
    assert outcome.slot("timezone") == "Europe/Berlin"


async def test_evening_wording(store):
    outcome = await run(
        ActionNightStart(), tracker("fresh", slots={"timezone": "America/New_York"})
    )
    assert outcome.texts == [LIB.text("night.opener_evening", time="8:30 p.m.")]


async def test_the_country_is_enough_for_single_zone_countries(store):
    outcome = await run(ActionNightStart(), tracker("fresh", slots={"country": "GB"}))
    assert outcome.texts[0] in variants("night.opener_night", time="1:30 a.m.")


async def test_an_unknown_timezone_is_asked_once(store):
    outcome = await run(ActionNightStart(), tracker("fresh"))
    assert outcome.messages == []
    assert outcome.slot("exercise_prelude") == "local_time"
    assert outcome.slot("timezone_asked") is True

    slots = {"exercise_id": "worry_parking", "exercise_step": 0.0, "exercise_prelude": "local_time"}
    asked = await run(ActionAskExerciseDone(), tracker("exercise_form", slots=slots))
    assert asked.texts == [LIB.text("night.ask_time")]

    again = await run(ActionNightStart(), tracker("fresh", slots={"timezone_asked": True}))
    assert again.slot("exercise_prelude") is None
    assert again.texts == [LIB.text("night.opener_unknown")]


async def test_the_answer_is_remembered_and_the_exercise_begins(store):
    slots = {"exercise_id": "worry_parking", "exercise_step": 0.0, "exercise_prelude": "local_time"}
    state = tracker(
        "exercise_form",
        slots=slots,
        text="its 2:30 am",
        intent="inform_urge_level",
        candidate=("exercise_done", "its 2:30 am"),
    )
    outcome = await run(ValidateExerciseForm(), state)
    assert outcome.texts == [
        LIB.text("night.time_saved", time="2:30 a.m."),
        LIB.text("night.lead_night"),
    ]
    assert outcome.slot("exercise_prelude") is None
    assert outcome.slot("exercise_step", "unchanged") == "unchanged"  # step 1 comes next
    assert store.get_timezone(USER) == outcome.slot("timezone") == "Etc/GMT-1"


async def test_an_unreadable_answer_moves_on_without_asking_again(store):
    slots = {"exercise_id": "worry_parking", "exercise_prelude": "local_time"}
    state = tracker(
        "exercise_form",
        slots=slots,
        text="no clue",
        intent="deny",
        candidate=("exercise_done", "no clue"),
    )
    outcome = await run(ValidateExerciseForm(), state)
    assert outcome.texts == [
        LIB.text("night.time_not_understood"),
        LIB.text("night.opener_unknown"),
    ]
    assert outcome.slot("exercise_prelude") is None
    assert store.get_timezone(USER) is None


async def test_a_down_store_says_the_timezone_was_not_saved(broken_store):
    slots = {"exercise_id": "worry_parking", "exercise_prelude": "local_time"}
    state = tracker(
        "exercise_form",
        slots=slots,
        text="10:30pm",
        intent="inform_urge_level",
        candidate=("exercise_done", "10:30pm"),
    )
    outcome = await run(ValidateExerciseForm(), state)
    assert LIB.text("night.time_not_saved") in outcome.texts
    # Still used for tonight, even though it couldn't be stored.
    assert outcome.slot("timezone") == "Etc/GMT+3"


async def test_the_time_is_echoed_as_they_said_it(store, monkeypatch):
    # 19:22 UTC and "2:30am": the zone rounds to UTC+7, the echo keeps their 2:30.
    monkeypatch.setattr(
        common, "now_utc", lambda: datetime(2024, 1, 15, 19, 22, tzinfo=timezone.utc)
    )
    slots = {"exercise_id": "worry_parking", "exercise_prelude": "local_time"}
    state = tracker(
        "exercise_form",
        slots=slots,
        text="its 2:30am",
        intent="inform_urge_level",
        candidate=("exercise_done", "its 2:30am"),
    )
    outcome = await run(ValidateExerciseForm(), state)
    assert outcome.texts[0] == LIB.text("night.time_saved", time="2:30 a.m.")
    assert outcome.slot("timezone") == "Etc/GMT-7"


async def test_skip_moves_on_quietly(store):
    slots = {"exercise_id": "worry_parking", "exercise_prelude": "local_time"}
    state = tracker(
        "exercise_form",
        slots=slots,
        text="/next_step",
        intent="next_step",
        candidate=("exercise_done", "/next_step"),
    )
    outcome = await run(ValidateExerciseForm(), state)
    assert outcome.texts == [LIB.text("night.opener_unknown")]
    assert outcome.slot("exercise_prelude") is None


async def test_the_page_s_timezone_is_used_without_asking_and_remembered(store):
    state = tracker("fresh", text="can't sleep", intent="cant_sleep")
    state.events[-1]["metadata"] = {"timezone": "Europe/Berlin"}
    outcome = await run(ActionNightStart(), state)
    assert outcome.texts[0] in variants("night.opener_night", time="2:30 a.m.")
    assert outcome.slot("exercise_prelude") is None  # not asked
    assert outcome.slot("timezone") == "Europe/Berlin"
    assert store.get_timezone(USER) == "Europe/Berlin"


async def test_a_nonsense_page_timezone_is_ignored(store):
    state = tracker("fresh", text="can't sleep", intent="cant_sleep")
    state.events[-1]["metadata"] = {"timezone": "Not/AZone"}
    outcome = await run(ActionNightStart(), state)
    assert outcome.slot("exercise_prelude") == "local_time"  # asked once, as before
