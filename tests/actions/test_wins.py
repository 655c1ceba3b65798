"""A win is celebrated with the streak (or the count starts)."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from actions.wins import ActionShareStreak
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
