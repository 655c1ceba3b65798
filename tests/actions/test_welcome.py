"""Welcome back: one line of what matters for someone returning, never what they wrote."""

from __future__ import annotations

import time
from datetime import timedelta

from actions.welcome import ActionWelcomeBack
from bot.content.library import load_library
from bot.store.models import utcnow
from tests.fixtures.trackers import run, tracker

LIB = load_library()
USER = "fixture-user"


def greeting(previous_seconds_ago=None):
    state = tracker("fresh", text="hey", intent="greet")
    now = time.time()
    state.events[-1]["timestamp"] = now
    if previous_seconds_ago is not None:
        earlier = {"event": "user", "text": "earlier", "timestamp": now - previous_seconds_ago}
        state.events.insert(len(state.events) - 1, earlier)
    return state


async def test_someone_new_gets_the_introduction(store):
    outcome = await run(ActionWelcomeBack(), greeting())
    assert outcome.responses == ["utter_greet"]


async def test_a_returning_person_hears_their_days_and_what_helped(store):
    store.start_no_contact(USER, utcnow() - timedelta(days=12, hours=1))
    store.log_craving(USER, 8, "box_breathing", 4)
    store.add_vault_entry(USER, "marigold 7f3a", revisit_after_hours=0)
    outcome = await run(ActionWelcomeBack(), greeting(previous_seconds_ago=3 * 86400))
    [line] = outcome.texts
    assert line.startswith(
        LIB.text(
            "welcome.streak_and_last",
            days="12 days",
            tool=LIB.exercise("box_breathing").label,
            before=8,
            after=4,
        )
    )
    assert "marigold" not in line and "7f3a" not in line
    assert "/show_progress" in [b["payload"] for b in outcome.buttons]


async def test_only_the_streak_when_the_last_craving_did_not_ease(store):
    store.start_no_contact(USER, utcnow() - timedelta(days=3, hours=1))
    store.log_craving(USER, 6, "reasons", 7)
    outcome = await run(ActionWelcomeBack(), greeting())
    assert outcome.texts[0].startswith(LIB.text("welcome.streak", days="3 days"))


async def test_a_streak_started_today_is_a_plain_welcome(store):
    store.start_no_contact(USER)
    outcome = await run(ActionWelcomeBack(), greeting())
    assert outcome.texts[0].startswith(LIB.text("welcome.plain"))


async def test_a_greeting_mid_conversation_is_not_a_welcome_back(store):
    store.start_no_contact(USER)
    outcome = await run(ActionWelcomeBack(), greeting(previous_seconds_ago=60))
    assert outcome.responses == ["utter_greet"]


async def test_a_down_store_still_greets(broken_store):
    outcome = await run(ActionWelcomeBack(), greeting())
    assert outcome.responses == ["utter_greet"]
