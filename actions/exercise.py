"""Exercises walked through one step per message: grounding, reparenting, wind-down.

``exercise_form`` has one required slot, ``exercise_done``; every reply advances a step
(free text works as well as the "Next" button) until the last step sets it. "stop" and a
crisis message never reach the form (see the slot mapping in domain/exercise.yml).
"""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common, interruptions
from actions.interruptions import STEP, FlowValidation
from actions.night import answer_local_time, ask_local_time
from bot.content.library import Exercise, UnknownContentId
from bot.content.parsing import entity_value
from bot.content.selection import best_offer, pick_exercise
from bot.content.walkthrough import button, next_index, step_reply
from bot.store import service

# The intent that offers "another one" of the same kind.
ANOTHER = {
    "grounding": "request_grounding",
    "urge_surfing": "request_grounding",
    "reparenting": "feeling_unworthy",
    "wind_down": "cant_sleep",
}


def start(
    dispatcher: CollectingDispatcher,
    exercise: Exercise,
    lead: Optional[str] = None,
    prelude: Optional[str] = None,
    tracker: Optional[Tracker] = None,
) -> List[EventType]:
    """Sends an optional lead line and returns the events that start ``exercise``.

    A flow the exercise interrupts (a craving, a slip) is kept, to be offered back after.
    """
    if lead:
        dispatcher.utter_message(text=lead)
    paused = interruptions.pause_events(tracker, "exercise_form") if tracker else []
    return paused + common.fresh_form_events() + common.exercise_start_events(exercise, prelude)


class ActionStartGrounding(Action):
    """Picks a grounding exercise (the best one first, never the last one) and starts it."""

    def name(self) -> Text:
        """Action name."""
        return "action_start_grounding"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the best-first line, if any; the form then asks the first step."""
        lib = common.library()
        last = common.last_exercise_id(tracker)
        _, best = common.store_call(service.best_tool, tracker.sender_id)
        offer = best_offer(best, last, lib)
        preferred = offer.tool if offer and offer.tool in lib.exercises else None
        options = lib.exercises_of("grounding")
        exercise = pick_exercise(options, last, preferred, common.RNG)
        lead = None
        if preferred and exercise.id == preferred:
            lead = common.text(
                "exercise.best_line", label=exercise.label, before=offer.before, after=offer.after
            )
        return start(dispatcher, exercise, lead, tracker=tracker)


class ActionStartReparenting(Action):
    """Starts an inner-child script, never the same one twice in a row."""

    def name(self) -> Text:
        """Action name."""
        return "action_start_reparenting"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Returns the events that start the script; the form asks its first part."""
        lib = common.library()
        last = common.last_exercise_id(tracker)
        exercise = pick_exercise(lib.exercises_of("reparenting"), last, rng=common.RNG)
        return start(dispatcher, exercise, tracker=tracker)


class ActionStartExercise(Action):
    """Starts the exercise a button named (``/start_exercise{"exercise": "…"}``)."""

    def name(self) -> Text:
        """Action name."""
        return "action_start_exercise"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Starts the named exercise, or a grounding one if the name is missing or unknown."""
        lib = common.library()
        wanted = entity_value(common.latest_entities(tracker), "exercise")
        try:
            exercise = lib.exercise(wanted) if wanted else None
        except UnknownContentId:
            exercise = None
        if exercise is None:
            last = common.last_exercise_id(tracker)
            exercise = pick_exercise(lib.exercises_of("grounding"), last, rng=common.RNG)
        return start(dispatcher, exercise, tracker=tracker)


class ActionAskExerciseDone(Action):
    """Asks the current step (or the question before the first step)."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_exercise_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends one step with "Next"/"Stop"; stays quiet when a reminder woke the form."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "exercise_done"):
            return []
        if tracker.get_slot("exercise_prelude") == "local_time":
            ask_local_time(dispatcher)
            return []
        exercise = common.current_exercise(tracker)
        if exercise is None:
            return [SlotSet("exercise_done", True)]
        step = min(common.step_of(tracker), len(exercise.steps) - 1)
        common.send(dispatcher, step_reply(common.library(), exercise, step))
        return []


class ValidateExerciseForm(FlowValidation):
    """Moves the exercise on by one step per reply."""

    def name(self) -> Text:
        """Action name."""
        return "validate_exercise_form"

    async def validate_exercise_done(
        self,
        value: Any,
        dispatcher: CollectingDispatcher,
        tracker: Tracker,
        domain: DomainDict,
    ) -> Dict[Text, Any]:
        """Advances to the next step; sets ``exercise_done`` after the last one."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {"exercise_done": None}
        exercise = common.current_exercise(tracker)
        about = interruptions.OWN_INTENT.get(exercise.kind) if exercise else None
        if interruptions.means_something_else(tracker, STEP, about=about):
            return interruptions.interrupted("exercise_done")
        if tracker.get_slot("exercise_prelude") == "local_time":
            slots = answer_local_time(dispatcher, tracker)
            return {**slots, "exercise_prelude": None, "exercise_done": None}
        if exercise is None:
            return {"exercise_done": True}
        following = next_index(exercise, common.step_of(tracker))
        if following is None:
            return {"exercise_done": True}
        return {"exercise_done": None, "exercise_step": float(following)}


class ActionExerciseFinish(Action):
    """Closes an exercise: its last words, then "did that help?"."""

    def name(self) -> Text:
        """Action name."""
        return "action_exercise_finish"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the outro and the question with buttons."""
        exercise = common.current_exercise(tracker)
        if exercise is not None:
            dispatcher.utter_message(text=exercise.outro)
        kind = exercise.kind if exercise else "grounding"
        dispatcher.utter_message(
            text=common.fresh_text(tracker, "exercise.ask_helped"),
            buttons=[
                button(common.text("button.yes_helped"), "/affirm"),
                button(common.text("button.no_helped"), "/deny"),
                button(common.text("button.another"), common.payload(ANOTHER[kind])),
            ],
        )
        return [SlotSet("exercise_done", None)]


class ActionExerciseFeedback(Action):
    """Remembers whether the exercise helped and answers kindly either way."""

    def name(self) -> Text:
        """Action name."""
        return "action_exercise_feedback"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Records the answer (telling the person if it couldn't be saved)."""
        helped = common.latest_intent(tracker) == "affirm"
        exercise = common.current_exercise(tracker)
        saved = True
        if exercise is not None:
            saved, _ = common.store_call(
                service.record_exercise, tracker.sender_id, exercise.id, helped
            )
        if helped:
            dispatcher.utter_message(text=common.text("exercise.feedback_yes"))
        else:
            kind = exercise.kind if exercise else "grounding"
            dispatcher.utter_message(
                text=common.text("exercise.feedback_no"),
                buttons=[
                    button(common.text("button.another"), common.payload(ANOTHER[kind])),
                    button(common.text("button.craving"), "/craving_contact"),
                ],
            )
        if not saved:
            dispatcher.utter_message(text=common.text("exercise.not_saved"))
        interruptions.offer_paused(dispatcher, tracker)
        return []
