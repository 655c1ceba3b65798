"""Small helpers the flow actions share: content, safe store calls, replies, slots.

Nothing here runs at import time: the content library loads on first use and the store
opens its engine on first call.
"""

from __future__ import annotations

import logging
import os
import random
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Dict, List, Optional, Tuple, TypeVar

from rasa_sdk import Tracker
from rasa_sdk.events import EventType, ReminderScheduled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from bot.content.library import Exercise, Library, UnknownContentId, load_library
from bot.content.walkthrough import Reply
from bot.reading import clock, daytime
from bot.store import StoreUnavailable, service
from bot.store.identity import pseudonym

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Picks message variations; tests may reseed it. Not security-relevant.
RNG = random.Random()

EXTERNAL_PREFIX = "EXTERNAL_"
CHECKIN_INTENT = "EXTERNAL_urge_checkin"
VAULT_INTENT = "EXTERNAL_vault_revisit"
CHECKIN_REMINDER = "harbor_urge_checkin"
VAULT_REMINDER = "harbor_vault_revisit"
DEFAULT_CHECKIN_SECONDS = 600
# The shortest wait before a vault message comes back; it then waits for daytime where the
# person is (bot/reading/daytime.py).
DEFAULT_VAULT_HOURS = 8.0
# A vault reminder that arrives mid-exercise waits this long and tries again.
VAULT_RETRY = timedelta(hours=1)


def library() -> Library:
    """The content library (loaded and validated on first use)."""
    return load_library()


def text(key: str, **fields: Any) -> str:
    """One variation of a content message, with ``fields`` filled in."""
    return library().text(key, RNG, **fields)


def fresh_text(tracker: Tracker, key: str, **fields: Any) -> str:
    """One variation of ``key``, never the one this person was shown last time.

    Prompts a person meets several times a night ("how strong is the urge?", "did that
    help?") should not read like a form: the variation last sent to this person (found
    in the conversation) is left out of the draw when there are others.
    """
    variations = [v.format(**fields) for v in library().messages[key]]
    if len(variations) > 1:
        shown = set(variations)
        for event in reversed(tracker.events or []):
            said = event.get("text") if event.get("event") == "bot" else None
            if said in shown:
                variations = [v for v in variations if v != said]
                break
    return RNG.choice(variations)


def store_call(call: Callable[..., T], *args: Any, **kwargs: Any) -> Tuple[bool, Optional[T]]:
    """Calls a store function; returns ``(True, result)`` or ``(False, None)`` on failure.

    Failures are logged without user text (the store's messages never carry any) so the
    action can tell the person plainly that this one wasn't saved, and carry on.
    """
    try:
        return True, call(*args, **kwargs)
    except StoreUnavailable as error:
        logger.warning("Store unavailable in %s: %s", call.__name__, error)
    except ValueError as error:
        logger.warning("Store refused %s: %s", call.__name__, type(error).__name__)
    return False, None


def send(dispatcher: CollectingDispatcher, reply: Reply) -> None:
    """Sends a reply's texts; the buttons go with the last one."""
    for index, line in enumerate(reply.texts):
        last = index == len(reply.texts) - 1
        dispatcher.utter_message(text=line, buttons=reply.buttons if last else None)


def payload(intent: str, **entities: Any) -> str:
    """A button payload that sets an intent (and entities) without NLU."""
    if not entities:
        return f"/{intent}"
    inner = ", ".join(f'"{key}": "{value}"' for key, value in entities.items())
    return f"/{intent}{{{inner}}}"


def latest_intent(tracker: Tracker) -> Optional[str]:
    """The intent of the person's latest message (or of the reminder that fired)."""
    return (tracker.latest_message or {}).get("intent", {}).get("name")


def latest_text(tracker: Tracker) -> str:
    """The text of the latest message ("" when none)."""
    return (tracker.latest_message or {}).get("text") or ""


def latest_entities(tracker: Tracker) -> List[Dict[str, Any]]:
    """The entities of the latest message."""
    return list((tracker.latest_message or {}).get("entities") or [])


def is_external(tracker: Tracker) -> bool:
    """True when the latest "message" is a reminder or external event, not the person."""
    return (latest_intent(tracker) or "").startswith(EXTERNAL_PREFIX)


def current_exercise(tracker: Tracker) -> Optional[Exercise]:
    """The exercise in the ``exercise_id`` slot, or None (unknown ids are logged)."""
    exercise_id = tracker.get_slot("exercise_id")
    if not exercise_id:
        return None
    try:
        return library().exercise(exercise_id)
    except UnknownContentId:
        logger.warning("Unknown exercise id in slot: %r", exercise_id)
        return None


