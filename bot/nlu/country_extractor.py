"""Rasa component that finds the country a person says they are in.

Harbor needs the country only to show local crisis lines, so the extractor knows just the
countries in the resource directory and maps everything else a person names to ``OTHER``.
"""

from __future__ import annotations

from typing import List, Optional

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.stateless import StatelessComponent
from bot.reading.country_names import find_country


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class CountryExtractor(StatelessComponent):
    """Adds a ``country`` entity (ISO code such as ``GB``) when a message names a country."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the entity to every message that names a country."""
        for message in messages:
            self._add_country(message)
        return messages

    @staticmethod
    def _add_country(message: Message) -> None:
        text: Optional[str] = message.get(TEXT)
        if not text:
            return
        found = find_country(text)
        if found is None:
            return
        code, start, end = found
        entity = {
            "entity": "country",
            "value": code,
            "start": start,
            "end": end,
            "confidence": 1.0,
            "extractor": "CountryExtractor",
        }
        message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
