"""The craving flow: how strong is the urge → pick a tool → use it → how strong now.

``craving_form`` asks ``urge_before`` (0–10), ``craving_choice`` (ride the wave,
grounding, write it here, read your reasons), ``craving_tool_done`` (the tool itself,
one message per reply) and ``urge_after``. Riding the wave schedules a check-in
(``EXTERNAL_urge_checkin``) after ``HARBOR_CHECKIN_SECONDS``; a message written here goes
to the vault and is offered back the next day in daytime where the person is (10:00–20:00,
at least ``HARBOR_VAULT_REVISIT_HOURS`` later; bot/reading/daytime.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common, interruptions
from actions.interruptions import CHOICE, FREE_TEXT, RATING, STEP, FlowValidation
from bot.content.library import Library
from bot.content.selection import (
    TOOL_GROUNDING,
    TOOL_REASONS,
    TOOL_SURF,
    TOOL_VAULT,
    BestTool,
    best_offer,
    pick_exercise,
    tool_label,
    tool_title,
)
from bot.content.walkthrough import NEXT_PAYLOAD, button, next_index, step_reply
from bot.reading.answers import entity_value, is_payload, rating_from, tool_from
from bot.store import service

SKIPPED = "skipped"
MAX_MISSES = 2
DONE_INTENTS = ("next_step", "affirm", "thanks")

FLOW_SLOTS = (
    "urge_before",
    "craving_choice",
    "craving_tool_done",
    "urge_after",
    "urge_misses",
    "checkin_scheduled",
)


def rating_buttons() -> List[Dict[str, str]]:
    """Buttons 0–10 that send the number without NLU."""
    return [button(str(n), f'/inform_urge_level{{"number": {n}}}') for n in range(11)]


def _is_exercise_tool(tool: Optional[str], lib: Library) -> bool:
    return bool(tool) and tool in lib.exercises


def _level_key(urge: Any) -> Optional[str]:
    if not isinstance(urge, (int, float)) or isinstance(urge, bool):
        return None
    if urge >= 8:
        return "craving.level_high"
    if urge >= 4:
        return "craving.level_mid"
    return "craving.level_low"


def _waiting_for_checkin(tracker: Tracker) -> bool:
    return tracker.get_slot("craving_choice") == TOOL_SURF and bool(
        tracker.get_slot("checkin_scheduled")
    )


def _best(tracker: Tracker, lib: Library) -> Optional[BestTool]:
    _, best = common.store_call(service.best_tool, tracker.sender_id)
    return best_offer(best, common.last_exercise_id(tracker), lib)


def _read_rating(
    slot: str, dispatcher: CollectingDispatcher, tracker: Tracker
) -> Dict[Text, Any]:
    """Validates an answer to a 0–10 question (after two misses, the number is skipped).

    A message that means something else ("day 30 no contact", "are you a bot?") is answered
    as itself, and the question comes back after it (see actions/interruptions.py).
    """
    if common.is_external(tracker):
        return {slot: None}
    rating = rating_from(common.latest_entities(tracker), common.latest_text(tracker))
    if rating is not None:
        return {slot: rating, "urge_misses": 0.0}
    if interruptions.means_something_else(tracker, RATING, about="craving_contact"):
        return interruptions.interrupted(slot)
    misses = int(tracker.get_slot("urge_misses") or 0) + 1
    if misses >= MAX_MISSES:
        dispatcher.utter_message(text=common.text("craving.urge_skipped"))
        return {slot: SKIPPED, "urge_misses": 0.0}
    dispatcher.utter_message(text=common.text("craving.urge_not_understood"))
    return {slot: None, "urge_misses": float(misses)}


class ActionCravingStart(Action):
    """Clears what a previous craving flow left behind before the form starts."""

    def name(self) -> Text:
        """Action name."""
        return "action_craving_start"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Resets the flow's slots and cancels a pending check-in."""
        # requested_slot too: slots carry over sessions, a form cut off last time doesn't.
        # A flow it interrupts (an exercise) is kept, to be offered back at the end.
        events = interruptions.pause_events(tracker, starting="craving_form")
        events += [SlotSet(slot, None) for slot in (*FLOW_SLOTS, "requested_slot")]
        return events + [ReminderCancelled(name=common.CHECKIN_REMINDER)]


