"""After a slip: no shame, a fresh count that keeps the longest, what led up to it, one plan.

``relapse_form`` asks ``relapse_trigger`` (buttons or free text) and ``relapse_plan``
(the suggested plan for that trigger, or the person's own words).
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common, interruptions
from actions.interruptions import FREE_TEXT, TRIGGER, FlowValidation
from bot.content.walkthrough import button
from bot.reading.answers import entity_value, is_payload, trigger_from
from bot.store import service

FORM_SLOTS = ("relapse_trigger", "relapse_plan", "relapse_plan_suggested", "relapse_custom_plan")


class ActionRelapseStart(Action):
    """Resets the no-contact count (keeping the longest) and says so plainly."""

    def name(self) -> Text:
        """Action name."""
        return "action_relapse_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Records the slip; the form then asks what led up to it."""
        saved, streak = common.store_call(service.record_slip, tracker.sender_id)
        if not saved:
            dispatcher.utter_message(text=common.text("relapse.streak_not_saved"))
        elif streak.longest_days > 0:
            dispatcher.utter_message(
                text=common.text("relapse.streak_reset", longest=common.days(streak.longest_days))
            )
        else:
            dispatcher.utter_message(text=common.text("relapse.streak_fresh"))
        paused = interruptions.pause_events(tracker, "relapse_form")
        return paused + [SlotSet(slot, None) for slot in (*FORM_SLOTS, "requested_slot")]


class ActionAskRelapseTrigger(Action):
    """Gently asks what led up to the slip, with the usual answers as buttons."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_relapse_trigger"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the question."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "relapse_trigger"):
            return []
        buttons = [
            button(trigger.label, common.payload("choose_option", option=trigger.id))
            for trigger in common.library().triggers.values()
        ]
        dispatcher.utter_message(
            text=common.fresh_text(tracker, "relapse.ask_trigger"), buttons=buttons
        )
        return []


class ActionAskRelapsePlan(Action):
    """Suggests one small plan for that trigger, or asks for the person's own."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_relapse_plan"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the suggestion with yes/other buttons."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "relapse_plan"):
            return []
        if tracker.get_slot("relapse_custom_plan"):
            dispatcher.utter_message(text=common.text("relapse.ask_own_plan"))
            return []
        plan = tracker.get_slot("relapse_plan_suggested") or common.library().trigger("other").plan
        dispatcher.utter_message(
            text=common.text("relapse.ask_plan", plan=plan),
            buttons=[
                button(common.text("button.plan_yes"), "/affirm"),
                button(common.text("button.plan_no"), "/deny"),
            ],
        )
        return []


class ValidateRelapseForm(FlowValidation):
    """Reads the trigger and the plan."""

    def name(self) -> Text:
        """Action name."""
        return "validate_relapse_form"

    async def validate_relapse_trigger(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Any answer is fine: unclear ones count as "other"."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {"relapse_trigger": None}
        if interruptions.means_something_else(tracker, TRIGGER, about="relapsed_contact"):
            return interruptions.interrupted("relapse_trigger")
        lib = common.library()
        option = entity_value(common.latest_entities(tracker), "option")
        trigger = lib.trigger(trigger_from(option, common.latest_text(tracker), lib))
        return {"relapse_trigger": trigger.id, "relapse_plan_suggested": trigger.plan}

    async def validate_relapse_plan(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """Yes takes the suggestion, no asks for their own, free text is their own."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {"relapse_plan": None}
        if interruptions.means_something_else(tracker, FREE_TEXT):
            return interruptions.interrupted("relapse_plan")
        held = interruptions.confirmed_text(tracker)
        if held:
            return {"relapse_plan": held}
        asked = interruptions.confirm_command(dispatcher, tracker, "relapse_plan", "plan")
        if asked is not None:
            return asked
        intent = common.latest_intent(tracker)
        reply = common.latest_text(tracker).strip()
        suggested = tracker.get_slot("relapse_plan_suggested")
        if intent == "deny" and not tracker.get_slot("relapse_custom_plan"):
            return {"relapse_plan": None, "relapse_custom_plan": True}
        if intent == "affirm" or is_payload(reply) or not reply:
            return {"relapse_plan": suggested or common.library().trigger("other").plan}
        return {"relapse_plan": reply}


class ActionRelapseWrapup(Action):
    """Repeats the plan back and closes without judgement."""

    def name(self) -> Text:
        """Action name."""
        return "action_relapse_wrapup"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the plan and offers what's next."""
        plan = tracker.get_slot("relapse_plan") or common.library().trigger("other").plan
        if not plan.rstrip().endswith((".", "!", "?")):
            plan = plan.rstrip() + "."
        dispatcher.utter_message(
            text=common.text("relapse.wrapup", plan=plan),
            buttons=[
                button(common.text("button.thanks"), "/thanks"),
                button(common.text("button.calm"), "/request_grounding"),
            ],
        )
        interruptions.offer_paused(dispatcher, tracker)
        return []
