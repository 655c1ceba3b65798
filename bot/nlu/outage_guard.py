"""Keeps a person from meeting silence when the action server is down.

Rasa 3.6 logs a failed custom action and carries on without a word to the user. Harbor's
crisis answers never depend on the action server (they are domain responses), but every other
turn that needs an action would go quiet. This component, placed in the NLU pipeline so it is
loaded wherever the model is served, wraps ``RemoteAction.run`` once: when the action server
cannot be reached, the person gets a short, kind line instead, and the next turn tries again.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Text

from rasa.core.actions.action import ActionExecutionRejection, RemoteAction
from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException
from rasa.shared.nlu.training_data.message import Message

from bot.content.library import say
from bot.nlu import action_validation, variety
from bot.nlu.stateless import StatelessComponent

logger = logging.getLogger(__name__)

_MARK = "_harbor_outage_guard"


def outage_text() -> str:
    """What the person reads when the action server cannot be reached (``outage.actions_down``)."""
    return say("outage.actions_down")


def install() -> None:
    """Wraps ``RemoteAction.run`` so an unreachable action server yields a kind message."""
    if getattr(RemoteAction.run, _MARK, False):
        return
    original = RemoteAction.run

    async def run_with_fallback(self: RemoteAction, *args: Any, **kwargs: Any) -> List[Event]:
        try:
            return await original(self, *args, **kwargs)
        except ActionExecutionRejection:
            raise
        except RasaException:
            logger.error("Action %s failed; told the user to try again.", self.name())
            return [BotUttered(text=outage_text(), metadata={"harbor_outage": True})]

    setattr(run_with_fallback, _MARK, True)
    RemoteAction.run = run_with_fallback  # type: ignore[method-assign]


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class ActionOutageGuard(StatelessComponent):
    """Hardens Rasa's action calls when the model is loaded; changes no message.

    Installs the outage fallback above and the cached response validator
    (:mod:`bot.nlu.action_validation`), and keeps often-seen responses from repeating
    their wording for a person (:mod:`bot.nlu.variety`).
    """

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "ActionOutageGuard":
        """Installs the fallback and the validator (once per process); returns the component."""
        install()
        action_validation.install()
        variety.install()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Returns the messages unchanged."""
        return messages
