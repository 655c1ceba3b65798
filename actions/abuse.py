"""Abuse awareness (issue 14): named kindly, one question about safety, a line, a plan.

A partner who checks the person's phone, controls money, cuts them off, threatens, hits or
forces sex (``abuse_disclosure``), or "i moved back in with him" / "he's coming over"
(``back_with_partner``): Harbor says it is not their fault and not an attachment style,
asks once whether they feel safe, and offers the domestic-violence line for their country,
a short safety-planning walk-through and the quick exit. It never tells them to leave,
confront or report. A message that is also danger never gets here: the crisis layer
answers it first. Wording: ``bot/content/data/abuse.yml``.
"""

from __future__ import annotations

import re
from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content import abuse
from bot.content.walkthrough import button
from bot.reading.answers import entity_value

ASKED_SLOT = "abuse_safety_asked"
STEP_ENTITY = "abuse_step"
COMING_OVER = re.compile(r"\b(com(e|es|ing)\s+(over|round|around|by)|on his way)\b", re.I)


def _plan_button(number: int = 1) -> dict:
    content = abuse.load()
    title = content.text("button_plan" if number == 1 else "button_next")
    return button(title, common.payload("abuse_safety_planning", abuse_step=number))


class ActionAbuseAwareness(Action):
    """Names it kindly, offers the line and the quick exit, asks once about safety."""

    def name(self) -> Text:
        """Action name."""
        return "action_abuse_awareness"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends two or three short messages; the last carries the buttons."""
        content = abuse.load()
        asked = bool(tracker.get_slot(ASKED_SLOT))
        if common.latest_intent(tracker) == "back_with_partner":
            moment = "coming_over" if COMING_OVER.search(common.latest_text(tracker)) else "back"
            dispatcher.utter_message(text=content.text(moment))
        else:
            dispatcher.utter_message(text=content.text("named_again" if asked else "named"))
        line = abuse.dv_line(tracker.get_slot("country"))
        help_text = content.text("line_local", line=line) if line else content.text("line_unknown")
        closing = f"{help_text}\n{content.text('quick_exit')}"
        if asked:
            dispatcher.utter_message(text=closing, buttons=[_plan_button()])
            return []
        dispatcher.utter_message(text=closing)
        dispatcher.utter_message(
            text=content.text("ask_safe"),
            buttons=[
                button(content.text("button_safe"), "/affirm"),
                button(content.text("button_not_safe"), "/deny"),
                _plan_button(),
            ],
        )
        return [SlotSet(ASKED_SLOT, True)]


class ActionAbuseSafetyPlanning(Action):
    """The short safety-planning walk-through for abuse, one idea per message."""

    def name(self) -> Text:
        """Action name."""
        return "action_abuse_safety_planning"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends step N (from the button; the intro comes with the first)."""
        content = abuse.load()
        number = _step_number(tracker)
        if number > len(content.steps):
            dispatcher.utter_message(
                text=content.text("plan_end"),
                buttons=[button(common.text("button.sos"), "/request_resources")],
            )
            return []
        if number == 1:
            dispatcher.utter_message(text=content.text("plan_intro"))
        _, step = content.steps[number - 1]
        dispatcher.utter_message(
            text=f"({number}/{len(content.steps)}) {step}",
            buttons=[
                _plan_button(number + 1),
                button(content.text("button_done"), "/thanks"),
            ],
        )
        return []


def _step_number(tracker: Tracker) -> int:
    value = entity_value(common.latest_entities(tracker), STEP_ENTITY)
    try:
        return max(int(float(value)), 1) if value is not None else 1
    except (TypeError, ValueError):
        return 1
