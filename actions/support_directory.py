"""Beyond the bot (issue 14): "i think i need a therapist", "is there a support group".

A short list for the person's country from ``bot/content/data/support_directory.yml``
(therapists, low-cost options, peer groups; each entry sourced and dated), with the
international peer group for everyone.
"""

from __future__ import annotations

from typing import List, Text

from rasa_sdk import Action, Tracker
from rasa_sdk.events import EventType
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.content import support_directory
from bot.safety.resources import load_directory


class ActionSupportOptions(Action):
    """Sends the short list for the person's country (or asks where they are)."""

    def name(self) -> Text:
        """Action name."""
        return "action_support_options"

    async def run(
        self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict
    ) -> List[EventType]:
        """One message: intro, the entries, and a plain note on what a bot can't check."""
        directory = support_directory.load()
        code = str(tracker.get_slot("country") or "").upper()
        country = load_directory().countries.get(code)
        lines = [
            directory.text("intro_country", name=country.name)
            if country and code in directory.countries
            else directory.text("intro_unknown")
        ]
        lines += [entry.display() for entry in directory.for_country(code)]
        if country is None and code != "OTHER":
            lines.append(directory.text("ask_country"))
        lines.append(directory.text("outro"))
        dispatcher.utter_message(text="\n".join(lines))
        return []
