"""Stepping out of a flow and back in: answered in place, then "want to go back?" (issue 12).

A person in the middle of a form (a rating, an exercise step, "what led up to it?") may
write something that means something else: "are you a real person?", "delete my data",
"i slipped". The form's validation decides, per kind of question, whether a message is the
answer (:func:`means_something_else`); when it is not, the validation rejects the form
(:func:`interrupted`) and the message's own rule answers it. Then:

* after a one-message answer (bot, privacy, an explanation, a win) the form is still active;
  its ask action offers to go back instead of asking (:func:`offer_if_interrupted`):
  "Want to go back to box breathing? We were on step 2 of 4." [Resume] [Not now];
* an exchange that needs the next message too (the delete confirmation) or another flow
  pauses the form first (:class:`ActionPausePlace`, or the flow's start action through
  :func:`pause_events`); the place is kept in ``paused_flow`` and offered back when that
  exchange ends (:class:`ActionOfferResume`).

"Resume" continues where they were (:class:`ActionResumeFlow`), "Not now" ends the flow
kindly (:class:`ActionNotNow`). Where free text is the answer (the vault message, a reason,
the person's own plan), only a question to the bot interrupts; a message that reads as a
command (delete, export) is confirmed before it is stored (:func:`confirm_command`).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import Any, Dict, List, Optional, Text, Tuple

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import (
    ActionExecutionRejected,
    ActiveLoop,
    EventType,
    FollowupAction,
    ReminderCancelled,
    SlotSet,
)
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.library import UnknownContentId
from bot.content.walkthrough import button
from bot.reading.answers import is_payload

RESUME_ACTION = "action_resume_flow"
RESUME_PAYLOAD = "/resume_flow"
NOT_NOW_PAYLOAD = "/not_now"
PAUSED_SLOT = "paused_flow"
PAUSED_FLAG = "flow_paused"
PENDING_SLOT = "pending_text"
# Not a slot: a validation returns it to say "this message means something else".
INTERRUPTED = "__harbor_interrupted__"

# The kinds of question a form asks, and so what counts as an answer to it.
STEP = "step"  # one step of an exercise: almost anything moves it on
RATING = "rating"  # 0–10
CHOICE = "choice"  # which tool
TRIGGER = "trigger"  # what led up to a slip (buttons, or a few words)
FREE_TEXT = "free_text"  # the vault message, a reason, the person's own plan

QUESTIONS = frozenset({"bot_challenge", "ask_privacy", "ask_capabilities"})
COMMANDS = frozenset({"delete_my_data", "export_my_data"})
EXPLANATIONS = frozenset(
    {
        "grieving_fantasy",
        "ask_why_cant_let_go",
        "ask_intermittent_reinforcement",
        "ask_trauma_bond",
        "ask_attachment_style",
        "ask_knowing_not_enough",
        "ask_how_to_heal",
    }
)
FLOW_STARTS = frozenset(
    {
        "craving_contact",
        "relapsed_contact",
        "request_grounding",
        "feeling_unworthy",
        "cant_sleep",
        "start_exercise",
    }
)
SUPPORT = EXPLANATIONS | FLOW_STARTS | {"feeling_lonely", "share_win", "ask_streak", "tell_me_more"}
ELSEWHERE = frozenset({"greet", "goodbye", "inform_country", "false_alarm", "feeling_safe"})
# Replies that answer a rating or a choice badly rather than meaning something else:
# they get "a rough guess is fine", not an interruption.
UNCLEAR = frozenset(
    {
        "inform_urge_level",
        "nlu_fallback",
        "affirm",
        "deny",
        "next_step",
        "choose_option",
        "thanks",
        "out_of_scope",
        "skip_step",
    }
)
# What led up to a slip is often said with a feeling: those are the answer, not a new topic.
TRIGGER_ANSWERS = frozenset(
    {
        "feeling_lonely",
        "feeling_unworthy",
        "craving_contact",
        "relapsed_contact",
        "grieving_fantasy",
        "share_win",
        "thanks",
        "feeling_safe",
        "false_alarm",
    }
)
# The intent each form (or exercise kind) is about: saying it again is not a new topic.
OWN_INTENT = {
    "craving_form": "craving_contact",
    "relapse_form": "relapsed_contact",
    "grounding": "request_grounding",
    "urge_surfing": "craving_contact",
    "reparenting": "feeling_unworthy",
    "wind_down": "cant_sleep",
}
# An exercise step takes almost anything as "next"; another topic must be clear.
STEP_CONFIDENCE = 0.6
# Where free text is the answer, only a clear question to the bot interrupts.
FREE_TEXT_CONFIDENCE = 0.5

# What each form needs kept to go on after another flow took over.
FLOW_MEMORY = {
    "craving_form": (
        "urge_before",
        "craving_choice",
        "urge_after",
        "urge_misses",
        "checkin_scheduled",
        "exercise_id",
        "exercise_step",
    ),
    "exercise_form": ("exercise_id", "exercise_step", "exercise_prelude"),
    "relapse_form": (
        "relapse_trigger",
        "relapse_plan_suggested",
        "relapse_custom_plan",
    ),
    "safety_plan_form": ("plan_step", "plan_editing", "plan_unsaved"),
}


def _intent(tracker: Tracker) -> Tuple[Optional[str], float]:
    intent = (tracker.latest_message or {}).get("intent") or {}
    return intent.get("name"), float(intent.get("confidence") or 0.0)


def means_something_else(tracker: Tracker, kind: str, about: Optional[str] = None) -> bool:
    """True when the latest message is not an answer to a question of ``kind``.

    Args:
        tracker: The conversation.
        kind: ``STEP``, ``RATING``, ``CHOICE``, ``TRIGGER`` or ``FREE_TEXT``. For a rating
            or a choice, call this only once the message turned out not to be one.
        about: The intent the flow is about (``OWN_INTENT``): saying it again is no
            interruption ("i want to text him" at "how strong is the urge?").
    """
    if common.is_external(tracker):
        return False
    intent, confidence = _intent(tracker)
    if not intent or intent == about:
        return False
    button_press = is_payload(common.latest_text(tracker))
    if kind == FREE_TEXT:
        return intent in QUESTIONS and (button_press or confidence >= FREE_TEXT_CONFIDENCE)
    if intent in QUESTIONS or intent in COMMANDS:
        return True
    if kind == STEP:
        others = (SUPPORT - {"request_grounding", "tell_me_more"}) | {"greet", "goodbye"}
        return intent in others and (button_press or confidence >= STEP_CONFIDENCE)
    if kind == TRIGGER:
        return intent not in TRIGGER_ANSWERS | UNCLEAR
    return intent not in UNCLEAR


def interrupted(slot: str) -> Dict[Text, Any]:
    """What a validation returns for a message that means something else.

    The slot goes back to empty and the form is rejected (see :class:`FlowValidation`),
    so the message's own rule answers it.
    """
    return {slot: None, INTERRUPTED: True}


def confirm_command(
    dispatcher: CollectingDispatcher, tracker: Tracker, slot: str, thing: str
) -> Optional[Dict[Text, Any]]:
    """Asks before storing free text that reads like a command; None when it doesn't.

    "delete my data" typed as a plan gets "Did you want me to save that as your plan, or
    did you mean you want me to delete your data?". The text waits in ``pending_text``:
    "yes"/"save it" stores it (:func:`confirmed_text`), the button or the command typed
    again does what it says.
    """
    intent, _ = _intent(tracker)
    if intent not in COMMANDS:
        return None
    text = common.latest_text(tracker).strip()
    if is_payload(text) or tracker.get_slot(PENDING_SLOT):
        return interrupted(slot)  # a button press, or the command said twice: it is one
    kind = "delete" if intent == "delete_my_data" else "export"
    what = common.text(f"confirm.thing_{thing}")
    command = button(common.text(f"button.{kind}_data"), f"/{intent}")
    dispatcher.utter_message(
        text=common.text(f"confirm.{kind}", thing=what),
        buttons=[button(common.text(f"button.save_{thing}"), "/affirm"), command],
    )
    return {slot: None, PENDING_SLOT: text}


def confirmed_text(tracker: Tracker) -> Optional[str]:
    """The held text when the person just said to save it ("yes", "save it"), else None."""
    pending = tracker.get_slot(PENDING_SLOT)
    if pending and common.latest_intent(tracker) in ("affirm", "choose_option", "thanks"):
        return str(pending)
    return None


def confirming(tracker: Tracker) -> bool:
    """True while "save it, or did you mean …?" waits for its answer."""
    return bool(tracker.get_slot(PENDING_SLOT)) and common.latest_intent(tracker) in COMMANDS


def resuming(tracker: Tracker) -> bool:
    """True right after "Resume": the form goes on from where it was, values as they were.

    (The form's validation sees the form as the latest action, so this looks at what ran
    since the person's latest message.)
    """
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action" and event.get("name") == RESUME_ACTION:
            return True
    return False


class FlowValidation(FormValidationAction):
    """A form validation that can say "this message means something else".

    A ``validate_<slot>`` method returns :func:`interrupted` for such a message; this turns
    that into a rejection of the form. Right after "Resume" the slots are kept as they were
    (the form's activation would otherwise read them again from the latest message).
    """

    @abstractmethod
    def name(self) -> Text:
        """Set by each form's validation (abstract: this class is never registered)."""

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Validates; rejects the form when a message meant something else."""
        if resuming(tracker):
            return []
        events = await super().run(dispatcher, tracker, domain)
        rejected = any(event.get("name") == INTERRUPTED for event in events)
        events = [event for event in events if event.get("name") != INTERRUPTED]
        if rejected:
            events = [e for e in events if e.get("name") != PENDING_SLOT]
            events.append(SlotSet(PENDING_SLOT, None))
            events.append(ActionExecutionRejected(self.form_name()))
        elif tracker.get_slot(PENDING_SLOT) and not any(
            event.get("name") == PENDING_SLOT for event in events
        ):
            events.append(SlotSet(PENDING_SLOT, None))
        return events


# --- where a person was ------------------------------------------------------------------


def _exercise(exercise_id: Any) -> Any:
    if not exercise_id:
        return None
    try:
        return common.library().exercise(str(exercise_id))
    except UnknownContentId:
        return None


def describe(form: str, slot: Optional[str], values: Dict[str, Any]) -> Tuple[str, str]:
    """``(what, where)`` for the offer: ("box breathing", "We were on step 2 of 4.")."""
    exercise = _exercise(values.get("exercise_id"))
    choice = values.get("craving_choice")
    in_tool = form == "craving_form" and slot == "craving_tool_done"
    if exercise is not None and (form == "exercise_form" or (in_tool and choice == exercise.id)):
        if form == "exercise_form" and values.get("exercise_prelude") == "local_time":
            return exercise.label, common.text("resume.where_time")
        total = len(exercise.steps)
        step = min(int(values.get("exercise_step") or 0), total - 1) + 1
        return exercise.label, common.text("resume.where_step", step=step, total=total)
    if form == "relapse_form":
        where = "resume.where_plan" if slot == "relapse_plan" else "resume.where_trigger"
        return common.text("resume.what_relapse"), common.text(where)
    if form == "safety_plan_form":
        step = int(values.get("plan_step") or 0) + 1
        return common.text("resume.what_safety_plan"), common.text(
            "resume.where_step", step=step, total=7
        )
    where = {
        "urge_before": "resume.where_urge_before",
        "craving_choice": "resume.where_choice",
        "urge_after": "resume.where_urge_after",
    }.get(slot or "", "resume.where_choice")
    if in_tool:
        where = "resume.where_reasons" if choice == "reasons" else "resume.where_vault"
    return common.text("resume.what_craving"), common.text(where)


def _offer(dispatcher: CollectingDispatcher, tracker: Tracker, what: str, where: str) -> None:
    dispatcher.utter_message(
        text=common.fresh_text(tracker, "resume.offer", what=what, where=where),
        buttons=[
            button(common.text("button.resume"), RESUME_PAYLOAD),
            button(common.text("button.not_now"), NOT_NOW_PAYLOAD),
        ],
    )


def _rejected_since_last_message(tracker: Tracker, form: str) -> bool:
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            return False
        if event.get("event") == "action_execution_rejected" and event.get("name") == form:
            return True
    return False


def offer_if_interrupted(dispatcher: CollectingDispatcher, tracker: Tracker, slot: str) -> bool:
    """In a form's ask action: after an interruption, offer to go back instead of asking.

    Returns True when the ask action should send nothing else: the offer went out, the
    person said goodbye (the flow waits quietly for them), or "save it, or …?" is pending.
    """
    if confirming(tracker):
        return True
    form = (tracker.active_loop or {}).get("name")
    if not form or not _rejected_since_last_message(tracker, form):
        return False
    intent = common.latest_intent(tracker)
    if intent == "resume_flow":
        return False
    if intent == "goodbye":
        return True
    values = {name: tracker.get_slot(name) for name in FLOW_MEMORY.get(form, ())}
    _offer(dispatcher, tracker, *describe(form, slot, values))
    return True


# --- pausing and resuming ---------------------------------------------------------------


def pause_events(tracker: Tracker, starting: Optional[str] = None) -> List[EventType]:
    """Events that keep the active form's place, when another flow (``starting``) takes over."""
    form = (tracker.active_loop or {}).get("name")
    if not form or form == starting or form not in FLOW_MEMORY:
        return []
    place = {
        "form": form,
        "slot": tracker.get_slot("requested_slot"),
        "values": {name: tracker.get_slot(name) for name in FLOW_MEMORY[form]},
    }
    return [SlotSet(PAUSED_SLOT, place), SlotSet(PAUSED_FLAG, True)]


def offer_paused(dispatcher: CollectingDispatcher, tracker: Tracker) -> bool:
    """Offers a paused flow back (after the exchange that paused it); True if it did."""
    place = tracker.get_slot(PAUSED_SLOT)
    if not isinstance(place, dict) or place.get("form") not in FLOW_MEMORY:
        return False
    _offer(dispatcher, tracker, *describe(place["form"], place.get("slot"), place["values"]))
    return True


def clear_paused() -> List[EventType]:
    """Events that forget a paused flow."""
    return [SlotSet(PAUSED_SLOT, None), SlotSet(PAUSED_FLAG, False)]


class ActionPauseFlow(Action):
    """Pauses the active form before an exchange that needs the next message too."""

    def name(self) -> Text:
        """Action name."""
        return "action_pause_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Keeps the place and deactivates the form (the rule's next step answers)."""
        return pause_events(tracker) + [ActiveLoop(None), SlotSet("requested_slot", None)]


class ActionOfferResume(Action):
    """After the exchange that paused a flow: "want to go back to …?" (quiet if none)."""

    def name(self) -> Text:
        """Action name."""
        return "action_offer_resume"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the offer when a flow is paused."""
        offer_paused(dispatcher, tracker)
        return []


class ActionResumeFlow(Action):
    """"Resume": back to the question the person was on."""

    def name(self) -> Text:
        """Action name."""
        return "action_resume_flow"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Lets an active form ask again, or restores a paused one and starts it."""
        if (tracker.active_loop or {}).get("name"):
            return []  # the form asks its question again right after this
        place = tracker.get_slot(PAUSED_SLOT)
        if not isinstance(place, dict) or place.get("form") not in FLOW_MEMORY:
            dispatcher.utter_message(
                text=common.text("resume.nothing"),
                buttons=[
                    button(common.text("button.craving"), "/craving_contact"),
                    button(common.text("button.calm"), "/request_grounding"),
                ],
            )
            return clear_paused()
        form = place["form"]
        dispatcher.utter_message(text=common.fresh_text(tracker, "resume.back"))
        restored = [SlotSet(name, value) for name, value in (place.get("values") or {}).items()]
        restored += [SlotSet(slot, None) for slot in _unanswered(form, place.get("slot"))]
        return [
            *restored,
            *clear_paused(),
            SlotSet(PENDING_SLOT, None),
            SlotSet("requested_slot", None),
            FollowupAction(form),
        ]


def _unanswered(form: str, slot: Optional[str]) -> List[str]:
    """The form slots from the paused question on: they are asked again."""
    order = {
        "craving_form": ["urge_before", "craving_choice", "craving_tool_done", "urge_after"],
        "exercise_form": ["exercise_done"],
        "relapse_form": ["relapse_trigger", "relapse_plan"],
        "safety_plan_form": ["plan_answer"],
    }[form]
    if slot not in order:
        return order
    return order[order.index(slot):]


class ActionNotNow(Action):
    """"Not now": the paused (or active) flow ends, kindly."""

    def name(self) -> Text:
        """Action name."""
        return "action_not_now"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Ends the flow and says so."""
        events: List[EventType] = clear_paused() + [SlotSet(PENDING_SLOT, None)]
        if (tracker.active_loop or {}).get("name"):
            events += [
                ActiveLoop(None),
                SlotSet("requested_slot", None),
                ReminderCancelled(name=common.CHECKIN_REMINDER),
            ]
        dispatcher.utter_message(
            text=common.fresh_text(tracker, "resume.not_now"),
            buttons=[
                button(common.text("button.calm"), "/request_grounding"),
                button(common.text("button.craving"), "/craving_contact"),
                button(common.text("button.thanks"), "/thanks"),
            ],
        )
        return events
