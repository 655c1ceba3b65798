"""Harbor's crisis safety layer: screen text for suicide, self-harm and danger.

``assess(text)`` is the one entry point. The Rasa component
(``bot.nlu.crisis_detector.CrisisDetector``) calls it on every message; actions call it on
free text people type into forms. Nothing is loaded at import time: the spaCy pipeline
is built on the first call (or by :func:`warm_up`).
"""

from __future__ import annotations

import logging
from typing import Any

from bot.safety.assessment import (
    CATEGORIES,
    DANGER,
    KIND_DANGER,
    KIND_DISTRESS,
    NO_CRISIS,
    SELF_HARM,
    SUICIDE,
    Assessment,
    kind_of,
)

logger = logging.getLogger(__name__)

__all__ = [
    "CATEGORIES", "DANGER", "KIND_DANGER", "KIND_DISTRESS", "NO_CRISIS", "SELF_HARM",
    "SUICIDE", "Assessment", "assess", "kind_of", "warm_up",
]


def assess(text: Any) -> Assessment:
    """Screens one text for suicide, self-harm and danger. Never raises.

    Args:
        text: What the person wrote (any length; None and non-strings are tolerated).

    Returns:
        The assessment: ``category`` is ``suicide``, ``self_harm``, ``danger`` or None,
        ``kind`` is ``distress``/``danger``, ``evidence`` names the rules that fired.
        If the spaCy screen cannot run, a blunt keyword screen answers instead.
    """
    if text is None:
        return NO_CRISIS
    if not isinstance(text, str):
        text = str(text)
    try:
        from bot.safety.screen import default_screen

        return default_screen().assess(text)
    except Exception:  # noqa: BLE001 - the crisis answer must not depend on this code path
        logger.exception("Crisis screen failed; using the keyword fallback.")
        from bot.safety.fallback import fallback_assess

        return fallback_assess(text)


def warm_up() -> None:
    """Builds the screen now (spaCy pipeline, Matcher, word lists) instead of on first use."""
    from bot.safety.screen import default_screen

    default_screen().assess("warming up")
