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


def kind_of(category: Optional[str]) -> Optional[str]:
    """Maps a category to the answer it needs: ``danger`` or ``distress`` (None for none)."""
    if category is None:
        return None
    return KIND_DANGER if category == DANGER else KIND_DISTRESS


@dataclass(frozen=True)
class Assessment:
    """What the safety screen found in one text.

    Attributes:
        category: ``suicide``, ``self_harm`` or ``danger``; None when nothing was found.
        evidence: One ``"<rule id>: <matched words>"`` string per rule that fired, in the
            order the rules matched (words as they read after normalisation).
    """

    category: Optional[str] = None
    evidence: Tuple[str, ...] = ()

    @property
    def is_crisis(self) -> bool:
        """True when the text should get the crisis answer."""
        return self.category is not None

    @property
    def kind(self) -> Optional[str]:
        """``danger`` for danger, ``distress`` for suicide and self-harm, None otherwise."""
        return kind_of(self.category)

    @property
    def rule_ids(self) -> Tuple[str, ...]:
        """The ids of the rules that fired, without the matched words."""
        return tuple(item.split(":", 1)[0] for item in self.evidence)


NO_CRISIS = Assessment()
