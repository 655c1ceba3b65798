"""The vault: a message written here instead of sent, offered back later.

``EXTERNAL_vault_revisit`` fires ``HARBOR_VAULT_REVISIT_HOURS`` after a message was kept
(see actions/craving.py). If the person is mid-exercise then, the reminder waits an
hour and tries again; if nothing is due (already offered, or deleted), it stays quiet.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.walkthrough import button
from bot.store import service


class ActionVaultRevisit(Action):
    """Shows a due vault message: "do you still want to send this?"."""

    def name(self) -> Text:
        """Action name."""
        return "action_vault_revisit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the oldest due message with two buttons, and marks it offered."""
        retry = common.reminder(common.VAULT_INTENT, common.VAULT_REMINDER, common.VAULT_RETRY)
        if tracker.active_loop.get("name") or tracker.get_slot("crisis_active"):
            return [retry]
        ok, due = common.store_call(service.due_vault_entries, tracker.sender_id)
        if not ok:
            return [retry]
        if not due:
            return [SlotSet("vault_entry_id", None)]
        entry = due[0]
        dispatcher.utter_message(
            text=common.text("vault.revisit", text=entry.text),
            buttons=[
                button(common.text("button.let_go"), "/deny"),
                button(common.text("button.still_want"), "/affirm"),
            ],
        )
        marked, _ = common.store_call(service.mark_vault_revisited, entry.id)
        if not marked:
            dispatcher.utter_message(text=common.text("vault.not_saved"))
        events: List[EventType] = [SlotSet("vault_entry_id", entry.id)]
        if len(due) > 1:
            events.append(retry)
        return events


class ActionVaultAnswer(Action):
    """Answers "do you still want to send it?" — kindly, whichever way."""

    def name(self) -> Text:
        """Action name."""
        return "action_vault_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the answer for yes or no; without a shown message, asks what's next."""
        if not tracker.get_slot("vault_entry_id"):
            dispatcher.utter_message(response="utter_anything_else")
            return []
        if common.latest_intent(tracker) == "affirm":
            dispatcher.utter_message(
                text=common.text("vault.still_want"),
                buttons=[
                    button(common.text("button.craving"), "/craving_contact"),
                    button(common.text("button.thanks"), "/thanks"),
                ],
            )
        else:
            dispatcher.utter_message(text=common.text("vault.let_go"))
        return [SlotSet("vault_entry_id", None)]
