"""Honest evaluation of the trained crisis screen: leave one blind round out.

The blind rounds' first-look scores are the numbers of record, but each round can be looked
at blind only once. To compare models and thresholds without spending a new round, this
harness re-creates that first look for every recorded round K: the screen is trained exactly
as ``rasa train`` trains it (``data/safety/train``, ``corpus.yml``, every NLU example as a
negative) on every blind round *except* K, and round K is then screened message by message,
without context, through the Rasa component the server runs (``CrisisDetector`` with
``config.yml``'s thresholds). A secondary number comes from a 5-fold split of the
non-blind corpus (each fifth screened by a model trained on the rest and on all rounds).

Caveat: the rules were written before and between the rounds and are not refitted here, so
the rules' share of these numbers is only as blind as the rules were (rounds 2 and 3 were
blind to them at their first look, round 1 was not blind to later rule changes).

``python -m bench.crisis_cv`` prints the table for the current code and ``config.yml``;
``--baseline`` for the screen before this harness chose a new one; ``--json`` prints the raw
numbers. It trains eight models: a few minutes on an idle machine.
"""

from __future__ import annotations

import argparse
import json
import random
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bench.safety import REPO_ROOT, SAFETY_DATA, _pipeline_config, tier_of
from bot.safety import corpus
from bot.safety.classifier import CRISIS_LABELS, CrisisClassifier

NLU_DATA = REPO_ROOT / "data" / "nlu"
FOLDS = 5
SEED = 11

Fit = Callable[[List[corpus.Example]], Any]
# The component's settings before bench/crisis_cv.py chose new ones (commit 58372a8).
BASELINE: Dict[str, Any] = {
    "blind_weight": 1.0,
    "crisis_threshold": 0.5,
    "check_threshold": 0.4,
    "rules_floor": 0.2,
    "rules_silence": 0.0,
}


def nlu_negatives(weight: float) -> List[corpus.Example]:
    """Every NLU example as ``none`` with ``weight`` (what the component adds at training)."""
    from rasa.shared.nlu.training_data.loading import load_data

    data = load_data(str(NLU_DATA))
    return [
        corpus.Example("none", example.get("text"), False, "nlu", weight)
        for example in data.intent_examples
        if example.get("text")
    ]


def pools(
    directory: Path = SAFETY_DATA, blind_weight: float = 1.0
) -> Tuple[List[corpus.Example], Dict[str, List[corpus.Example]]]:
    """The non-blind training examples, and each recorded blind round's examples (weighted
    as the component weighs them when they are trained on)."""
    rounds = {
        name: [replace(e, weight=blind_weight)
               for e in corpus.read_tsv(directory / "blind" / f"{name}.tsv")]
        for name in corpus.recorded_rounds(directory)
    }
    blind_files = {f"{name}.tsv" for name in rounds}
    rest: List[corpus.Example] = []
    for path in corpus.training_files(directory):
        if path.name in blind_files:
            continue
        rest += corpus.read_reviewed(path) if path.suffix == ".yml" else corpus.read_tsv(path)
    return rest, rounds


def default_fit(config: Optional[Dict[str, Any]] = None) -> Fit:
    """Trains the screen the way the component does (``CrisisClassifier.fit``)."""

    def fit(examples: List[corpus.Example]) -> CrisisClassifier:
        return CrisisClassifier.fit(**corpus.as_columns(examples), config=config)

    return fit


def detector_with(classifier: Any, settings: Dict[str, Any]) -> Any:
    """The Rasa component with these settings and this model."""
    from bot.nlu.crisis_detector import CrisisDetector

    return CrisisDetector(settings, classifier=classifier)


def tiers(screen: Any, examples: Sequence[corpus.Example]) -> List[Tuple[str, str]]:
    """(label, tier) for each example screened alone."""
    return [(example.label, tier_of(screen, example.text)) for example in examples]


