"""The result of screening one text: whether it reads as a crisis, which kind, and why."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional, Tuple

SUICIDE = "suicide"
SELF_HARM = "self_harm"
DANGER = "danger"

# When a text matches several categories, the first one here wins. Danger comes first
# because its answer adds a domestic-violence line to the crisis line (a superset);
# suicide and self-harm get the same answer, so their order only affects the label.
CATEGORIES: Tuple[str, ...] = (DANGER, SUICIDE, SELF_HARM)

KIND_DANGER = "danger"
KIND_DISTRESS = "distress"
# Imminent risk (an attempt in progress, a partner at the door): the answer leads with the
# emergency number before any hotline.
KIND_URGENT_DANGER = "urgent_danger"
KIND_URGENT_DISTRESS = "urgent_distress"

TIER_CRISIS = "crisis"
# Unclear messages ("what's the point"): a direct question instead of the crisis card.
TIER_CHECK = "check"


def kind_of(category: Optional[str], imminent: bool = False) -> Optional[str]:
    """Maps a category to the answer it needs (None for no crisis).

    Args:
        category: ``suicide``, ``self_harm``, ``danger`` or None.
        imminent: Whether the risk is happening now.

    Returns:
        ``danger``/``distress``, or ``urgent_danger``/``urgent_distress`` when imminent.
    """
    if category is None:
        return None
    if category == DANGER:
        return KIND_URGENT_DANGER if imminent else KIND_DANGER
    return KIND_URGENT_DISTRESS if imminent else KIND_DISTRESS


@dataclass(frozen=True)
class Assessment:
    """What the safety screen found in one text.

    Attributes:
        category: ``suicide``, ``self_harm`` or ``danger``; None when it is no crisis.
        evidence: Why: one ``"<rule id>: <matched words>"`` string per rule that fired (words
            as they read after normalisation), ``"model: ..."`` when the trained screen
            decided, ``"context: ..."`` when earlier messages tipped the balance.
        tier: ``crisis`` (the crisis answer), ``check`` (a direct question) or None.
        imminent: The risk is happening now; the answer leads with the emergency number.
        risk: The trained screen's probability of a crisis or an unclear message (0 when
            only the rules ran).
    """

    category: Optional[str] = None
    evidence: Tuple[str, ...] = ()
    tier: Optional[str] = None
    imminent: bool = False
    risk: float = 0.0

    def __post_init__(self) -> None:
        # A category always means the crisis tier (the rules set only the category).
        if self.category is not None and self.tier is None:
            object.__setattr__(self, "tier", TIER_CRISIS)

    @property
    def is_crisis(self) -> bool:
        """True when the text should get the crisis answer."""
        return self.tier == TIER_CRISIS

    @property
    def is_check(self) -> bool:
        """True when the text should get the direct question ("is that where you are?")."""
        return self.tier == TIER_CHECK

    @property
    def kind(self) -> Optional[str]:
        """The answer's kind (see :func:`kind_of`); None unless it is a crisis."""
        return kind_of(self.category, self.imminent)

    @property
    def rule_ids(self) -> Tuple[str, ...]:
        """The ids of the rules that fired, without the matched words."""
        return tuple(item.split(":", 1)[0] for item in self.evidence)


NO_CRISIS = Assessment()
