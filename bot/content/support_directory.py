"""Beyond the bot: a short, sourced list of therapists, low-cost options and peer groups.

The directory is data (``bot/content/data/support_directory.yml``), like the crisis
directory: each entry carries its source, the date it was checked and a confidence level.
An entry nobody could verify is refused at load time, so it can never be shown.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

DATA_FILE = Path(__file__).parent / "data" / "support_directory.yml"
CONFIDENCE_LEVELS = frozenset({"verified-from-provider", "secondary source"})
KINDS = ("therapist", "low_cost", "peer")


@dataclass(frozen=True)
class Entry:
    """One way to find support beyond the bot."""

    kind: str
    text: str
    contact: str
    source: str
    last_verified: dt.date
    confidence: str

    def display(self) -> str:
        """One chat line: "• what it is (contact)"."""
        return f"• {self.text} ({self.contact})"


@dataclass(frozen=True)
class SupportDirectory:
    """Entries for everyone, and per country code."""

    last_reviewed: dt.date
    everywhere: Tuple[Entry, ...]
    countries: Mapping[str, Tuple[Entry, ...]]
    messages: Mapping[str, str]

    def text(self, key: str, **fields: str) -> str:
        """A message with its ``{fields}`` filled in."""
        return self.messages[key].format(**fields)

    def for_country(self, code: Optional[str]) -> Tuple[Entry, ...]:
        """The country's entries (therapists, then low-cost, then peer), then everyone's."""
        local = self.countries.get(str(code or "").upper(), ())
        ordered = sorted(local, key=lambda entry: KINDS.index(entry.kind))
        return (*ordered, *self.everywhere)


def _entry(raw: Mapping[str, Any], where: str) -> Entry:
    for key in ("kind", "text", "contact", "source", "last_verified", "confidence"):
        if not raw.get(key):
            raise ValueError(f"{where}: missing {key}")
    if raw["kind"] not in KINDS:
        raise ValueError(f"{where}: kind must be one of {KINDS}")
    if raw["confidence"] not in CONFIDENCE_LEVELS:
        raise ValueError(f"{where}: only verified or secondary-source entries may be listed")
    verified = raw["last_verified"]
    if not isinstance(verified, dt.date):
        raise ValueError(f"{where}: last_verified must be a date")
    return Entry(
        kind=str(raw["kind"]),
        text=str(raw["text"]),
        contact=str(raw["contact"]),
        source=str(raw["source"]),
        last_verified=verified,
        confidence=str(raw["confidence"]),
    )


@lru_cache(maxsize=2)
def load(path: Optional[str] = None) -> SupportDirectory:
    """Loads and checks the directory (cached).

    Raises:
        ValueError: When an entry lacks a field, or nobody could verify it.
    """
    data = yaml.safe_load(Path(path or DATA_FILE).read_text(encoding="utf-8"))
    everywhere = tuple(_entry(e, f"everywhere[{i}]") for i, e in enumerate(data["everywhere"]))
    countries: Dict[str, Tuple[Entry, ...]] = {
        str(code): tuple(_entry(e, f"{code}[{i}]") for i, e in enumerate(entries))
        for code, entries in data["countries"].items()
    }
    messages = {str(k): str(v) for k, v in data["messages"].items()}
    return SupportDirectory(data["last_reviewed"], everywhere, countries, messages)
