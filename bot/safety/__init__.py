"""Harbor's crisis safety layer: screen text for suicide, self-harm and danger.

``assess(text)`` is the one entry point. The Rasa component
(``bot.nlu.crisis_detector.CrisisDetector``) calls it on every message; actions call it on
free text people type into forms. Nothing is loaded at import time: the spaCy pipeline
is built on the first call (or by :func:`warm_up`).
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any, Callable, Optional, Sequence

from bot.safety import rule_reader
from bot.safety.assessment import (
    CATEGORIES,
    DANGER,
    KIND_DANGER,
    KIND_DISTRESS,
    KIND_URGENT_DANGER,
    KIND_URGENT_DISTRESS,
    NO_CRISIS,
    SELF_HARM,
    SUICIDE,
    TIER_CHECK,
    TIER_CRISIS,
    Assessment,
    kind_of,
)

if TYPE_CHECKING:
    from bot.safety.classifier import CrisisClassifier, Scores
    from bot.safety.decision import Thresholds

logger = logging.getLogger(__name__)

MIN_MODEL_WORDS = 2

__all__ = [
    "CATEGORIES", "DANGER", "KIND_DANGER", "KIND_DISTRESS", "KIND_URGENT_DANGER",
    "KIND_URGENT_DISTRESS", "NO_CRISIS", "SELF_HARM", "SUICIDE", "TIER_CHECK", "TIER_CRISIS",
    "Assessment", "assess", "kind_of", "screen_long_text", "warm_up",
]


def assess(
    text: Any,
    classifier: Optional["CrisisClassifier"] = None,
    thresholds: Optional["Thresholds"] = None,
    context: Sequence[str] = (),
) -> Assessment:
    """Screens one text for suicide, self-harm and danger. Never raises.

    Args:
        text: What the person wrote (any length; None and non-strings are tolerated).
        classifier: The trained screen; without it only the rules run.
        thresholds: Where the model's probabilities turn into answers (defaults if None).
        context: The person's earlier messages, oldest first, that got no safety answer
            of their own; read together with ``text`` when ``text`` carries some risk.

    Returns:
        The assessment: ``tier`` is ``crisis``, ``check`` or None; ``category`` is
        ``suicide``, ``self_harm`` or ``danger`` for a crisis; ``evidence`` says why.
        If the spaCy screen cannot run, a blunt keyword screen stands in for the rules;
        if the model cannot run, the rules decide alone.
    """
    from bot.safety.decision import Thresholds, combine
    from bot.safety.normalise import normalise

    if text is None:
        return NO_CRISIS
    if not isinstance(text, str):
        text = str(text)
    thresholds = thresholds or Thresholds()
    # One word ("goodbye", "bye") is too little for the model to judge alone: the crisis
    # corpus is full of goodbyes. The rules still read it, and so does the context below.
    rules = rule_reader.read(text)
    normalised = _normalised(normalise, text)

    def read_rules(piece: str) -> Optional[str]:
        # The whole message was just read. A window of a long message is read on its own
        # only when the rules found something in the whole (a window of a message they
        # found nothing in holds nothing either, and this keeps long vents cheap).
        if piece == normalised or rules.category is None:
            return rules.category
        return rule_reader.read(piece).category

    enough = len(text.split()) >= MIN_MODEL_WORDS
    scores = _score(classifier, text, read_rules) if enough else None
    result = combine(rules, scores, normalised, thresholds)
    if result.is_crisis or not context:
        return result
    own = scores if scores is not None else _score(classifier, text, read_rules)
    if own is None or own.risk < thresholds.context_floor:
        return result
    joined = " ... ".join([*context, text])
    together = combine(NO_CRISIS, _score(classifier, joined), "", thresholds)
    # Read together, the messages can only raise the answer: nothing -> question -> crisis.
    if not together.tier or (result.tier and not together.is_crisis):
        return result
    imminent = result.imminent or together.imminent
    evidence = (*together.evidence, f"context: {len(context)} earlier message(s)")
    return Assessment(together.category, evidence, together.tier, imminent, together.risk)


def screen_long_text(text: str, window: int) -> Assessment:
    """Screens a message too long for the full pipeline, within a bounded cost.

    The spaCy screen reads the first and last ``window`` characters (where people usually
    say what matters); the keyword screen reads all of it.
    """
    from bot.safety.fallback import fallback_assess

    for part in (text[:window], text[-window:]):
        found = assess(part)
        if found.category:
            return found
    return fallback_assess(text)


def _score(
    classifier: Optional["CrisisClassifier"],
    text: str,
    rules: Optional[Callable[[str], Optional[str]]] = None,
) -> Optional["Scores"]:
    if classifier is None:
        return None
    try:
        return classifier.score(text, rules)
    except Exception:  # noqa: BLE001 - the rules still answer
        logger.exception("Crisis model failed; the rules decide alone.")
        return None


def _normalised(normalise: Any, text: str) -> str:
    try:
        return normalise(text)
    except Exception:  # noqa: BLE001 - only the imminence cues read it
        return text.lower()


def warm_up() -> None:
    """Builds the screen now (spaCy pipeline, Matcher, word lists) instead of on first use."""
    from bot.safety.decision import imminent_cues
    from bot.safety.screen import default_screen

    default_screen().assess("warming up")
    imminent_cues()
