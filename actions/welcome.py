"""Welcome back: a returning person who greets hears one line of what matters.

"Welcome back — 12 days no contact. Last time, grounding took you from 8 to 4." Numbers and
the tool's name only, never anything the person wrote. Only when they greet or open the
chat (/start on Telegram is a greeting); never pushed. Returning means Harbor keeps
something for them and they have not written in the last hour: on Telegram that is anyone
coming back; on the web, someone whose page kept its key. Everyone else gets utter_greet
(so does everyone when the action server is down: bot/runtime/outage_guard.py).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.library import UnknownContentId
from bot.content.selection import tool_label
from bot.content.walkthrough import button
from bot.store import service

AWAY = timedelta(hours=1)


def away(tracker: Tracker, gap: timedelta = AWAY) -> bool:
    """True when the person's previous message (before this one) is older than ``gap``."""
    users = [e for e in tracker.events or [] if e.get("event") == "user"]
    if len(users) < 2:
        return True
    latest, previous = users[-1].get("timestamp"), users[-2].get("timestamp")
    if not isinstance(latest, (int, float)) or not isinstance(previous, (int, float)):
        return True
    return latest - previous > gap.total_seconds()


def welcome_line(sender_id: str) -> Optional[str]:
    """The one line for a returning person, or None (new, nothing kept, or store down)."""
    ok, streak = common.store_call(service.get_streak, sender_id)
    ok_last, last = common.store_call(service.last_craving, sender_id)
    if not ok or not ok_last:
        return None
    days = streak.current_days if streak and streak.started_at else None
    eased = last if last and last.after is not None and last.after < last.before else None
    fields: Dict[str, Any] = {}
    if eased is not None:
        fields = {"tool": _label(eased.tool), "before": eased.before, "after": eased.after}
    if days and eased:
        return common.text("welcome.streak_and_last", days=common.days(days), **fields)
    if days:
        return common.text("welcome.streak", days=common.days(days))
    if eased:
        return common.text("welcome.last", **fields)
    if streak and (streak.started_at or streak.slips) or last:
        return common.text("welcome.plain")
    return None


def _label(tool: str) -> str:
    try:
        return tool_label(tool, common.library())
    except UnknownContentId:
        return tool


class ActionWelcomeBack(Action):
    """Greets: one line of what matters for someone returning, the introduction otherwise."""

    def name(self) -> Text:
        """Action name."""
        return "action_welcome_back"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Sends the welcome-back line and the usual choices, or ``utter_greet``."""
        line = welcome_line(tracker.sender_id) if away(tracker) else None
        if line is None:
            dispatcher.utter_message(response="utter_greet")
            return []
        dispatcher.utter_message(
            text=f"{line} {common.text('welcome.ask')}",
            buttons=[
                button(common.text("button.craving"), "/craving_contact"),
                button(common.text("button.calm"), "/request_grounding"),
                button(common.text("button.progress"), "/show_progress"),
            ],
        )
        return []