def step_of(tracker: Tracker) -> int:
    """The current step index (0 when unset)."""
    return int(tracker.get_slot("exercise_step") or 0)


def last_exercise_id(tracker: Tracker) -> Optional[str]:
    """The person's previous exercise: the conversation's memory first, then the store."""
    remembered = tracker.get_slot("last_exercise")
    if remembered:
        return remembered
    _, stored = store_call(service.last_exercise, tracker.sender_id)
    return stored


def exercise_start_events(exercise: Exercise, prelude: Optional[str] = None) -> List[EventType]:
    """Slot events that put an exercise at its first step (the form then asks it)."""
    return [
        SlotSet("exercise_id", exercise.id),
        SlotSet("exercise_step", 0.0),
        SlotSet("exercise_done", None),
        SlotSet("exercise_prelude", prelude),
        SlotSet("last_exercise", exercise.id),
    ]


def fresh_form_events() -> List[EventType]:
    """Clears ``requested_slot`` before a form starts.

    Slots carry over sessions; a form cut off last time mustn't make the new one think
    it is asking again. Never return this from a form's validation (it ends the form).
    """
    return [SlotSet("requested_slot", None)]


def now_utc() -> datetime:
    """The current time, timezone-aware UTC."""
    return datetime.now(timezone.utc)


def checkin_seconds() -> int:
    """Seconds from the end of urge surfing to the check-in (``HARBOR_CHECKIN_SECONDS``)."""
    return _positive_env("HARBOR_CHECKIN_SECONDS", DEFAULT_CHECKIN_SECONDS)


def vault_hours() -> float:
    """The shortest wait, in hours, before a vault message is offered back.

    ``HARBOR_VAULT_REVISIT_HOURS``; the reminder then waits for the next day's daytime in
    the person's zone (:func:`vault_revisit_at`).
    """
    return float(_positive_env("HARBOR_VAULT_REVISIT_HOURS", DEFAULT_VAULT_HOURS))


def page_timezone(tracker: Tracker) -> Optional[str]:
    """The zone the chat page sent with the latest message (``{"timezone": "Area/City"}``)."""
    for event in reversed(tracker.events or []):
        if event.get("event") == "user":
            metadata = event.get("metadata") or {}
            name = metadata.get("timezone") if isinstance(metadata, dict) else None
            return name if isinstance(name, str) and clock.local_now(name) else None
    return None


def known_timezone(tracker: Tracker) -> Optional[str]:
    """The person's zone: the page's, the slot's, the store's, or their country's; else None."""
    sent = page_timezone(tracker)
    if sent:
        return sent
    remembered = tracker.get_slot("timezone")
    if remembered and clock.local_now(remembered):
        return remembered
    _, stored = store_call(service.get_timezone, tracker.sender_id)
    if stored and clock.local_now(stored):
        return stored
    return clock.timezone_for_country(tracker.get_slot("country"))


def vault_revisit_at(tracker: Tracker) -> datetime:
    """When a message kept now comes back: the next day, 10:00–20:00 where the person is."""
    return daytime.next_day_daytime(
        now_utc(), known_timezone(tracker), timedelta(hours=vault_hours())
    )


def _positive_env(name: str, default: float) -> Any:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = type(default)(float(raw))
    except ValueError:
        logger.warning("%s=%r is not a number; using %s", name, raw, default)
        return default
    return value if value > 0 else default


def spoken_delay(seconds: float) -> str:
    """"in 10 minutes", "in a minute", "in a few seconds" — for the surfing promise."""
    if seconds >= 90:
        return f"in {round(seconds / 60)} minutes"
    if seconds >= 45:
        return "in about a minute"
    return "in a few moments"


def reminder(
    intent: str, name: str, delay: timedelta, at: Optional[datetime] = None
) -> ReminderScheduled:
    """A reminder that fires ``intent`` after ``delay`` (or ``at``), even if the person writes."""
    return ReminderScheduled(
        intent,
        trigger_date_time=at or now_utc() + delay,
        name=name,
        kill_on_user_message=False,
    )


def external_followups(tracker: Tracker) -> List[EventType]:
    """Events for a reminder that arrived while a form was busy.

    The urge check-in is handled by the craving form itself; a vault reminder that lands
    mid-exercise is not lost — it tries again an hour later.
    """
    if latest_intent(tracker) == VAULT_INTENT:
        return [reminder(VAULT_INTENT, VAULT_REMINDER, VAULT_RETRY)]
    return []


def who(tracker: Tracker) -> str:
    """A log-safe stand-in for the person."""
    return pseudonym(tracker.sender_id)


def days(count: int) -> str:
    """"1 day", "12 days"."""
    return f"{count} day" if count == 1 else f"{count} days"
