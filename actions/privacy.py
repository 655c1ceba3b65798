"""Privacy actions: what Harbor stores, a copy of it, and deleting all of it (issue 4).

Thin on purpose: the work is in :mod:`bot.store.service`. Each action reports its outcome
in a slot (``data_deleted``, ``export_failed``) and the rules in data/rules/privacy.yml
pick the answer from it, so the person is never told something happened that didn't.
"""

import asyncio
import logging
import os
from datetime import datetime, timedelta, timezone
from typing import Any, Dict, List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType, ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions import common
from bot.store import StoreUnavailable, service
from bot.store.identity import pseudonym
from bot.store.privacy import DELETION_SLOT

logger = logging.getLogger(__name__)

EXPORT_FAILED_SLOT = "export_failed"
# Each export sends everything again; a few an hour is plenty for a person, and a bound for
# anyone who got hold of a conversation id.
DEFAULT_EXPORTS_PER_HOUR = 3


def storage_lines() -> List[str]:
    """One line per kind of data kept: "• Your vault: the messages you wrote...; when..."."""
    return [
        f"• {common.text(heading)}: {'; '.join(common.text(field) for field in fields)}."
        for heading, fields in service.storage_sections()
    ]


def describe_storage() -> str:
    """An honest, plain answer to "what do you store and who can read it?".

    The kinds of data come from the store's models, so the answer follows the schema.
    """
    days = service.retention_setting()
    keep = (
        common.text("privacy.kept_for_days", days=days)
        if days
        else common.text("privacy.kept_until_deleted")
    )
    return "\n\n".join(
        [
            common.text("privacy.storage_intro"),
            "\n".join(storage_lines()),
            common.text("privacy.who_reads"),
            f"{keep} {common.text('privacy.export_or_delete')}",
        ]
    )


def exports_per_hour() -> int:
    """``HARBOR_EXPORTS_PER_HOUR`` (default 3)."""
    raw = os.environ.get("HARBOR_EXPORTS_PER_HOUR", "").strip()
    try:
        return max(1, int(raw or DEFAULT_EXPORTS_PER_HOUR))
    except ValueError:
        return DEFAULT_EXPORTS_PER_HOUR


class ActionDeleteMyData(Action):
    """Erases everything stored for the person (run only after they confirmed)."""

    def name(self) -> Text:
        """Returns the action's name."""
        return "action_delete_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Deletes Harbor's rows and the conversation, then marks the tracker for erasure.

        The marker (``data_deleted: true``) makes HarborTrackerStore erase the
        conversation again when Rasa saves the tracker after this action, instead of
        writing it back. Pending reminders (urge-surfing check-ins) are cancelled.
        """
        try:
            await asyncio.to_thread(service.delete_user, tracker.sender_id)
        except StoreUnavailable:
            logger.warning(
                "Delete request of %s not done: store unavailable", pseudonym(tracker.sender_id)
            )
            return [SlotSet(DELETION_SLOT, False)]
        return [ReminderCancelled(), SlotSet(DELETION_SLOT, True)]


class ActionExportMyData(Action):
    """Sends the person everything stored about them as one JSON document."""

    def name(self) -> Text:
        """Returns the action's name."""
        return "action_export_my_data"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Sends the export as a custom JSON message; channels decide how to deliver it.

        The message is ``{"harbor_export": {"filename", "mime_type", "data"}}``; the web
        page can offer it as a download, Telegram as a document. It is delivered once and
        never stored: the tracker store keeps only a stub (``bot.store.redaction``). At most
        ``HARBOR_EXPORTS_PER_HOUR`` exports per person per hour.
        """
        since = datetime.now(timezone.utc) - timedelta(hours=1)
        try:
            recent = await asyncio.to_thread(service.exports_since, tracker.sender_id, since)
            if recent >= exports_per_hour():
                dispatcher.utter_message(text=common.text("privacy.export_limit", count=recent))
                return [SlotSet(EXPORT_FAILED_SLOT, False)]
            document = await asyncio.to_thread(service.export_user, tracker.sender_id)
        except StoreUnavailable:
            logger.warning(
                "Export for %s not done: store unavailable", pseudonym(tracker.sender_id)
            )
            return [SlotSet(EXPORT_FAILED_SLOT, True)]
        day = datetime.now(timezone.utc).strftime("%Y-%m-%d")
        dispatcher.utter_message(
            json_message={
                "harbor_export": {
                    "filename": f"harbor-export-{day}.json",
                    "mime_type": "application/json",
                    "data": document,
                }
            }
        )
        return [SlotSet(EXPORT_FAILED_SLOT, False)]


class ActionDescribeStorage(Action):
    """Answers "what do you store / who can read this" from what the store really keeps."""

    def name(self) -> Text:
        """Returns the action's name."""
        return "action_describe_storage"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Sends the description; needs no database, so it works during an outage too."""
        dispatcher.utter_message(text=describe_storage())
        return []
