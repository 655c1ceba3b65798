"""Celebrating a win (the celebration itself is ``utter_share_win``) with the streak."""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.store import service


class ActionShareStreak(Action):
    """Shows the no-contact streak (and the longest), or starts counting from today."""

    def name(self) -> Text:
        """Action name."""
        return "action_share_streak"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the streak line."""
        ok, streak = common.store_call(service.get_streak, tracker.sender_id)
        if ok and streak.started_at is None:
            ok, streak = common.store_call(service.start_no_contact, tracker.sender_id)
            if ok:
                dispatcher.utter_message(text=common.text("win.started"))
                return []
        if not ok:
            dispatcher.utter_message(text=common.text("win.unavailable"))
            return []
        if streak.current_days == 0:
            line = common.text("win.day_one")
        else:
            line = common.text("win.streak", current=common.days(streak.current_days))
        if streak.longest_days > streak.current_days:
            line += " " + common.text("win.longest", longest=common.days(streak.longest_days))
        dispatcher.utter_message(text=line)
        return []
