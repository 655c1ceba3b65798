"""The personal safety plan (issue 14): built in conversation, shown, edited, put first.

``safety_plan_form`` has one required slot, ``plan_answer``; ``plan_step`` says which of the
seven steps is being asked (as ``exercise_form`` walks its steps). Each answer is saved as
soon as it is given, so a plan interrupted at step 5 keeps steps 1-4. Skip leaves a step
as it is; when changing a plan, "Keep it" does the same.

In a hard moment, :class:`ActionSafetyPlanSos` and :class:`ActionSafetyPlanCrisis` lead
with the person's own people and steps, then the usual hotline answer (a domain response,
rendered by Rasa with the person's country), and offer to walk the plan. They run only for
someone with a plan (rule condition ``safety_plan_saved``); with the database down they
send the hotline answer alone, and with the action server down
:mod:`bot.runtime.outage_guard` sends it in their place.
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common, interruptions
from actions.interruptions import FREE_TEXT, FlowValidation
from bot.content import safety_plan
from bot.content.walkthrough import button
from bot.reading.answers import entity_value, is_payload
from bot.store import service

FORM = "safety_plan_form"
ANSWER_SLOT = "plan_answer"
STEP_SLOT = "plan_step"
EDITING_SLOT = "plan_editing"
UNSAVED_SLOT = "plan_unsaved"
SAVED_SLOT = "safety_plan_saved"
SKIP_PAYLOAD = "/skip_step"
KEEP_PAYLOAD = "/affirm"
URGENT_KINDS = frozenset({"urgent_distress", "urgent_danger"})
# Said about the plan while building it: answered as itself, then the step is offered back.
ABOUT_THE_PLAN = frozenset({"show_safety_plan", "walk_safety_plan", "delete_safety_plan"})


def content() -> safety_plan.PlanContent:
    """The plan's steps and messages."""
    return safety_plan.load()


def step_index(tracker: Tracker) -> int:
    """The step being asked (0-6)."""
    return min(max(int(tracker.get_slot(STEP_SLOT) or 0), 0), len(content().steps) - 1)


def stored_plan(tracker: Tracker) -> Optional[Dict[str, List[str]]]:
    """The person's plan from the store, or None when the store can't be reached."""
    ok, plan = common.store_call(service.get_plan, tracker.sender_id)
    return plan if ok else None


def filled_plan(
    dispatcher: CollectingDispatcher, tracker: Tracker
) -> Tuple[Optional[Dict[str, List[str]]], List[EventType]]:
    """The person's plan when a step of it is filled, for "show" and "walk my plan".

    Otherwise says why there is nothing to show (the store can't be reached, or there is no
    plan yet, with an offer to make one) and returns None with the events that follow.

    Returns:
        ``(plan, [])``; ``(None, [])`` with the store down; ``(None, [safety_plan_saved
        False])`` with no plan.
    """
    plan = stored_plan(tracker)
    if plan is None:
        dispatcher.utter_message(text=content().text("show_failed"))
        return None, []
    if not safety_plan.has_plan(plan):
        dispatcher.utter_message(
            text=content().text("show_none"),
            buttons=[button(content().text("button_make"), "/request_safety_plan")],
        )
        return None, [SlotSet(SAVED_SLOT, False)]
    return plan, []


def _walk_button(number: int) -> Dict[str, str]:
    return button(
        content().text("button_walk" if number == 1 else "button_next"),
        common.payload("walk_safety_plan", plan_step=number),
    )


def _close_loop(tracker: Tracker) -> List[EventType]:
    """Ends a form that was running (a hard moment comes before any flow)."""
    if (tracker.active_loop or {}).get("name"):
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
    return []


class ActionSafetyPlanStart(Action):
    """"Help me make a safety plan" / "change my plan": says what it is, then step 1."""

    def name(self) -> Text:
        """Action name."""
        return "action_safety_plan_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the intro; the form then asks the first step."""
        plan = stored_plan(tracker) or {}
        editing = safety_plan.has_plan(plan)
        dispatcher.utter_message(text=content().text("intro_change" if editing else "intro"))
        paused = interruptions.pause_events(tracker, FORM)
        return paused + [
            SlotSet(ANSWER_SLOT, None),
            SlotSet(STEP_SLOT, 0.0),
            SlotSet(EDITING_SLOT, editing),
            SlotSet(UNSAVED_SLOT, False),
            SlotSet(interruptions.PENDING_SLOT, None),
            SlotSet("requested_slot", None),
        ]