class ActionAskUrgeBefore(Action):
    """Asks how strong the urge is, 0–10, with a button per number."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_urge_before"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the question (silent when a reminder woke the form)."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "urge_before"):
            return []
        again = tracker.get_slot("requested_slot") == "urge_before"
        key = "craving.ask_urge_again" if again else "craving.ask_urge_before"
        dispatcher.utter_message(text=common.fresh_text(tracker, key), buttons=rating_buttons())
        return []


class ActionAskCravingChoice(Action):
    """Offers the tools, the one that lowered the urge most first."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_craving_choice"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the level line, the best-first line and one button per tool."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "craving_choice"):
            return []
        lib = common.library()
        level = _level_key(tracker.get_slot("urge_before"))
        first_ask = tracker.get_slot("requested_slot") != "craving_choice"
        if level and first_ask and not interruptions.resuming(tracker):
            dispatcher.utter_message(text=common.text(level))
        offer = _best(tracker, lib)
        buttons = [
            button(common.text("button.surf"), self._pick(TOOL_SURF)),
            button(common.text("button.grounding"), self._pick(TOOL_GROUNDING)),
            button(common.text("button.vault"), self._pick(TOOL_VAULT)),
            button(common.text("button.reasons"), self._pick(TOOL_REASONS)),
        ]
        question = common.text("craving.ask_choice")
        if offer is not None:
            question = common.text(
                "craving.best_line",
                label=tool_label(offer.tool, lib),
                before=offer.before,
                after=offer.after,
            )
            first = button(
                common.text("button.best_again", title=tool_title(offer.tool, lib)),
                self._pick(offer.tool),
            )
            buttons = [first] + [b for b in buttons if b["payload"] != first["payload"]]
        dispatcher.utter_message(text=question, buttons=buttons)
        return []

    @staticmethod
    def _pick(tool: str) -> str:
        return common.payload("choose_option", option=tool)


class ActionAskCravingToolDone(Action):
    """Runs the chosen tool: a step of an exercise, the vault prompt, or the reasons."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_craving_tool_done"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the tool's next message."""
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "craving_tool_done"):
            return []
        lib = common.library()
        choice = tracker.get_slot("craving_choice")
        if _is_exercise_tool(choice, lib):
            exercise = common.current_exercise(tracker) or lib.exercise(choice)
            step = min(common.step_of(tracker), len(exercise.steps) - 1)
            common.send(dispatcher, step_reply(lib, exercise, step))
        elif choice == TOOL_VAULT:
            dispatcher.utter_message(text=common.text("craving.vault_prompt"))
        elif choice == TOOL_REASONS:
            self._reasons(dispatcher, tracker)
        return []

    @staticmethod
    def _reasons(dispatcher: CollectingDispatcher, tracker: Tracker) -> None:
        ok, reasons = common.store_call(service.list_reasons, tracker.sender_id)
        if not ok:
            dispatcher.utter_message(text=common.text("craving.reasons_unavailable"))
        elif not reasons:
            dispatcher.utter_message(text=common.text("craving.reasons_none"))
        else:
            listed = "\n".join(f"• {reason}" for reason in reasons)
            dispatcher.utter_message(
                text=common.text("craving.reasons_list", reasons=listed),
                buttons=[button(common.text("button.read_them"), NEXT_PAYLOAD)],
            )


