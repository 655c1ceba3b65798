"""The graph component that installs Harbor's runtime patches when a model is loaded.

Rasa builds the components of ``config.yml`` in every process that serves a model (the
server, ``rasa test``, ``rasa shell``), so a component is the one hook that reaches all of
them. This one reads no message and changes none; it is registered as a featurizer only
because Rasa's pipeline has no other kind of component that runs at load time.
"""

from __future__ import annotations

from typing import Any, Dict, List, Text

from rasa.engine.graph import ExecutionContext
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.stateless import StatelessComponent
from bot.runtime import action_validation, outage_guard, variety


def install_all() -> None:
    """Installs every patch (each installs itself at most once per process).

    * :mod:`bot.runtime.outage_guard`: a kind line instead of silence when the action
      server is down;
    * :mod:`bot.runtime.action_validation`: the action server's answers checked with one
      cached validator;
    * :mod:`bot.runtime.variety`: often-seen responses never repeat their wording twice in
      a row for one person.
    """
    outage_guard.install()
    action_validation.install()
    variety.install()


@DefaultV1Recipe.register([DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER], is_trainable=False)
class RuntimePatches(StatelessComponent):
    """Installs Harbor's runtime patches when the model is loaded; changes no message."""

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "RuntimePatches":
        """Installs the patches (once per process); returns the component."""
        install_all()
        return cls()

    def process(self, messages: List[Message]) -> List[Message]:
        """Returns the messages unchanged."""
        return messages