class ActionAskPlanAnswer(Action):
    """Asks one step, with examples and Skip (and "Keep it" when changing a plan)."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_plan_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the question for the current step."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, ANSWER_SLOT):
            return []
        index = step_index(tracker)
        current: List[str] = []
        if tracker.get_slot(EDITING_SLOT):
            current = (stored_plan(tracker) or {}).get(content().steps[index].id, [])
        buttons = [button(content().text("button_skip"), SKIP_PAYLOAD)]
        if current:
            buttons.insert(0, button(content().text("button_keep"), KEEP_PAYLOAD))
        dispatcher.utter_message(
            text=safety_plan.ask_text(content(), index, current), buttons=buttons
        )
        return []


class ValidateSafetyPlanForm(FlowValidation):
    """Saves each answer under its step and moves on; commands are confirmed first."""

    def name(self) -> Text:
        """Action name."""
        return "validate_safety_plan_form"

    async def validate_plan_answer(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Stores the person's words for this step (unless skipped or kept)."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {ANSWER_SLOT: None}
        if (
            interruptions.means_something_else(tracker, FREE_TEXT)
            or _stops(tracker)
            or _about_the_plan(tracker)
        ):
            return interruptions.interrupted(ANSWER_SLOT)
        answer = interruptions.confirmed_text(tracker)
        if answer is None:
            asked = interruptions.confirm_command(dispatcher, tracker, ANSWER_SLOT, "safety_plan")
            if asked is not None:
                return asked
            answer = _typed_answer(tracker)
        slots: Dict[Text, Any] = {}
        if answer:
            step = content().steps[step_index(tracker)].id
            saved, _ = common.store_call(
                service.set_plan_step, tracker.sender_id, step, [answer]
            )
            slots[SAVED_SLOT if saved else UNSAVED_SLOT] = True
        following = step_index(tracker) + 1
        if following >= len(content().steps):
            return {**slots, ANSWER_SLOT: True}
        return {**slots, ANSWER_SLOT: None, STEP_SLOT: float(following)}


def _about_the_plan(tracker: Tracker) -> bool:
    """True for "show my plan" and the like, said clearly (or tapped) mid-plan."""
    intent = (tracker.latest_message or {}).get("intent") or {}
    clear = float(intent.get("confidence") or 0.0) >= interruptions.FREE_TEXT_CONFIDENCE
    tapped = is_payload(common.latest_text(tracker))
    return intent.get("name") in ABOUT_THE_PLAN and (clear or tapped)


def _stops(tracker: Tracker) -> bool:
    """True for "stop" (not for "skip", which the classifier may also read as stop)."""
    text = common.latest_text(tracker)
    return common.latest_intent(tracker) == "stop" and not safety_plan.is_skip(text)


def _typed_answer(tracker: Tracker) -> Optional[str]:
    """The person's words for this step, or None for Skip / Keep / another button."""
    text = common.latest_text(tracker).strip()
    if not text or is_payload(text) or common.latest_intent(tracker) == "skip_step":
        return None
    if safety_plan.is_skip(text):
        return None
    return text[: safety_plan.MAX_LINE_CHARS]


class ActionSafetyPlanWrapup(Action):
    """The plan is done: reads it back as one message and says where it will show up."""

    def name(self) -> Text:
        """Action name."""
        return "action_safety_plan_wrapup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the plan (or says it couldn't be saved), then offers a paused flow back."""
        plan = stored_plan(tracker)
        events: List[EventType] = [SlotSet(ANSWER_SLOT, None), SlotSet(STEP_SLOT, None)]
        if plan is None or tracker.get_slot(UNSAVED_SLOT):
            dispatcher.utter_message(text=content().text("not_saved"))
        elif safety_plan.has_plan(plan):
            dispatcher.utter_message(text=safety_plan.show_text(content(), plan))
            dispatcher.utter_message(
                text=content().text("saved"),
                buttons=[_walk_button(1), button(content().text("button_change"),
                                                 "/change_safety_plan")],
            )
            events.append(SlotSet(SAVED_SLOT, True))
        else:
            dispatcher.utter_message(text=content().text("empty"))
            events.append(SlotSet(SAVED_SLOT, False))
        interruptions.offer_paused(dispatcher, tracker)
        return events


