"""Held-out NLU examples (never trained on) classified by the trained model.

Two kinds of set: ``heldout.yml`` (short, clean messages) and the blind vent-style sets
listed in ``VENT_SETS`` (long, messy night-time messages, ``intent<TAB>message``, written by
someone who had not seen the training data; docs/nlu.md records each set's first look).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Dict, List, NamedTuple, Tuple

import pytest
import yaml
from sklearn.metrics import classification_report

from tests.servers import RestClient

HERE = Path(__file__).parent
ROOT = HERE.parents[1]
HELDOUT = HERE / "heldout.yml"
VENT_PATTERN = "heldout_vent*.tsv"
# Vent-set messages this short ("hey", "ok thank you") may also be training examples.
SHORT_WORDS = 3


class VentSet(NamedTuple):
    """A blind vent-style file in tests/nlu/ and the scores it must keep."""

    file: str
    accuracy: float
    macro_f1: float


# What the clean set must keep (measured numbers and the goal: docs/nlu.md).
CLEAN_FLOORS = {"accuracy": 0.85, "macro_f1": 0.85}
# The blind vent-style sets scored here, each after its first look (docs/nlu.md). A listed
# file that is missing fails, and a tests/nlu/heldout_vent*.tsv that is not listed fails, so a
# set can neither drop out of `make test` nor sit on disk unscored. vent1 (issue 12) left this
# list when it joined the training data after its first look; the next blind set takes its
# place. vent2 (written 2026-12-05, 396 messages, 33 intents) scored 0.785 / 0.841 at its
# first look; 26 of its messages turned out to be training examples word for word ("are you
# a bot") and left the file (370 stay). The floors sit a little below the first look, so a
# regression fails and noise does not.
VENT_SETS: Dict[str, VentSet] = {
    "vent2": VentSet("heldout_vent2.tsv", accuracy=0.74, macro_f1=0.80),
}


def yml_examples(path: Path) -> List[Tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from a Rasa NLU file."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in document.get("nlu", []):
        for line in (block.get("examples") or "").splitlines():
            text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
            if text and "intent" in block:
                pairs.append((text, block["intent"]))
    return pairs


def heldout_examples() -> List[Tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from tests/nlu/heldout.yml."""
    return yml_examples(HELDOUT)


def vent_examples(name: str) -> List[Tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from a listed vent set (intent<TAB>text)."""
    pairs = []
    for line in (HERE / VENT_SETS[name].file).read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            intent, text = line.split("\t", 1)
            pairs.append((text.strip(), intent.strip()))
    return pairs


def training_texts() -> Dict[str, str]:
    """Every NLU training example, normalised (lower case, single spaces) → its file."""
    texts = {}
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for text, _ in yml_examples(path):
            texts[_normalised(text)] = path.name
    return texts


def _normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.strip().lower())


def scored_sets() -> List[str]:
    return ["clean", *VENT_SETS]


def examples_of(name: str) -> List[Tuple[str, str]]:
    return heldout_examples() if name == "clean" else vent_examples(name)


def floors_of(name: str) -> Dict[str, float]:
    if name == "clean":
        return CLEAN_FLOORS
    return {"accuracy": VENT_SETS[name].accuracy, "macro_f1": VENT_SETS[name].macro_f1}


def test_heldout_file_covers_every_intent_it_names() -> None:
    examples = heldout_examples()
    assert len(examples) >= 100
    assert len({intent for _, intent in examples}) >= 20


def test_every_vent_set_on_disk_is_scored_and_every_listed_one_exists() -> None:
    on_disk = {path.name for path in HERE.glob(VENT_PATTERN)}
    listed = {vent.file for vent in VENT_SETS.values()}
    assert on_disk - listed == set(), "vent sets on disk that VENT_SETS does not score"
    assert listed - on_disk == set(), "vent sets VENT_SETS names that are not on disk"


def test_every_vent_set_is_long_and_covers_many_intents() -> None:
    for name in VENT_SETS:
        examples = vent_examples(name)
        assert len(examples) >= 300, name
        assert len({intent for _, intent in examples}) >= 25, name
        assert sum(len(text.split()) for text, _ in examples) / len(examples) >= 12, name


@pytest.mark.parametrize("name", scored_sets())
def test_no_heldout_message_is_a_training_example(name: str) -> None:
    trained = training_texts()
    # A blind writer's "hey" or "thank you" is everyone's: only a vent set's messages of
    # SHORT_WORDS words or more count; the team's own clean set may share none.
    shortest = 1 if name == "clean" else SHORT_WORDS + 1
    leaked = [_normalised(text) for text, _ in examples_of(name)
              if _normalised(text) in trained and len(text.split()) >= shortest]
    # Counts and file names only: a blind set's messages are not printed.
    files = sorted({trained[text] for text in leaked})
    assert not leaked, f"{len(leaked)} held-out {name} messages are training examples in {files}"


@pytest.mark.model
@pytest.mark.server
@pytest.mark.parametrize("name", scored_sets())
def test_heldout_accuracy(rest: RestClient, capsys: pytest.CaptureFixture, name: str) -> None:
    examples = examples_of(name)
    predicted = [rest.parse(text)["intent"]["name"] for text, _ in examples]
    expected = [intent for _, intent in examples]
    report = classification_report(expected, predicted, zero_division=0, output_dict=True)
    intents = sorted(set(expected))
    macro_f1 = sum(report[i]["f1-score"] for i in intents) / len(intents)
    with capsys.disabled():
        print(f"\nHeld-out NLU ({name}): {len(examples)} examples, "
              f"accuracy {report['accuracy']:.3f}, macro-F1 {macro_f1:.3f}")
        for intent in intents:
            print(f"  {intent:32s} F1 {report[intent]['f1-score']:.2f}")
    assert report["accuracy"] >= floors_of(name)["accuracy"]
    assert macro_f1 >= floors_of(name)["macro_f1"]
