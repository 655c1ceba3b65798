"""Sleepless nights: a wind-down exercise that knows what time it is for the person.

The timezone comes from the conversation, then the store, then a single-timezone
country; if none is known, the person is asked once ("what time is it for you?") and
the answer is remembered.
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common, interruptions
from bot.content import clock
from bot.content.parsing import is_payload
from bot.content.selection import pick_exercise
from bot.content.walkthrough import NEXT_PAYLOAD, button
from bot.store import service

PRELUDE = "local_time"


def known_timezone(tracker: Tracker) -> Optional[str]:
    """The person's timezone from the slot, the store or their country; None if unknown."""
    remembered = tracker.get_slot("timezone")
    if remembered and clock.local_now(remembered):
        return remembered
    _, stored = common.store_call(service.get_timezone, tracker.sender_id)
    if stored and clock.local_now(stored):
        return stored
    return clock.timezone_for_country(tracker.get_slot("country"))


def opener(tz_name: Optional[str], say_time: bool = True) -> str:
    """The first line, spoken to the person's local time when it is known."""
    local = clock.local_now(tz_name, common.now_utc())
    if local is None:
        return common.text("night.opener_unknown")
    part = clock.part_of_day(local)
    if not say_time:
        return common.text(f"night.lead_{part}")
    return common.text(f"night.opener_{part}", time=clock.spoken_time(local))


def ask_local_time(dispatcher: CollectingDispatcher) -> None:
    """Asks once for the local time (a "Skip" button moves straight on)."""
    dispatcher.utter_message(
        text=common.text("night.ask_time"),
        buttons=[
            button(common.text("button.skip"), NEXT_PAYLOAD),
            button(common.text("button.stop"), "/stop"),
        ],
    )


def answer_local_time(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
    """Reads the reply to "what time is it for you?", remembers the timezone, opens.

    Returns:
        Slot values to set (``timezone`` when one was found).
    """
    reply = common.latest_text(tracker)
    if is_payload(reply):  # "Skip"
        dispatcher.utter_message(text=opener(None))
        return {}
    tz_name = clock.timezone_from_reply(reply, common.now_utc())
    if tz_name is None:
        dispatcher.utter_message(text=common.text("night.time_not_understood"))
        dispatcher.utter_message(text=opener(None))
        return {}
    # Echo the time as they said it: the zone is rounded to the hour, their clock isn't.
    local = clock.local_now(tz_name, common.now_utc())
    said = clock.spoken_reply_time(reply, local)
    dispatcher.utter_message(text=common.text("night.time_saved", time=said))
    saved, _ = common.store_call(service.set_timezone, tracker.sender_id, tz_name)
    if not saved:
        dispatcher.utter_message(text=common.text("night.time_not_saved"))
    dispatcher.utter_message(text=opener(tz_name, say_time=False))
    return {"timezone": tz_name}


class ActionNightStart(Action):
    """Opens a sleepless night: local-time line (or the one-time question), wind-down."""

    def name(self) -> Text:
        """Action name."""
        return "action_night_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Returns the events that start a wind-down exercise (``exercise_form`` follows)."""
        lib = common.library()
        last = common.last_exercise_id(tracker)
        exercise = pick_exercise(lib.exercises_of("wind_down"), last, rng=common.RNG)
        events: List[EventType] = []
        tz_name = known_timezone(tracker)
        prelude = None
        if tz_name:
            events.append(SlotSet("timezone", tz_name))
            dispatcher.utter_message(text=opener(tz_name))
        elif not tracker.get_slot("timezone_asked"):
            prelude = PRELUDE
            events.append(SlotSet("timezone_asked", True))
        else:
            dispatcher.utter_message(text=opener(None))
        paused = interruptions.pause_events(tracker, "exercise_form")
        return (
            paused
            + common.fresh_form_events()
            + events
            + common.exercise_start_events(exercise, prelude)
        )
