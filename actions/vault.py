"""The vault: a message written here instead of sent, offered back the next day.

``EXTERNAL_vault_revisit`` fires the next day in daytime where the person is (see
actions/craving.py and bot/reading/daytime.py). Its notice never holds what they wrote —
a lock screen someone else sees shows nothing private: "You saved something here last
time — want to look at it now?". Only "Show me" shows the message ("do you still want to
send it?"); "Not now" asks again the next day. If the person is mid-exercise or after a
crisis, the reminder waits an hour; if nothing is due (already shown, or deleted), it
stays quiet.
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


def _clear() -> List[EventType]:
    return [SlotSet("vault_entry_id", None), SlotSet("vault_shown", None)]


class ActionVaultRevisit(Action):
    """Says a kept message is waiting — without its words — and asks whether to show it."""

    def name(self) -> Text:
        """Action name."""
        return "action_vault_revisit"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the notice with "Show me" / "Not now" for the oldest due message."""
        # vault_shown is always set here (false: nothing shown), as the rules expect.
        waiting = SlotSet("vault_shown", False)
        retry = common.reminder(common.VAULT_INTENT, common.VAULT_REMINDER, common.VAULT_RETRY)
        if tracker.active_loop.get("name") or tracker.get_slot("crisis_active"):
            return [retry, waiting]
        ok, due = common.store_call(service.due_vault_entries, tracker.sender_id)
        if not ok:
            return [retry, waiting]
        if not due:
            return [SlotSet("vault_entry_id", None), waiting]
        dispatcher.utter_message(
            text=common.text("vault.notice"),
            buttons=[
                button(common.text("button.show_it"), "/affirm"),
                button(common.text("button.not_now"), "/deny"),
            ],
        )
        return [SlotSet("vault_entry_id", due[0].id), waiting]


class ActionVaultAnswer(Action):
    """Shows the message on "Show me", then answers "still want to send it?" kindly."""

    def name(self) -> Text:
        """Action name."""
        return "action_vault_answer"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Shows, postpones, or answers yes/no; without a message in play, asks what's next."""
        entry_id = tracker.get_slot("vault_entry_id")
        if not entry_id:
            dispatcher.utter_message(response="utter_anything_else")
            return []
        yes = common.latest_intent(tracker) == "affirm"
        if not tracker.get_slot("vault_shown"):
            return self._show(dispatcher, tracker, int(entry_id)) if yes else self._later(
                dispatcher, tracker
            )
        if yes:
            dispatcher.utter_message(
                text=common.text("vault.still_want"),
                buttons=[
                    button(common.text("button.craving"), "/craving_contact"),
                    button(common.text("button.thanks"), "/thanks"),
                ],
            )
        else:
            dispatcher.utter_message(text=common.text("vault.let_go"))
        return _clear()

    @staticmethod
    def _show(
        dispatcher: CollectingDispatcher, tracker: Tracker, entry_id: int
    ) -> List[EventType]:
        ok, entry = common.store_call(service.vault_entry, tracker.sender_id, entry_id)
        if not ok or entry is None:
            dispatcher.utter_message(text=common.text("vault.unavailable"))
            return _clear()
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
        events: List[EventType] = [SlotSet("vault_shown", True)]
        ok_due, due = common.store_call(service.due_vault_entries, tracker.sender_id)
        if ok_due and due:
            events.append(
                common.reminder(common.VAULT_INTENT, common.VAULT_REMINDER, common.VAULT_RETRY)
            )
        return events

    @staticmethod
    def _later(dispatcher: CollectingDispatcher, tracker: Tracker) -> List[EventType]:
        dispatcher.utter_message(text=common.text("vault.later"))
        at = common.vault_revisit_at(tracker)
        return _clear() + [
            common.reminder(common.VAULT_INTENT, common.VAULT_REMINDER, common.VAULT_RETRY, at=at)
        ]
