"""Progress: "show my progress", "how am I doing", /progress, the button after a craving.

A chart of the last 30 days (each craving's before → after, the no-contact streak and
slips, which tools lowered the urge most on average) drawn on Harbor's server, always
with a text summary that names the tool that helped most. Web and REST get the chart as
``image``: a short-lived, unguessable link (``bot.progress.links``); Telegram gets the
picture itself (``harbor_photo``, sent with ``sendPhoto`` and the summary as caption).
Nothing logged yet: a kind line instead of an empty chart.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions import common
from bot.content.library import Library, UnknownContentId
from bot.content.selection import tool_label, tool_title
from bot.content.walkthrough import button
from bot.progress import chart, links
from bot.store import service
from bot.store.progress import Progress, helped_most

TELEGRAM = "telegram"
LABEL_FIELDS = [
    "cravings_title", "urge_axis", "before", "after", "streak_title", "streak_axis", "slip",
    "tools_title", "tools_axis", "no_cravings", "no_streak", "no_tools",
]  # fmt: skip


def labels() -> chart.ChartLabels:
    """The words on the chart, from the content data."""
    return chart.ChartLabels(**{name: common.text(f"chart.{name}") for name in LABEL_FIELDS})


def _named(name: Any, tool: str, lib: Library) -> str:
    try:
        return name(tool, lib)
    except UnknownContentId:
        return tool


def summary(data: Progress, lib: Library) -> str:
    """The text that always comes with the chart (screen readers, Telegram previews)."""
    lines = [common.text("progress.intro")]
    count = len(data.cravings)
    if count:
        many = "progress.cravings_count_one" if count == 1 else "progress.cravings_count_many"
        lines.append(common.text("progress.cravings", count=common.text(many, count=count)))
        best = helped_most(data.cravings)
        if best is not None:
            lines.append(
                common.text(
                    "progress.helped_most",
                    tool=_named(tool_label, best.tool, lib),
                    before=_rounded(best.mean_before),
                    after=_rounded(best.mean_after),
                )
            )
        elif data.rated:
            lines.append(common.text("progress.nothing_lowered"))
        else:
            lines.append(common.text("progress.not_rated"))
    if data.runs or data.current_days:
        lines.append(
            common.text(
                "progress.streak",
                current=common.days(data.current_days),
                longest=common.days(data.longest_days),
            )
        )
        slips = len(data.slips)
        key = "progress.slips" if slips else "progress.no_slips"
        lines.append(common.text(key, slips=slips))
    return "\n".join(lines)


def _rounded(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def photo_payload(png: bytes, caption: str) -> Dict[str, Any]:
    """The custom message Telegram's output turns into ``sendPhoto`` (see bot/channels)."""
    return {"harbor_photo": {"data": base64.b64encode(png).decode("ascii"), "caption": caption}}


class ActionShowProgress(Action):
    """Draws the chart and sends it with its summary, or a kind line when there's nothing."""

    def name(self) -> Text:
        """Action name."""
        return "action_show_progress"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """Reads the last 30 days, renders the PNG off the event loop, sends it."""
        ok, data = common.store_call(service.progress, tracker.sender_id)
        if not ok or data is None:
            dispatcher.utter_message(text=common.text("progress.unavailable"))
            return []
        if data.empty:
            dispatcher.utter_message(
                text=common.text("progress.nothing_yet"), buttons=_start_buttons()
            )
            return []
        lib = common.library()
        text = summary(data, lib)
        png = await asyncio.to_thread(
            chart.render, data, labels(), lambda tool: _named(tool_title, tool, lib)
        )
        if tracker.get_latest_input_channel() == TELEGRAM:
            dispatcher.utter_message(json_message=photo_payload(png, text))
            return []
        image = self._link(tracker, png)
        dispatcher.utter_message(text=text, image=image)
        return []

    @staticmethod
    def _link(tracker: Tracker, png: bytes) -> Optional[str]:
        saved, key = common.store_call(
            service.save_chart, tracker.sender_id, png, links.chart_minutes()
        )
        return links.chart_path(key) if saved and key else None


def _start_buttons() -> List[Dict[str, str]]:
    return [
        button(common.text("button.craving"), "/craving_contact"),
        button(common.text("button.calm"), "/request_grounding"),
    ]
