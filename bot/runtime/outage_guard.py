"""Keeps a person from meeting silence when the action server is down.

Rasa 3.6 logs a failed custom action and carries on without a word to the user. Harbor's
crisis answers never depend on the action server (they are domain responses), but every other
turn that needs an action would go quiet. :func:`install` (called by
:class:`bot.runtime.loader.RuntimePatches` when a model is loaded) wraps ``RemoteAction.run``
once: when the action server cannot be reached, the person gets a short, kind line instead,
and the next turn tries again.

A few actions stand in for a domain response (the safety plan first, then the hotlines; the
welcome back before the greeting). When one of them fails, the domain response it stands in
for is sent instead (``STANDS_IN_FOR``): with the action server down, SOS still brings the
hotlines. The hard-moment ones may not take longer than a few seconds either.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, List

from rasa.core.actions.action import ActionBotResponse, ActionExecutionRejection, RemoteAction
from rasa.shared.core.events import BotUttered, Event
from rasa.shared.exceptions import RasaException

from bot.content.library import say

logger = logging.getLogger(__name__)

_MARK = "_harbor_outage_guard"
# Custom action -> the domain response sent in its place when the action server fails; a
# greeting still introduces Harbor (actions/welcome.py only adds "welcome back").
STANDS_IN_FOR = {
    "action_safety_plan_sos": "utter_resources",
    "action_safety_plan_crisis": "utter_crisis",
    "action_abuse_awareness": "utter_abuse_awareness_offline",
    "action_welcome_back": "utter_greet",
}
# Actions a person in a hard moment must never wait on: past this, the stand-in goes out.
TIMED = {"action_safety_plan_sos", "action_safety_plan_crisis", "action_abuse_awareness"}
STAND_IN_TIMEOUT_SECONDS = 3.0


def outage_text() -> str:
    """What the person reads when the action server cannot be reached (``outage.actions_down``)."""
    return say("outage.actions_down")


def install() -> None:
    """Wraps ``RemoteAction.run`` so an unreachable action server yields a kind message."""
    if getattr(RemoteAction.run, _MARK, False):
        return
    original = RemoteAction.run

    async def run_with_fallback(self: RemoteAction, *args: Any, **kwargs: Any) -> List[Event]:
        stand_in = STANDS_IN_FOR.get(self.name())
        try:
            if self.name() not in TIMED:
                return await original(self, *args, **kwargs)
            return await asyncio.wait_for(
                original(self, *args, **kwargs), timeout=STAND_IN_TIMEOUT_SECONDS
            )
        except ActionExecutionRejection:
            raise
        except (RasaException, asyncio.TimeoutError):
            if stand_in is not None:
                logger.error("Action %s failed; sent %s instead.", self.name(), stand_in)
                return await ActionBotResponse(stand_in).run(*args, **kwargs)
            logger.error("Action %s failed; told the user to try again.", self.name())
            return [BotUttered(text=outage_text(), metadata={"harbor_outage": True})]

    setattr(run_with_fallback, _MARK, True)
    RemoteAction.run = run_with_fallback  # type: ignore[method-assign]

