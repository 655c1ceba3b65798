"""A win is celebrated with the streak (or the count starts)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from actions.wins import ActionShareStreak, ActionStreakAnswer, ActionTellStreak
from bot.content.library import load_library
from tests.fixtures.trackers import run, tracker

LIB = load_library()
USER = "fixture-user"




async def test_the_first_win_starts_the_count(store):
    outcome = await run(ActionShareStreak(), tracker("fresh"))
    assert outcome.texts == [LIB.text("win.started")]
    assert store.get_streak(USER).started_at is not None


async def test_the_streak_and_the_longest_are_shown(store):
    now = datetime.now(timezone.utc)
    store.start_no_contact(USER, now - timedelta(days=20, hours=1))
    store.record_slip(USER)
    store.start_no_contact(USER, now - timedelta(days=5, hours=1))
    outcome = await run(ActionShareStreak(), tracker("fresh"))
    assert outcome.texts == ["That's 5 days of no contact. Your longest stretch so far: 20 days."]


async def test_one_day(store):
    store.start_no_contact(USER, datetime.now(timezone.utc) - timedelta(days=1, hours=1))
    outcome = await run(ActionShareStreak(), tracker("fresh"))
    assert outcome.texts == ["That's 1 day of no contact."]


async def test_a_down_store_still_celebrates(broken_store):
    outcome = await run(ActionShareStreak(), tracker("fresh"))
    assert outcome.texts == [LIB.text("win.unavailable")]


async def test_a_win_on_the_first_day_after_a_slip(store):
    store.record_slip(USER)
    outcome = await run(ActionShareStreak(), tracker("fresh"))
    assert outcome.texts == [LIB.text("win.day_one")]


async def test_a_win_with_a_count_sets_it(store):
    state = tracker("fresh", text="day 30 no contact today!!", intent="share_win")
    outcome = await run(ActionShareStreak(), state)
    assert "30" in outcome.all_text
    assert store.get_streak(USER).current_days == 30


async def test_weeks_are_counted_in_days(store):
    state = tracker("fresh", text="3 weeks no contact today", intent="share_win")
    await run(ActionShareStreak(), state)
    assert store.get_streak(USER).current_days == 21


async def test_a_count_that_conflicts_is_asked_about_first(store):
    store.start_no_contact(USER, datetime.now(timezone.utc) - timedelta(days=10, hours=1))
    state = tracker("fresh", text="it's been 12 days", intent="share_win")
    outcome = await run(ActionShareStreak(), state)
    assert "Should I change it to 12 days?" in outcome.all_text
    assert outcome.slot("streak_claim") == 12
    assert store.get_streak(USER).current_days == 10

    yes = tracker("fresh", slots={"streak_claim": 12}, text="/affirm", intent="affirm")
    answer = await run(ActionStreakAnswer(), yes)
    assert "12 days" in answer.all_text
    assert store.get_streak(USER).current_days == 12

    no = tracker("fresh", slots={"streak_claim": 30}, text="no", intent="deny")
    kept = await run(ActionStreakAnswer(), no)
    assert "12 days" in kept.all_text
    assert store.get_streak(USER).current_days == 12


async def test_how_many_days_gives_the_count_and_the_longest(store):
    now = datetime.now(timezone.utc)
    store.start_no_contact(USER, now - timedelta(days=20, hours=1))
    store.record_slip(USER)
    store.start_no_contact(USER, now - timedelta(days=4, hours=1))
    outcome = await run(ActionTellStreak(), tracker("fresh", text="how many days?"))
    assert outcome.texts == ["You're on 4 days of no contact. Your longest stretch: 20 days."]


async def test_how_many_days_before_any_count(store):
    outcome = await run(ActionTellStreak(), tracker("fresh", text="how many days?"))
    assert outcome.texts == [LIB.text("streak.none")]
