"""Crisis-layer actions: counting false alarms (issue 3).

The crisis answers themselves are domain responses (data/rules/crisis.yml) so they never
wait for this server. This action only runs after "that's not what I meant" has already
been answered, and it stores a count, never the text.
"""

import asyncio
import logging
from typing import Any, Dict, Iterable, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher

from bot.store import StoreUnavailable, service
from bot.store.identity import pseudonym

logger = logging.getLogger(__name__)

CRISIS_ACTIVE_SLOT = "crisis_active"


def crisis_was_active(events: Iterable[Dict[Text, Any]]) -> bool:
    """True when the check-in mode was on before the latest user message.

    The ``crisis_active`` slot is already switched off by the time this action runs (the
    false-alarm intent's slot mapping does that), so the value that matters is the last
    one set *before* the latest user message.
    """
    events = list(events)
    last_user = max((i for i, e in enumerate(events) if e.get("event") == "user"), default=None)
    if last_user is None:
        return False
    value: Optional[Any] = None
    for event in events[:last_user]:
        if event.get("event") == "slot" and event.get("name") == CRISIS_ACTIVE_SLOT:
            value = event.get("value")
        elif event.get("event") in ("session_started", "restart"):
            value = None
    return value is True


class ActionRecordFalseAlarm(Action):
    """Counts a false alarm for the person when a crisis answer was a misreading."""

    def name(self) -> Text:
        """Returns the action's name."""
        return "action_record_false_alarm"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: Dict[Text, Any]
    ) -> List[EventType]:
        """Adds one to the person's false-alarm count (nothing else is stored).

        Nothing is counted when no crisis answer preceded ("you misunderstood" about
        something else). A database outage is logged and otherwise ignored: the person
        has already had their answer.
        """
        if not crisis_was_active(tracker.events):
            return []
        try:
            await asyncio.to_thread(service.record_false_alarm, tracker.sender_id)
        except StoreUnavailable:
            logger.warning(
                "False alarm of %s not counted: store unavailable", pseudonym(tracker.sender_id)
            )
        return []
