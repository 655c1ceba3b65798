"""Wins and the no-contact count.

The celebration itself is ``utter_share_win``; ``action_share_streak`` follows it with the
count. A win that says the count ("day 30 no contact", "3 weeks today", "it's been 12
days") sets it to what the person said; only when Harbor counted something else does it ask
first. "how many days?" gets the count and the longest stretch (``action_tell_streak``).
"""

from __future__ import annotations

from datetime import timedelta
from typing import List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.walkthrough import button
from bot.reading.answers import day_count_from
from bot.store import service
from bot.store.service import StreakInfo

CLAIM_SLOT = "streak_claim"


def _streak_line(streak: StreakInfo) -> str:
    if streak.current_days == 0:
        line = common.text("win.day_one")
    else:
        line = common.text("win.streak", current=common.days(streak.current_days))
    if streak.longest_days > streak.current_days:
        line += " " + common.text("win.longest", longest=common.days(streak.longest_days))
    return line


def set_count(sender_id: str, count: int) -> Optional[StreakInfo]:
    """Starts the count ``count`` days ago; None when the store is down."""
    started = common.now_utc() - timedelta(days=count)
    ok, streak = common.store_call(service.start_no_contact, sender_id, started)
    return streak if ok else None


class ActionShareStreak(Action):
    """Shows the no-contact streak (and the longest), or starts counting from today."""

    def name(self) -> Text:
        """Action name."""
        return "action_share_streak"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the streak line; sets the count the person gave (asks on a conflict)."""
        said = day_count_from(common.latest_text(tracker))
        ok, streak = common.store_call(service.get_streak, tracker.sender_id)
        if not ok:
            dispatcher.utter_message(text=common.text("win.unavailable"))
            return []
        if said is not None:
            return self._claimed(dispatcher, tracker, streak, said)
        if streak.started_at is None:
            ok, streak = common.store_call(service.start_no_contact, tracker.sender_id)
            if ok:
                dispatcher.utter_message(text=common.text("win.started"))
                return []
            dispatcher.utter_message(text=common.text("win.unavailable"))
            return []
        dispatcher.utter_message(text=_streak_line(streak))
        return []

    @staticmethod
    def _claimed(
        dispatcher: CollectingDispatcher, tracker: Tracker, streak: StreakInfo, said: int
    ) -> List[EventType]:
        known = streak.current_days
        if streak.started_at is not None and known not in (said, said - 1, 0):
            dispatcher.utter_message(
                text=common.text(
                    "streak.conflict", known=common.days(known), said=common.days(said)
                ),
                buttons=[
                    button(common.text("button.change_count", said=common.days(said)), "/affirm"),
                    button(common.text("button.keep_count", known=common.days(known)), "/deny"),
                ],
            )
            return [SlotSet(CLAIM_SLOT, said)]
        updated = set_count(tracker.sender_id, said)
        if updated is None:
            dispatcher.utter_message(text=common.text("win.unavailable"))
            return []
        dispatcher.utter_message(text=common.text("streak.set", current=said))
        return []


class ActionStreakAnswer(Action):
    """The answer to "should I change your count to 30?"."""

    def name(self) -> Text:
        """Action name."""
        return "action_streak_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Changes the count on yes, keeps it on no; without a question pending, moves on."""
        said = tracker.get_slot(CLAIM_SLOT)
        if said is None:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if common.latest_intent(tracker) == "affirm":
            updated = set_count(tracker.sender_id, int(said))
            if updated is None:
                dispatcher.utter_message(text=common.text("win.unavailable"))
            else:
                current = common.days(updated.current_days)
                dispatcher.utter_message(text=common.text("streak.changed", current=current))
        else:
            ok, streak = common.store_call(service.get_streak, tracker.sender_id)
            current = common.days(streak.current_days) if ok else ""
            dispatcher.utter_message(
                text=common.text("streak.kept", current=current) if ok else _unavailable()
            )
        return [SlotSet(CLAIM_SLOT, None)]


def _unavailable() -> str:
    return common.text("win.unavailable")


class ActionTellStreak(Action):
    """"How many days have I been no contact?": the count and the longest stretch."""

    def name(self) -> Text:
        """Action name."""
        return "action_tell_streak"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the count, or how to start one."""
        ok, streak = common.store_call(service.get_streak, tracker.sender_id)
        if not ok:
            dispatcher.utter_message(text=_unavailable())
        elif streak.started_at is None:
            dispatcher.utter_message(text=common.text("streak.none"))
        else:
            line = common.text("streak.status", current=common.days(streak.current_days))
            longest = max(streak.longest_days, streak.current_days)
            line += " " + common.text("streak.status_longest", longest=common.days(longest))
            dispatcher.utter_message(text=line)
        return []