class ActionAskUrgeAfter(Action):
    """Asks for the re-rating — or, after riding the wave, promises the check-in."""

    def name(self) -> Text:
        """Action name."""
        return "action_ask_urge_after"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the question; schedules the check-in and the vault reminder once."""
        intent = common.latest_intent(tracker)
        if intent == common.CHECKIN_INTENT:
            dispatcher.utter_message(text=common.text("craving.checkin"), buttons=rating_buttons())
            return []
        if common.is_external(tracker):
            return common.external_followups(tracker)
        if interruptions.offer_if_interrupted(dispatcher, tracker, "urge_after"):
            return []
        lib = common.library()
        choice = tracker.get_slot("craving_choice")
        if interruptions.resuming(tracker):
            dispatcher.utter_message(
                text=common.fresh_text(tracker, "craving.ask_urge_after"), buttons=rating_buttons()
            )
            return []
        first_ask = tracker.get_slot("requested_slot") != "urge_after"
        if not first_ask and _waiting_for_checkin(tracker):
            return []  # the validation already answered; the check-in will ask
        events: List[EventType] = []
        if first_ask and _is_exercise_tool(choice, lib):
            dispatcher.utter_message(text=lib.exercise(choice).outro)
        if choice == TOOL_SURF and not tracker.get_slot("checkin_scheduled"):
            seconds = common.checkin_seconds()
            dispatcher.utter_message(
                text=common.text("craving.surf_waiting", when=common.spoken_delay(seconds)),
                buttons=rating_buttons(),
            )
            events += [
                common.reminder(
                    common.CHECKIN_INTENT, common.CHECKIN_REMINDER, timedelta(seconds=seconds)
                ),
                SlotSet("checkin_scheduled", True),
            ]
            return events
        key = "craving.ask_urge_after" if first_ask else "craving.ask_urge_again"
        dispatcher.utter_message(text=common.fresh_text(tracker, key), buttons=rating_buttons())
        return events


class ValidateCravingForm(FlowValidation):
    """Reads each answer of the craving flow and runs the chosen tool."""

    def name(self) -> Text:
        """Action name."""
        return "validate_craving_form"

    async def validate_urge_before(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A 0–10 number ("8", "like a 7", "eight", a button)."""
        if value is None:
            return {}
        return _read_rating("urge_before", dispatcher, tracker)

    async def validate_craving_choice(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A tool; grounding becomes a concrete exercise (best first, never the last)."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {"craving_choice": None}
        lib = common.library()
        option = entity_value(common.latest_entities(tracker), "option")
        tool = tool_from(option, common.latest_intent(tracker), common.latest_text(tracker), lib)
        if tool is None and interruptions.means_something_else(
            tracker, CHOICE, about="craving_contact"
        ):
            return interruptions.interrupted("craving_choice")
        if tool is None:
            dispatcher.utter_message(text=common.text("craving.choice_not_understood"))
            return {"craving_choice": None}
        if tool == TOOL_GROUNDING:
            tool = self._grounding_exercise(tracker, lib)
        if tool in lib.exercises:
            events = common.exercise_start_events(lib.exercise(tool))
            slots = {event["name"]: event["value"] for event in events}
            return {**slots, "craving_choice": tool, "craving_tool_done": None}
        return {"craving_choice": tool, "craving_tool_done": None}

    @staticmethod
    def _grounding_exercise(tracker: Tracker, lib: Library) -> str:
        offer = _best(tracker, lib)
        preferred = offer.tool if offer else None
        last = common.last_exercise_id(tracker)
        return pick_exercise(lib.exercises_of("grounding"), last, preferred, common.RNG).id

    async def validate_craving_tool_done(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """One reply to the tool: the next step, the vault message, or a new reason."""
        if value is None:
            return {}
        if common.is_external(tracker):
            return {"craving_tool_done": None}
        lib = common.library()
        choice = tracker.get_slot("craving_choice")
        if _is_exercise_tool(choice, lib):
            exercise = common.current_exercise(tracker) or lib.exercise(choice)
            about = interruptions.OWN_INTENT.get(exercise.kind)
            if interruptions.means_something_else(tracker, STEP, about=about):
                return interruptions.interrupted("craving_tool_done")
            following = next_index(exercise, common.step_of(tracker))
            if following is None:
                return {"craving_tool_done": True}
            return {"craving_tool_done": None, "exercise_step": float(following)}
        if choice == TOOL_VAULT:
            return self._vault(dispatcher, tracker)
        if choice == TOOL_REASONS:
            return self._reason(dispatcher, tracker)
        return {"craving_tool_done": True}

    @staticmethod
    def _vault(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if interruptions.means_something_else(tracker, FREE_TEXT):
            return interruptions.interrupted("craving_tool_done")
        message = interruptions.confirmed_text(tracker)
        if message is None:
            asked = interruptions.confirm_command(dispatcher, tracker, "craving_tool_done", "vault")
            if asked is not None:
                return asked
            message = common.latest_text(tracker).strip()
        if not message or is_payload(message):
            dispatcher.utter_message(text=common.text("craving.vault_empty"))
            return {"craving_tool_done": None}
        wait = common.vault_revisit_at(tracker) - common.now_utc()
        saved, entry_id = common.store_call(
            service.add_vault_entry, tracker.sender_id, message, wait.total_seconds() / 3600
        )
        if not saved:
            dispatcher.utter_message(text=common.text("craving.vault_not_saved"))
            return {"craving_tool_done": True}
        dispatcher.utter_message(text=common.text("craving.vault_saved"))
        return {"craving_tool_done": True, "vault_entry_id": entry_id}

    @staticmethod
    def _reason(dispatcher: CollectingDispatcher, tracker: Tracker) -> Dict[Text, Any]:
        if interruptions.means_something_else(tracker, FREE_TEXT):
            return interruptions.interrupted("craving_tool_done")
        held = interruptions.confirmed_text(tracker)
        if held:
            return ValidateCravingForm._save_reason(dispatcher, tracker, held)
        asked = interruptions.confirm_command(dispatcher, tracker, "craving_tool_done", "reason")
        if asked is not None:
            return asked
        reason = common.latest_text(tracker).strip()
        if is_payload(reason) or common.latest_intent(tracker) in DONE_INTENTS or not reason:
            return {"craving_tool_done": True}
        return ValidateCravingForm._save_reason(dispatcher, tracker, reason)

    @staticmethod
    def _save_reason(
        dispatcher: CollectingDispatcher, tracker: Tracker, reason: str
    ) -> Dict[Text, Any]:
        saved, _ = common.store_call(service.add_reason, tracker.sender_id, reason)
        key = "craving.reason_added" if saved else "craving.reason_not_saved"
        dispatcher.utter_message(text=common.text(key))
        return {"craving_tool_done": True}

    async def validate_urge_after(
        self, value: Any, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> Dict[Text, Any]:
        """A 0–10 number for how strong the urge is now.

        While a check-in is pending after riding the wave, words other than a number
        ("ok", "still here") are company, not a wrong answer: the wait goes on.
        """
        if value is None:
            return {}
        if _waiting_for_checkin(tracker) and not common.is_external(tracker):
            rating = rating_from(common.latest_entities(tracker), common.latest_text(tracker))
            if rating is None and interruptions.means_something_else(
                tracker, RATING, about="craving_contact"
            ):
                return interruptions.interrupted("urge_after")
            if rating is None:
                dispatcher.utter_message(text=common.text("craving.surf_company"))
                return {"urge_after": None}
        return _read_rating("urge_after", dispatcher, tracker)

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates, then schedules the vault reminder when a message was just kept."""
        events = await super().run(dispatcher, tracker, domain)
        kept = [e for e in events if e.get("name") == "vault_entry_id" and e.get("value")]
        if kept:
            at = common.vault_revisit_at(tracker)
            events.append(
                common.reminder(common.VAULT_INTENT, common.VAULT_REMINDER, timedelta(0), at=at)
            )
        return events


class ActionCravingReflect(Action):
    """Reflects the change ("from 8 to 4"), logs it, and closes the flow."""

    def name(self) -> Text:
        """Action name."""
        return "action_craving_reflect"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the reflection, logs before/after and clears the flow's slots."""
        lib = common.library()
        before, after = tracker.get_slot("urge_before"), tracker.get_slot("urge_after")
        choice = tracker.get_slot("craving_choice") or TOOL_GROUNDING
        rated = isinstance(after, (int, float)) and not isinstance(after, bool)
        if rated and isinstance(before, (int, float)):
            before, after = int(before), int(after)
            self._reflect(dispatcher, before, after)
            saved, _ = common.store_call(
                service.log_craving, tracker.sender_id, before, choice, after
            )
            if _is_exercise_tool(choice, lib):
                saved = common.store_call(
                    service.record_exercise, tracker.sender_id, choice, after < before
                )[0] and saved
            if not saved:
                dispatcher.utter_message(text=common.text("craving.log_failed"))
        elif rated:
            dispatcher.utter_message(
                text=common.text("craving.reflect_no_before", after=int(after)),
                buttons=self._after_buttons(),
            )
        else:
            dispatcher.utter_message(
                text=common.text("craving.reflect_unrated"), buttons=self._after_buttons()
            )
        events: List[EventType] = [SlotSet(slot, None) for slot in FLOW_SLOTS]
        interruptions.offer_paused(dispatcher, tracker)
        return events + [ReminderCancelled(name=common.CHECKIN_REMINDER)]

    def _reflect(self, dispatcher: CollectingDispatcher, before: int, after: int) -> None:
        if after < before:
            key = "craving.reflect_down"
        elif after == before:
            key = "craving.reflect_same"
        else:
            key = "craving.reflect_up"
        progress = button(common.text("button.progress"), "/show_progress")
        dispatcher.utter_message(
            text=common.text(key, before=before, after=after),
            buttons=self._after_buttons(eased=after < before) + [progress],
        )

    @staticmethod
    def _after_buttons(eased: bool = False) -> List[Dict[str, str]]:
        thanks = button(common.text("button.thanks"), "/thanks")
        calm = button(common.text("button.calm"), "/request_grounding")
        if eased:
            return [thanks, calm]
        return [button(common.text("button.another_tool"), "/craving_contact"), calm, thanks]


class ActionUrgeCheckin(Action):
    """A check-in that fired after the craving flow ended: it stays quiet.

    While the flow is still waiting for the re-rating, the form itself asks
    "how strong is it now?"; once the person re-rated, stopped, or met the crisis
    answer, a push would only intrude.
    """

    def name(self) -> Text:
        """Action name."""
        return "action_urge_checkin"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Cancels any leftover check-in; sends nothing."""
        return [ReminderCancelled(name=common.CHECKIN_REMINDER)]
