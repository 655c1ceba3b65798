"""Held-out NLU examples (never trained on) classified by the trained model."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from sklearn.metrics import classification_report

from tests.servers import RestClient

HELDOUT = Path(__file__).parent / "heldout.yml"
MIN_ACCURACY = 0.85


def heldout_examples() -> list[tuple[str, str]]:
    """Returns ``(text, intent)`` pairs from tests/nlu/heldout.yml."""
    document = yaml.safe_load(HELDOUT.read_text())
    pairs = []
    for block in document["nlu"]:
        for line in block["examples"].splitlines():
            text = line.strip()[2:].strip() if line.strip().startswith("- ") else ""
            if text:
                pairs.append((text, block["intent"]))
    return pairs


def test_heldout_file_covers_every_intent_it_names() -> None:
    examples = heldout_examples()
    assert len(examples) >= 100
    assert len({intent for _, intent in examples}) >= 20


@pytest.mark.model
@pytest.mark.server
def test_heldout_accuracy(rest: RestClient, capsys: pytest.CaptureFixture) -> None:
    examples = heldout_examples()
    predicted = [rest.parse(text)["intent"]["name"] for text, _ in examples]
    expected = [intent for _, intent in examples]
    report = classification_report(expected, predicted, zero_division=0, output_dict=True)
    misses = [(t, e, p) for (t, e), p in zip(examples, predicted, strict=True) if e != p]
    with capsys.disabled():
        print(f"\nHeld-out NLU: {len(examples)} examples, accuracy {report['accuracy']:.3f}, "
              f"macro-F1 {report['macro avg']['f1-score']:.3f}")
        for intent in sorted(set(expected)):
            print(f"  {intent:32s} F1 {report[intent]['f1-score']:.2f}")
        for text, want, got in misses:
            print(f"  miss: {text!r}: expected {want}, got {got}")
    assert report["accuracy"] >= MIN_ACCURACY
