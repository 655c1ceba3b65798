"""Keeps a person from meeting silence when the action server is down.

Rasa 3.6 logs a failed custom action and carries on without a word to the user. Harbor's
crisis answers never depend on the action server (they are domain responses), but every other
turn that needs an action would go quiet. :func:`install` (called by
:class:`bot.runtime.loader.RuntimePatches` when a model is loaded) wraps ``RemoteAction.run``
once: when the action server cannot be reached, the person gets a short, kind line instead,
and the next turn tries again.
"""

from __future__ import annotations

import logging
from typing import Any, List

from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException

from bot.content.library import say

logger = logging.getLogger(__name__)

_MARK = "_harbor_outage_guard"
# Actions with a domain response that stands in for them when the action server is down:
# a greeting still introduces Harbor (actions/welcome.py only adds "welcome back").
STAND_INS = {"action_welcome_back": "utter_greet"}


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
            stand_in = STAND_INS.get(self.name())
            if stand_in is not None:
                logger.error("Action %s failed; answered with %s.", self.name(), stand_in)
                return await ActionBotResponse(stand_in).run(*args, **kwargs)
            logger.error("Action %s failed; told the user to try again.", self.name())
            return [BotUttered(text=outage_text(), metadata={"harbor_outage": True})]

    setattr(run_with_fallback, _MARK, True)
    RemoteAction.run = run_with_fallback  # type: ignore[method-assign]

