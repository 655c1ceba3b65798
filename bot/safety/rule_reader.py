"""What the crisis rules read in a text: the rule screen, or the keyword screen if it fails.

Below both :func:`bot.safety.assess` and the trained classifier (which learns from the rules'
finding, ``classifier.rule_category``), so neither has to import the other for it. Callers
look it up as ``rule_reader.read`` at call time, so one patch (``bench/crisis_cv.py``
memoises it) reaches both.
"""

from __future__ import annotations

import logging

from bot.safety.assessment import Assessment

logger = logging.getLogger("bot.safety")


def read(text: str) -> Assessment:
    """The rule screen's assessment of ``text``; the keyword fallback's when the screen fails."""
    try:
        from bot.safety.screen import default_screen

        return default_screen().assess(text)
    except Exception:  # noqa: BLE001 - the crisis answer must not depend on this code path
        logger.exception("Crisis screen failed; using the keyword fallback.")
        from bot.safety.fallback import fallback_assess

        return fallback_assess(text)