def metrics(rows: Sequence[Tuple[str, str]]) -> Dict[str, Any]:
    """Recall, caught, false alarms (crisis and check) and unclear caught from (label, tier)."""

    def share(labels: Tuple[str, ...], wanted: Tuple[str, ...]) -> Optional[float]:
        picked = [tier for label, tier in rows if label in labels]
        return round(sum(tier in wanted for tier in picked) / len(picked), 3) if picked else None

    return {
        "n": {label: sum(1 for row in rows if row[0] == label)
              for label in ("suicide", "self_harm", "danger", "none", "unclear")},
        "recall": share(CRISIS_LABELS, ("crisis",)),
        **{f"recall_{label}": share((label,), ("crisis",)) for label in CRISIS_LABELS},
        "caught": share(CRISIS_LABELS, ("crisis", "check")),
        "false_crisis": share(("none",), ("crisis",)),
        "false_check": share(("none",), ("check",)),
        "unclear_caught": share(("unclear",), ("crisis", "check")),
    }


def leave_one_round_out(
    fit: Fit, settings: Dict[str, Any], keep_rows: bool = False
) -> Dict[str, Any]:
    """Per recorded round: train without it, screen it. Also the pooled numbers.

    Args:
        fit: Trains a model from examples.
        settings: The component's settings (``config.yml``'s, plus any overrides).
        keep_rows: Also return (label, tier, text) for every held-out message.
    """
    rest, rounds = pools(blind_weight=float(settings.get("blind_weight", 1.0)))
    base = rest + nlu_negatives(float(settings.get("nlu_example_weight", 3.0)))
    result: Dict[str, Any] = {}
    pooled: List[Tuple[str, str]] = []
    for name, held_out in rounds.items():
        training = base + [e for other, ex in rounds.items() if other != name for e in ex]
        rows = tiers(detector_with(fit(training), settings), held_out)
        pooled += rows
        result[name] = metrics(rows)
        if keep_rows:
            pairs = zip(held_out, rows, strict=True)
            result[name]["rows"] = [(e.label, t, e.text) for e, (_, t) in pairs]
    result["pooled"] = metrics(pooled)
    return result


def k_fold(fit: Fit, settings: Dict[str, Any], folds: int = FOLDS) -> Dict[str, Any]:
    """5-fold over the non-blind corpus (all rounds and NLU negatives always in training)."""
    rest, rounds = pools(blind_weight=float(settings.get("blind_weight", 1.0)))
    always = nlu_negatives(float(settings.get("nlu_example_weight", 3.0)))
    always += [e for ex in rounds.values() for e in ex]
    order = list(range(len(rest)))
    random.Random(SEED).shuffle(order)
    rows: List[Tuple[str, str]] = []
    for fold in range(folds):
        held = [rest[i] for i in order[fold::folds]]
        kept = [rest[i] for j, i in enumerate(order) if j % folds != fold]
        rows += tiers(detector_with(fit(kept + always), settings), held)
    return metrics(rows)


def table(result: Dict[str, Any]) -> str:
    """A Markdown table: one row per held-out round (and pooled, and 5-fold if present)."""
    columns = ("recall", "caught", "false_crisis", "false_check", "unclear_caught",
               "recall_suicide", "recall_self_harm", "recall_danger")
    lines = ["| held out | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for name, row in result.items():
        if not isinstance(row, dict) or "recall" not in row:
            continue
        cells = ("–" if row[c] is None else f"{row[c]:.3f}" for c in columns)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Prints the leave-one-round-out table (and the 5-fold row unless ``--no-folds``)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print raw numbers as JSON")
    parser.add_argument("--no-folds", action="store_true", help="skip the 5-fold row")
    parser.add_argument(
        "--baseline", action="store_true",
        help="the screen before this harness: no naive Bayes, blind rounds weighted 1, "
        "crisis 0.5, check 0.4, rule hits never silenced",
    )
    args = parser.parse_args(argv)
    import bot.safety

    bot.safety.warm_up()
    settings = {**_pipeline_config(), **(BASELINE if args.baseline else {})}
    fit = default_fit({"nb_share": 0.0} if args.baseline else None)
    result = leave_one_round_out(fit, settings)
    if not args.no_folds:
        result["5-fold rest"] = k_fold(fit, settings)
    print(json.dumps(result, indent=1) if args.json else table(result))


if __name__ == "__main__":
    main()
