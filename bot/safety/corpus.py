"""Reads the labelled crisis corpus the trained screen learns from (``data/safety/``).

- ``train/*.tsv``: ``category<TAB>imminent<TAB>message`` lines (imminent is 0 or 1).
- ``corpus.yml``: the reviewed corpus the rules are tested against (groups per category).
- ``blind/roundN.tsv``: blind evaluation sets, ``category<TAB>message``. A round joins the
  training data only once its first-look score is recorded in ``blind/first_look.yml``:
  a set that has not been scored yet must never be learned from.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any, Dict, Iterable, List, Sequence

import yaml

from bot.safety.classifier import CRISIS_LABELS, LABELS

FIRST_LOOK_FILE = "first_look.yml"


@dataclass(frozen=True)
class Example:
    """One labelled message."""

    label: str
    text: str
    imminent: bool = False
    source: str = ""
    weight: float = 1.0


def read_tsv(path: Path) -> List[Example]:
    """Reads ``category<TAB>[imminent<TAB>]message`` lines; blank lines are skipped."""
    examples = []
    for number, line in enumerate(path.read_text(encoding="utf8").splitlines(), start=1):
        if not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) == 2:
            label, text, imminent = fields[0], fields[1], "0"
        elif len(fields) == 3:
            label, imminent, text = fields
        else:
            raise ValueError(f"{path}:{number}: expected 2 or 3 tab-separated fields")
        label = label.strip()
        if label not in LABELS or imminent.strip() not in ("0", "1"):
            raise ValueError(f"{path}:{number}: bad label {label!r} or imminent {imminent!r}")
        examples.append(Example(label, text.strip(), imminent.strip() == "1", path.name))
    return examples


def read_reviewed(path: Path) -> List[Example]:
    """Reads ``corpus.yml``: crisis messages by category and group, negatives by group."""
    raw: Dict[str, Any] = yaml.safe_load(path.read_text(encoding="utf8"))
    examples = [
        Example(category, text, group in ("imminent", "in_progress"), path.name)
        for category, groups in raw["crisis"].items()
        for group, texts in groups.items()
        for text in texts
    ]
    examples += [
        Example("none", text, False, path.name)
        for texts in raw["negative"].values()
        for text in texts
    ]
    return examples


def recorded_rounds(directory: Path) -> List[str]:
    """The blind rounds whose first-look score is on record (file stems, e.g. ``round1``)."""
    record = directory / "blind" / FIRST_LOOK_FILE
    if not record.exists():
        return []
    rounds = yaml.safe_load(record.read_text(encoding="utf8")) or {}
    return sorted(entry["set"] for entry in rounds.get("rounds", []))


def training_files(directory: Path) -> List[Path]:
    """Every file the screen learns from, in a stable order."""
    files = sorted((directory / "train").glob("*.tsv"))
    reviewed = directory / "corpus.yml"
    if reviewed.exists():
        files.append(reviewed)
    files += [directory / "blind" / f"{name}.tsv" for name in recorded_rounds(directory)]
    return files


def read_training(directory: Path, blind_weight: float = 1.0) -> List[Example]:
    """All training examples under ``directory`` (see the module docstring).

    Args:
        directory: The safety data directory.
        blind_weight: How much each example of a recorded blind round counts.
    """
    examples: List[Example] = []
    for path in training_files(directory):
        read = read_reviewed(path) if path.suffix == ".yml" else read_tsv(path)
        if path.parent.name == "blind":
            read = [replace(example, weight=blind_weight) for example in read]
        examples += read
    return examples


def fingerprint(directory: Path) -> str:
    """A hash of everything the screen learns from: retrain when it changes."""
    digest = hashlib.sha256()
    for path in training_files(directory):
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def split_counts(examples: Iterable[Example]) -> Dict[str, int]:
    """How many examples each label has (for logs and docs)."""
    counts = {label: 0 for label in LABELS}
    for example in examples:
        counts[example.label] += 1
    counts["crisis"] = sum(counts[label] for label in CRISIS_LABELS)
    return counts


def as_columns(examples: Sequence[Example]) -> Dict[str, List[Any]]:
    """Texts, labels, imminence and weights as parallel lists (what ``fit`` takes)."""
    return {
        "texts": [example.text for example in examples],
        "labels": [example.label for example in examples],
        "imminent": [example.imminent for example in examples],
        "weights": [example.weight for example in examples],
    }
