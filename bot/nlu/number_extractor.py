"""Rasa component that turns a 0–10 rating in free text into a ``number`` entity."""

from __future__ import annotations

from typing import List

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.shared.nlu.constants import ENTITIES, TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.stateless import StatelessComponent
from bot.reading.ratings import find_rating


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.ENTITY_EXTRACTOR], is_trainable=False
)
class NumberExtractor(StatelessComponent):
    """Adds a ``number`` entity with an int value, so "like a 7" fills a 0–10 slot."""

    def process(self, messages: List[Message]) -> List[Message]:
        """Adds the entity to every message that holds a 0–10 number."""
        for message in messages:
            found = find_rating(message.get(TEXT) or "")
            if found is None:
                continue
            value, start, end = found
            entity = {
                "entity": "number",
                "value": value,
                "start": start,
                "end": end,
                "confidence": 1.0,
                "extractor": "NumberExtractor",
            }
            message.set(ENTITIES, [*message.get(ENTITIES, []), entity], add_to_output=True)
        return messages
