"""How the rules and the trained model decide together, and what counts as imminent.

A message is a crisis when either half says so: the rules are precise and explain
themselves, the model reads wording the rules never saw. Between "crisis" and "nothing"
sits the check tier: a message the model finds risky but not clearly a crisis gets a direct
question instead of the crisis card.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Dict, Optional, Tuple

import yaml

from bot.safety.assessment import TIER_CHECK, TIER_CRISIS, Assessment
from bot.safety.classifier import Scores

IMMINENT_PATH = Path(__file__).parent / "data" / "imminent.yml"


@dataclass(frozen=True)
class Thresholds:
    """Where the model's probabilities turn into answers (set in ``config.yml``).

    Attributes:
        crisis: Crisis probability at or above which a message gets the crisis answer.
        check: Crisis-or-unclear probability at or above which it gets the direct question.
        imminent: Imminence probability at or above which the emergency number leads.
        context_floor: A message must carry at least this much risk on its own before
            earlier messages are read with it ("ok thanks" never reopens a crisis).
        rules_floor: When the rules fire but the model's crisis probability is below this
            and it does not find the message unclear either, the person is asked the direct
            question instead of getting the crisis card (on blind sets most such rule hits
            were idioms, other people's stories or the past).
        rules_silence: When the rules fire but the model (which sees the rules' finding as
            a feature) gives crisis below this and risk below ``check``, the message gets no
            safety answer at all (0 switches this off: such a hit gets the question).
    """

    crisis: float = 0.5
    check: float = 0.4
    imminent: float = 0.5
    context_floor: float = 0.15
    rules_floor: float = 0.2
    rules_silence: float = 0.0

    @classmethod
    def from_config(cls, config: Dict[str, Any]) -> "Thresholds":
        """Reads ``crisis_threshold``, ``check_threshold``, ... from a component config."""
        defaults = cls()
        return cls(
            crisis=float(config.get("crisis_threshold", defaults.crisis)),
            check=float(config.get("check_threshold", defaults.check)),
            imminent=float(config.get("imminent_threshold", defaults.imminent)),
            context_floor=float(config.get("context_floor", defaults.context_floor)),
            rules_floor=float(config.get("rules_floor", defaults.rules_floor)),
            rules_silence=float(config.get("rules_silence", defaults.rules_silence)),
        )


_cues: Optional[Tuple["re.Pattern[str]", ...]] = None
_cues_lock = threading.Lock()


def imminent_cues() -> Tuple["re.Pattern[str]", ...]:
    """The compiled cues of ``data/imminent.yml`` (read once)."""
    global _cues
    if _cues is None:
        with _cues_lock:
            raw = yaml.safe_load(IMMINENT_PATH.read_text(encoding="utf8"))
            _cues = tuple(re.compile(cue) for cue in raw["cues"])
    return _cues


def has_imminent_cue(normalised: str) -> bool:
    """True when the (normalised) text says the danger is happening now."""
    return any(cue.search(normalised) for cue in imminent_cues())


def combine(
    rules: Assessment,
    scores: Optional[Scores],
    normalised: str,
    thresholds: Thresholds,
) -> Assessment:
    """One decision from the rules' assessment and the model's scores.

    Args:
        rules: What the rules found (a category, or nothing).
        scores: The model's scores; None when the model is missing or failed.
        normalised: The normalised text (for the imminence cues).
        thresholds: Where probabilities turn into answers.
    """
    risk = scores.risk if scores is not None else 0.0
    category, evidence = rules.category, rules.evidence
    # A rule hit the model reads as nothing at all (not even unclear) is asked about, not
    # carded; one it finds risky in any way stays a crisis.
    doubted = scores is not None and scores.crisis < thresholds.rules_floor and risk < 0.5
    silenced = scores is not None and scores.crisis < thresholds.rules_silence
    if category is not None and silenced and risk < thresholds.check:
        return Assessment(None, (*evidence, f"model: silences {scores.crisis:.2f}"), None,
                          False, risk)
    if category is not None and doubted:
        doubt = f"model: disagrees {scores.crisis:.2f}"
        return Assessment(None, (*evidence, doubt), TIER_CHECK, False, max(risk, scores.crisis))
    if category is None and scores is not None and scores.crisis >= thresholds.crisis:
        category = scores.category
        evidence = (f"model: {category} {scores.crisis:.2f}",)
    if category is not None:
        imminent = has_imminent_cue(normalised) or (
            scores is not None and scores.imminent >= thresholds.imminent
        )
        return Assessment(category, evidence, TIER_CRISIS, imminent, risk)
    if scores is not None and scores.risk >= thresholds.check:
        return Assessment(None, (f"model: unclear {scores.risk:.2f}",), TIER_CHECK, False, risk)
    return Assessment(None, (), None, False, risk)
