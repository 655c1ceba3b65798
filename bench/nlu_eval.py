"""NLU quality on the held-out file (tests/nlu/heldout.yml), parsed by a running server."""

from __future__ import annotations

from collections import Counter
from typing import Dict, List, Sequence, Tuple


def score(expected: Sequence[str], predicted: Sequence[str], top_pairs: int = 10) -> Dict:
    """Accuracy, macro-F1, per-intent precision/recall/F1 and the commonest confusions.

    Args:
        expected: the labelled intent of each example.
        predicted: the intent the model chose for the same example.
        top_pairs: how many (expected -> predicted) confusion pairs to keep.
    """
    from sklearn.metrics import classification_report

    report = classification_report(
        list(expected), list(predicted), zero_division=0, output_dict=True
    )
    per_intent = {
        intent: {
            "precision": round(report[intent]["precision"], 3),
            "recall": round(report[intent]["recall"], 3),
            "f1": round(report[intent]["f1-score"], 3),
            "support": int(report[intent]["support"]),
        }
        for intent in sorted(set(expected))
    }
    confusions = Counter(
        (want, got) for want, got in zip(expected, predicted, strict=True) if want != got
    )
    return {
        "examples": len(expected),
        "accuracy": round(report["accuracy"], 4),
        # Macro over the intents that have held-out examples; a predicted-only label
        # (e.g. nlu_fallback) lowers precision elsewhere but is not averaged in itself.
        "macro_f1": round(
            sum(v["f1"] for v in per_intent.values()) / max(len(per_intent), 1), 4
        ),
        "per_intent": per_intent,
        "confusions": [
            {"expected": want, "predicted": got, "count": count}
            for (want, got), count in confusions.most_common(top_pairs)
        ],
    }


def predicted_intents(parses: List[dict]) -> List[str]:
    """The intent name of each ``/model/parse`` result ('' when missing)."""
    return [((p or {}).get("intent") or {}).get("name") or "" for p in parses]


def evaluate(parses: List[dict], examples: List[Tuple[str, str]]) -> Dict:
    """Scores ``parses`` (one per example, same order) against the labelled ``examples``."""
    return score([intent for _, intent in examples], predicted_intents(parses))