class ActionShowSafetyPlan(Action):
    """"Show my plan": the whole plan as one short message."""

    def name(self) -> Text:
        """Action name."""
        return "action_show_safety_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the plan, or offers to make one."""
        plan, missing = filled_plan(dispatcher, tracker)
        if plan is None:
            return missing
        dispatcher.utter_message(
            text=safety_plan.show_text(content(), plan),
            buttons=[
                _walk_button(1),
                button(content().text("button_change"), "/change_safety_plan"),
            ],
        )
        return [SlotSet(SAVED_SLOT, True)]


class ActionAddToSafetyPlan(Action):
    """"Add Priya to my people": one line added under the step named."""

    def name(self) -> Text:
        """Action name."""
        return "action_add_to_safety_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Adds the line and says where it went; asks when it can't tell."""
        parsed = safety_plan.parse_addition(common.latest_text(tracker))
        if parsed is None:
            dispatcher.utter_message(text=content().text("add_what"))
            return []
        step_id, text = parsed
        saved, _ = common.store_call(service.add_plan_line, tracker.sender_id, step_id, text)
        if not saved:
            dispatcher.utter_message(text=content().text("not_saved"))
            return []
        label = content().step(step_id).label
        dispatcher.utter_message(
            text=content().text("added", label=label, text=text),
            buttons=[button(content().text("button_show"), "/show_safety_plan")],
        )
        return [SlotSet(SAVED_SLOT, True)]


class ActionDeleteSafetyPlan(Action):
    """"Delete my safety plan": the plan goes, nothing else does."""

    def name(self) -> Text:
        """Action name."""
        return "action_delete_safety_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Deletes the plan and says so."""
        ok, found = common.store_call(service.delete_plan, tracker.sender_id)
        if not ok:
            dispatcher.utter_message(text=content().text("show_failed"))
            return []
        dispatcher.utter_message(text=content().text("deleted" if found else "nothing_to_delete"))
        return [SlotSet(SAVED_SLOT, False)]


class ActionWalkSafetyPlan(Action):
    """Walks the plan one filled step per message ("Next step")."""

    def name(self) -> Text:
        """Action name."""
        return "action_walk_safety_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends step N of the plan (from the button), or the closing line after the last."""
        plan, _ = filled_plan(dispatcher, tracker)
        if plan is None:
            return []
        number = _walk_number(tracker)
        step = safety_plan.walk_text(content(), plan, number)
        if step is None:
            dispatcher.utter_message(
                text=content().text("walk_end"),
                buttons=[
                    button(content().text("button_grounding"), "/request_grounding"),
                    button(common.text("button.sos"), "/request_resources"),
                ],
            )
            return []
        dispatcher.utter_message(text=step, buttons=[_walk_button(number + 1)])
        return []


def _walk_number(tracker: Tracker) -> int:
    value = entity_value(common.latest_entities(tracker), STEP_SLOT)
    try:
        return max(int(float(value)), 1) if value is not None else 1
    except (TypeError, ValueError):
        return 1


class _PlanFirst(Action):
    """A hard moment for someone with a plan: their own steps, then the hotline answer."""

    response = ""

    @abstractmethod
    def name(self) -> Text:
        """Set by each subclass (abstract: this class is never registered)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Plan first (after the emergency line when it is happening now), then the offer."""
        events = _close_loop(tracker)
        plan = stored_plan(tracker)
        lead = safety_plan.lead_text(content(), plan) if plan else None
        if lead is None:
            dispatcher.utter_message(response=self.response)
            return events + ([SlotSet(SAVED_SLOT, False)] if plan is not None else [])
        if tracker.get_slot("crisis_kind") in URGENT_KINDS:
            dispatcher.utter_message(response=self.response)
            dispatcher.utter_message(text=lead)
        else:
            dispatcher.utter_message(text=lead)
            dispatcher.utter_message(response=self.response)
        dispatcher.utter_message(
            text=content().text("offer_walk"),
            buttons=[
                _walk_button(1),
                button(content().text("button_grounding"), "/request_grounding"),
            ],
        )
        return events


class ActionSafetyPlanSos(_PlanFirst):
    """SOS / "give me a hotline" for someone with a plan."""

    response = "utter_resources"

    def name(self) -> Text:
        """Action name."""
        return "action_safety_plan_sos"


class ActionSafetyPlanCrisis(_PlanFirst):
    """The crisis answer for someone with a plan."""

    response = "utter_crisis"

    def name(self) -> Text:
        """Action name."""
        return "action_safety_plan_crisis"
