"""Abuse awareness: the words Harbor uses, and the domestic-violence line for a country.

The wording lives in ``bot/content/data/abuse.yml``; the line comes from the crisis
directory (``bot/safety/resources.yml``), so there is one place for every number.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Dict, Optional, Tuple

import yaml

from bot.safety.resources import load_directory

DATA_FILE = Path(__file__).parent / "data" / "abuse.yml"


@dataclass(frozen=True)
class AbuseContent:
    """The messages and the safety-planning steps (id, text), in order."""

    messages: Dict[str, str]
    steps: Tuple[Tuple[str, str], ...]

    def text(self, key: str, **fields: str) -> str:
        """A message with its ``{fields}`` filled in."""
        return self.messages[key].format(**fields)


@lru_cache(maxsize=2)
def load(path: Optional[str] = None) -> AbuseContent:
    """Loads and checks the content (cached).

    Raises:
        ValueError: When a message or a step is empty.
    """
    data = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    messages = {str(k): str(v) for k, v in data["messages"].items()}
    steps = tuple((str(s["id"]), str(s["text"])) for s in data["steps"])
    if not all(messages.values()) or not steps or not all(t for _, t in steps):
        raise ValueError("abuse.yml: every message and step needs a text")
    return AbuseContent(messages, steps)


def dv_line(country: Optional[str]) -> Optional[str]:
    """The first domestic-violence line for ``country`` ("National Domestic Abuse
    Helpline: call 0808 2000 247, 24 hours"), or None when the country is unknown."""
    if not country:
        return None
    found = load_directory().countries.get(str(country).upper())
    if found is None or not found.dv:
        return None
    return found.dv[0].display()
