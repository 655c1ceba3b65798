"""Short explanations of what the nervous system is doing, then a practice.

The first answer is a topic's ``short`` layer with "Tell me more" and "Try it" buttons;
``tell_me_more`` gives the ``more`` layer (or, with a ``topic`` entity for another
topic, that topic's short answer).
"""

from __future__ import annotations

from typing import Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.library import Exercise, Topic, UnknownContentId
from bot.content.selection import pick_exercise
from bot.content.walkthrough import button
from bot.reading.answers import entity_value


def practice_for(topic: Topic, last_id: Optional[str]) -> Exercise:
    """The topic's practice — or another of its kind if the person just did that one."""
    lib = common.library()
    suggested = lib.exercise(topic.next_step)
    if suggested.id != last_id:
        return suggested
    return pick_exercise(lib.exercises_of(suggested.kind), last_id, rng=common.RNG)


def practice_button(exercise: Exercise) -> Dict[str, str]:
    """A button that starts ``exercise``."""
    return button(
        common.text("button.practice", title=exercise.title),
        common.payload("start_exercise", exercise=exercise.id),
    )


def more_button(topic: Topic) -> Dict[str, str]:
    """A "Tell me more" button for ``topic``."""
    return button(
        common.text("button.tell_me_more"), common.payload("tell_me_more", topic=topic.id)
    )


def send_short(dispatcher: CollectingDispatcher, tracker: Tracker, topic: Topic) -> List[EventType]:
    """Sends a topic's short layer with "Tell me more" and its practice."""
    practice = practice_for(topic, common.last_exercise_id(tracker))
    buttons = [more_button(topic), practice_button(practice)]
    dispatcher.utter_message(text=topic.short, buttons=buttons)
    return [SlotSet("topic_id", topic.id)]


class ActionExplain(Action):
    """Answers an explanation intent with the matching topic."""

    def name(self) -> Text:
        """Action name."""
        return "action_explain"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the short answer for the latest intent."""
        lib = common.library()
        try:
            topic = lib.topic_for_intent(common.latest_intent(tracker) or "")
        except UnknownContentId:
            topic = lib.topic("early_wiring")
        return send_short(dispatcher, tracker, topic)


class ActionExplainMore(Action):
    """The "tell me more" layer, then a practice (an exercise, not more reading)."""

    def name(self) -> Text:
        """Action name."""
        return "action_explain_more"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the deeper layer, or asks which topic when none is known."""
        lib = common.library()
        current = tracker.get_slot("topic_id")
        wanted = entity_value(common.latest_entities(tracker), "topic")
        if wanted and wanted in lib.topics and wanted != current:
            return send_short(dispatcher, tracker, lib.topic(wanted))
        if not current or current not in lib.topics:
            dispatcher.utter_message(
                text=common.text("explain.pick_topic"),
                buttons=[
                    button(topic.title, common.payload("tell_me_more", topic=topic.id))
                    for topic in lib.topics.values()
                ],
            )
            return []
        topic = lib.topic(current)
        practice = practice_for(topic, common.last_exercise_id(tracker))
        buttons = [practice_button(practice)]
        if topic.related:
            related = lib.topic(topic.related)
            buttons.append(button(related.title, common.payload("tell_me_more", topic=related.id)))
        dispatcher.utter_message(text=topic.more, buttons=buttons)
        return []
