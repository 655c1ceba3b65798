"""Held-out NLU examples (never trained on) classified by the trained model.

Two sets: ``heldout.yml`` (short, clean messages) and ``heldout_vent.tsv`` (long, messy
night-time messages written blind by someone who had not seen the training data; see
docs/nlu.md for its first-look score).
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import pytest
import yaml
from sklearn.metrics import classification_report

from tests.servers import RestClient

HERE = Path(__file__).parent
HELDOUT = HERE / "heldout.yml"
HELDOUT_VENT = HERE / "heldout_vent.tsv"
# What each set must keep (measured numbers and the goal: docs/nlu.md).
MIN_SCORES = {
    "clean": {"accuracy": 0.85, "macro_f1": 0.85},
    "vent": {"accuracy": 0.60, "macro_f1": 0.65},
}


def heldout_examples() -> List[Tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from tests/nlu/heldout.yml."""
    document = yaml.safe_load(HELDOUT.read_text())
    pairs = []
    for block in document["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
            if text:
                pairs.append((text, block["intent"]))
    return pairs


def vent_examples() -> List[Tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from tests/nlu/heldout_vent.tsv (intent<TAB>text)."""
    pairs = []
    for line in HELDOUT_VENT.read_text(encoding="utf-8").splitlines():
        if "\t" in line and not line.startswith("#"):
            intent, text = line.split("\t", 1)
            pairs.append((text.strip(), intent.strip()))
    return pairs


SETS = {"clean": heldout_examples, "vent": vent_examples}


def test_heldout_file_covers_every_intent_it_names() -> None:
    examples = heldout_examples()
    assert len(examples) >= 100
    assert len({intent for _, intent in examples}) >= 20


def test_the_vent_style_set_is_long_and_covers_many_intents() -> None:
    examples = vent_examples()
    assert len(examples) >= 300
    assert len({intent for _, intent in examples}) >= 25
    assert sum(len(text.split()) for text, _ in examples) / len(examples) >= 12


@pytest.mark.model
@pytest.mark.server
@pytest.mark.parametrize("name", SETS)
def test_heldout_accuracy(rest: RestClient, capsys: pytest.CaptureFixture, name: str) -> None:
    examples = SETS[name]()
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
    assert report["accuracy"] >= MIN_SCORES[name]["accuracy"]
    assert macro_f1 >= MIN_SCORES[name]["macro_f1"]
