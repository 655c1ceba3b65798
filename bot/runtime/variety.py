"""Never the same wording twice in a row for one person, for the responses people meet often.

Rasa picks a response variation at random, so "I'm not sure I followed" can come twice in a
row, and a night of "is there anything else?" reads like a form. For the responses in
``ROTATED`` this leaves out of the draw the variation the person was shown last time (found
in their conversation), when there are others. Installed with the outage guard, when the model
is loaded; the crisis answers are never touched (their variations are chosen by conditions).
"""

from __future__ import annotations

from typing import Any, Dict, Optional, Text

from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.trackers import DialogueStateTracker

ROTATED = frozenset(
    {
        "utter_default",
        "utter_anything_else",
        "utter_greet",
        "utter_goodbye",
        "utter_thanks",
        "utter_bot_challenge",
        "utter_stop",
        "utter_craving_contact",
        "utter_relapsed_contact",
        "utter_feeling_unworthy",
        "utter_feeling_lonely",
        "utter_share_win",
    }
)
_MARK = "_harbor_variety"


def last_shown(tracker: DialogueStateTracker, utter_action: str) -> Optional[str]:
    """The text of the last time ``utter_action`` was sent in this conversation, if ever."""
    for event in reversed(tracker.events):
        if getattr(event, "type_name", "") != "bot":
            continue
        if (getattr(event, "metadata", None) or {}).get("utter_action") == utter_action:
            return event.text
    return None


def install() -> None:
    """Wraps the response generator once per process."""
    if getattr(TemplatedNaturalLanguageGenerator.generate, _MARK, False):
        return
    original = TemplatedNaturalLanguageGenerator.generate

    async def generate(
        self: TemplatedNaturalLanguageGenerator,
        utter_action: Text,
        tracker: DialogueStateTracker,
        output_channel: Text,
        **kwargs: Any,
    ) -> Optional[Dict[Text, Any]]:
        variations = self.responses.get(utter_action) or []
        if utter_action in ROTATED and len(variations) > 1:
            previous = last_shown(tracker, utter_action)
            others = [v for v in variations if v.get("text") != previous]
            if previous is not None and others and len(others) < len(variations):
                narrowed = TemplatedNaturalLanguageGenerator(
                    {**self.responses, utter_action: others}
                )
                response = await original(narrowed, utter_action, tracker, output_channel, **kwargs)
                if response is not None:
                    return response
        return await original(self, utter_action, tracker, output_channel, **kwargs)

    setattr(generate, _MARK, True)
    TemplatedNaturalLanguageGenerator.generate = generate  # type: ignore[method-assign]
