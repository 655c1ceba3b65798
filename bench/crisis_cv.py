"""Cross-validation of the crisis screen: leave one blind round out, plus the guards.

The blind rounds' first-look scores are the numbers of record, but each round can be looked
at blind only once. To compare models and thresholds without spending a new round, this
harness re-creates a first look for every recorded round K: the trained screen is learned
exactly as ``rasa train`` learns it (``data/safety/train``, ``corpus.yml``, every NLU example
as a negative, the recorded rounds) but **without round K**, and round K is then screened
message by message, without context, through the Rasa component the server runs
(``CrisisDetector`` with ``config.yml``'s settings: rules, model and thresholds).

Beside the held-out rounds it measures the two guards a new screen must not break, with a
model trained on everything (the one that would ship):

- ``corpus none``: crisis answers on the reviewed corpus's hard negatives (the end-to-end
  guard ``tests/e2e/test_crisis_corpus.py`` allows 3 %; the component alone, without the
  intent classifier's doubt, so a little higher than end to end);
- ``everyday``: the card and the question on the held-out NLU messages (``clean``) and on
  the blind vent-style NLU set (``vent``), as ``make bench`` reports them.

Caveat: the rules were written before and between the rounds and are not refitted here, so
their share of these numbers is only as blind as the rules were. These are cross-validation
numbers, never first looks.

``python -m bench.crisis_cv`` prints the tables for the current code and ``config.yml``;
``--json`` prints the raw numbers. It trains five models: a few minutes on an idle machine.
"""

from __future__ import annotations

import argparse
import functools
import json
from dataclasses import replace
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Sequence, Tuple

from bench.safety import (
    REPO_ROOT,
    SAFETY_DATA,
    _pipeline_config,
    everyday,
    load_corpus,
    tier_of,
)
from bot.safety import corpus
from bot.safety.classifier import CRISIS_LABELS, CrisisClassifier

NLU_DATA = REPO_ROOT / "data" / "nlu"
GOALS = {"recall": 0.97, "caught": 0.99, "false_crisis": 0.03, "false_check": 0.05,
         "unclear_caught": 0.9}

Fit = Callable[[List[corpus.Example]], Any]


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
    directory: Path = SAFETY_DATA,
) -> Tuple[List[corpus.Example], Dict[str, List[corpus.Example]]]:
    """The non-blind training examples, and each recorded blind round's examples."""
    rounds = {
        name: corpus.read_tsv(directory / "blind" / f"{name}.tsv")
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


def mean_of(rows: Sequence[Dict[str, Any]]) -> Dict[str, Any]:
    """The unweighted mean of each metric over the held-out rounds."""
    keys = [key for key in rows[0] if key != "n" and key != "rows"]
    return {
        key: round(sum(row[key] for row in rows) / len(rows), 3)
        for key in keys
        if all(row[key] is not None for row in rows)
    }


def training_base(settings: Dict[str, Any]) -> Tuple[List[corpus.Example],
                                                       Dict[str, List[corpus.Example]]]:
    """What every model learns from (non-blind corpus + NLU negatives), and the rounds."""
    rest, rounds = pools()
    weight = float(settings.get("blind_weight", 1.0))
    rounds = {name: [replace(e, weight=weight) for e in ex] for name, ex in rounds.items()}
    return rest + nlu_negatives(float(settings.get("nlu_example_weight", 3.0))), rounds


def leave_one_round_out(
    fit: Fit, settings: Dict[str, Any], keep_rows: bool = False
) -> Dict[str, Any]:
    """Per recorded round: train without it, screen it; then the mean over the rounds.

    Args:
        fit: Trains a model from examples.
        settings: The component's settings (``config.yml``'s, plus any overrides).
        keep_rows: Also return (label, tier, text) for every held-out message.
    """
    base, rounds = training_base(settings)
    result: Dict[str, Any] = {}
    for name, held_out in rounds.items():
        training = base + [e for other, ex in rounds.items() if other != name for e in ex]
        rows = tiers(detector_with(fit(training), settings), held_out)
        result[name] = metrics(rows)
        if keep_rows:
            pairs = zip(held_out, rows, strict=True)
            result[name]["rows"] = [(e.label, t, e.text) for e, (_, t) in pairs]
    result["mean"] = mean_of(list(result.values()))
    return result


def guards(fit: Fit, settings: Dict[str, Any]) -> Dict[str, Any]:
    """The shipped model (trained on everything): corpus hard negatives and everyday traffic."""
    base, rounds = training_base(settings)
    screen = detector_with(fit(base + [e for ex in rounds.values() for e in ex]), settings)
    negatives = [text for _, text in load_corpus()["negative"]]
    alarms = [text for text in negatives if tier_of(screen, text) == "crisis"]
    return {
        "corpus_none_crisis": round(len(alarms) / len(negatives), 3),
        "corpus_none_alarms": alarms,
        "everyday": everyday(screen),
    }


def table(result: Dict[str, Any]) -> str:
    """A Markdown table: one row per held-out round and the mean."""
    columns = ("recall", "caught", "false_crisis", "false_check", "unclear_caught",
               "recall_suicide", "recall_self_harm", "recall_danger")
    lines = ["| held out | " + " | ".join(columns) + " |",
             "|---|" + "---|" * len(columns)]
    for name, row in result.items():
        if not isinstance(row, dict) or "recall" not in row:
            continue
        cells = ("–" if row.get(c) is None else f"{row[c]:.3f}" for c in columns)
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def guard_lines(result: Dict[str, Any]) -> str:
    """The guards in two lines."""
    day = result["everyday"]
    return (
        f"corpus none -> crisis (guard 0.03, component alone): {result['corpus_none_crisis']:.3f}\n"
        f"everyday clean card/question: {day['clean']['crisis']:.3f} / {day['clean']['check']:.3f}"
        f"; vent card/question: {day['vent']['crisis']:.3f} / {day['vent']['check']:.3f}"
    )


def cache_rules() -> None:
    """Memoises the rules' reading of a text: they are not retrained, only re-read."""
    from bot.safety import rule_reader

    if not hasattr(rule_reader.read, "cache_info"):
        rule_reader.read = functools.lru_cache(maxsize=None)(rule_reader.read)


def main(argv: Optional[Sequence[str]] = None) -> None:
    """Prints the leave-one-round-out table and the guards."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--json", action="store_true", help="print raw numbers as JSON")
    parser.add_argument("--no-guards", action="store_true", help="skip the shipped-model guards")
    args = parser.parse_args(argv)
    import bot.safety

    bot.safety.warm_up()
    cache_rules()
    settings = _pipeline_config()
    fit = default_fit()
    result = leave_one_round_out(fit, settings)
    if not args.no_guards:
        result["guards"] = guards(fit, settings)
    if args.json:
        print(json.dumps(result, indent=1))
        return
    print(table(result))
    if "guards" in result:
        print(guard_lines(result["guards"]))


if __name__ == "__main__":
    main()
