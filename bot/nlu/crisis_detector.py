"""Rasa component that screens every message for a crisis and overrides the intent.

It runs last in the NLU pipeline (see ``config.yml``), so nothing after it can undo it.
When :func:`bot.safety.assess` finds suicide, self-harm or danger, the message gets:

- intent ``crisis`` with confidence 1.0, first in the intent ranking;
- entities ``crisis_category`` (``suicide``/``self_harm``/``danger``) and ``crisis_kind``
  (``distress``/``danger``) that fill the slots the crisis answer is chosen by;
- a ``crisis`` entry in the parse data with the evidence (rule ids and matched words) and
  the intent the classifier had predicted; Rasa keeps it in the tracker's parse data.

A message that is only a request for the resources ("sos", "SOS!", "/sos") gets the intent
``request_resources`` with confidence 1.0, so the advertised "type SOS any time" never
depends on the trained classifier.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message

import bot.safety

logger = logging.getLogger(__name__)

CRISIS_KEY = "crisis"
CATEGORY_ENTITY = "crisis_category"
KIND_ENTITY = "crisis_kind"
OWN_ENTITIES = frozenset({CATEGORY_ENTITY, KIND_ENTITY})

# "sos", "SOS!!", "/sos", "sos please", "s.o.s" — the whole message, nothing else.
SOS_PATTERN = re.compile(
    r"^\W*/?\s*s\.?\s*o\.?\s*s\.?(\s+(please|pls|plz|now|help|help me|me))*\W*$",
    re.IGNORECASE,
)


def is_sos(text: str) -> bool:
    """True when the whole message asks for the resources with the SOS keyword."""
    return bool(SOS_PATTERN.match(text or ""))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=False
)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Sets the ``crisis`` intent (and category/kind entities) on crisis messages."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # Intent set on messages the safety screen flags.
            "crisis_intent": "crisis",
            # Intent set on a bare "sos"; None switches the SOS shortcut off.
            "resources_intent": "request_resources",
        }

    def __init__(self, config: Dict[Text, Any]) -> None:
        """Creates the component; the screen itself is built by :meth:`create`."""
        self.component_config = {**self.get_default_config(), **config}

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisDetector":
        """Creates the component and builds the screen now, not on the first message."""
        component = cls(config)
        try:
            bot.safety.warm_up()
        except Exception:  # noqa: BLE001 - assess() falls back to keywords; keep serving
            logger.exception("Could not build the crisis screen; using the keyword fallback.")
        return component

    def process(self, messages: List[Message]) -> List[Message]:
        """Screens each message and overrides its intent when it reads as a crisis."""
        for message in messages:
            self._process_one(message)
        return messages

    def _process_one(self, message: Message) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip():
            return
        assessment = bot.safety.assess(text)
        if assessment.is_crisis:
            self._mark_crisis(message, assessment)
        elif self.component_config["resources_intent"] and is_sos(text):
            _set_intent(message, self.component_config["resources_intent"])

    def _mark_crisis(self, message: Message, assessment: bot.safety.Assessment) -> None:
        previous: Optional[Dict[Text, Any]] = message.get(INTENT)
        _set_intent(message, self.component_config["crisis_intent"])
        text = message.get(TEXT)
        entities = [
            entity
            for entity in message.get(ENTITIES, [])
            if entity.get(ENTITY_ATTRIBUTE_TYPE) not in OWN_ENTITIES
        ]
        for name, value in ((CATEGORY_ENTITY, assessment.category), (KIND_ENTITY, assessment.kind)):
            entities.append(
                {
                    ENTITY_ATTRIBUTE_TYPE: name,
                    ENTITY_ATTRIBUTE_VALUE: value,
                    # The whole message is the evidence; a span keeps Rasa's tools happy.
                    ENTITY_ATTRIBUTE_START: 0,
                    ENTITY_ATTRIBUTE_END: len(text),
                    ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
                    EXTRACTOR: self.__class__.__name__,
                }
            )
        message.set(ENTITIES, entities, add_to_output=True)
        message.set(
            CRISIS_KEY,
            {
                "category": assessment.category,
                "kind": assessment.kind,
                "evidence": list(assessment.evidence),
                "classifier_intent": (previous or {}).get(INTENT_NAME_KEY),
            },
            add_to_output=True,
        )


def _set_intent(message: Message, name: Text) -> None:
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY, []) or []
        if entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
