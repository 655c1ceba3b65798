"""Benchmark of the crisis screen: blind sets, the reviewed corpus, and cost per message.

``run()`` screens the reviewed corpus (``data/safety/corpus.yml``) through the same Rasa
component the server uses (``CrisisDetector.process`` on Rasa ``Message`` objects, with the
trained screen taken from the newest model in ``models/``) and returns recall and
false-alarm rate per category plus p50/p95 cost per message. ``blind_table()`` puts the
first-look scores of every blind round (``data/safety/blind/first_look.yml``, the numbers
of record) beside what today's screen does on the same sets (no longer blind once a round
has joined the training data). ``make bench`` calls both; ``python -m bench.safety``
prints them. Timings live here, never in unit tests.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import yaml

from bot.safety.assessment import CATEGORIES

REPO_ROOT = Path(__file__).resolve().parents[1]
SAFETY_DATA = REPO_ROOT / "data" / "safety"
CORPUS_PATH = SAFETY_DATA / "corpus.yml"
MODELS = REPO_ROOT / "models"


def load_corpus(path: Optional[Path] = None) -> Dict[str, Any]:
    """Returns the corpus as ``{"crisis": [(category, group, text)], "negative": [...]}``."""
    with open(path or CORPUS_PATH, encoding="utf8") as f:
        raw = yaml.safe_load(f)
    crisis = [
        (category, group, text)
        for category, groups in raw["crisis"].items()
        for group, texts in groups.items()
        for text in texts
    ]
    negative = [(group, text) for group, texts in raw["negative"].items() for text in texts]
    misses = [
        (category, text)
        for category, texts in (raw.get("known_misses") or {}).items()
        for text in texts
    ]
    return {"crisis": crisis, "negative": negative, "known_misses": misses}


def _percentile(values: List[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def newest_model() -> Optional[Path]:
    """The newest trained Rasa model in ``models/``, if any."""
    models = sorted(MODELS.glob("*.tar.gz"), key=lambda path: path.stat().st_mtime)
    return models[-1] if models else None


def trained_classifier(model_path: Path) -> Any:
    """The trained crisis screen inside a Rasa model archive (its arrays, no pickle)."""
    import tarfile
    import tempfile

    from bot.safety.classifier import CONFIG_FILE, PARAMS_FILE, CrisisClassifier

    with tarfile.open(model_path) as archive, tempfile.TemporaryDirectory() as folder:
        wanted = [m for m in archive.getmembers() if m.name.endswith((PARAMS_FILE, CONFIG_FILE))]
        if len(wanted) != 2:
            raise FileNotFoundError(f"{model_path} holds no trained crisis screen")
        for member in wanted:
            target = Path(folder) / Path(member.name).name
            source = archive.extractfile(member)
            assert source is not None
            target.write_bytes(source.read())
        return CrisisClassifier.load(Path(folder))


def _pipeline_config() -> Dict[str, Any]:
    config = yaml.safe_load((REPO_ROOT / "config.yml").read_text(encoding="utf8"))
    for component in config["pipeline"]:
        if component["name"].endswith("CrisisDetector"):
            return {k: v for k, v in component.items() if k != "name"}
    return {}


def detector(model_path: Optional[Path] = None) -> Any:
    """The CrisisDetector as the server runs it: config.yml's settings, trained screen.

    Args:
        model_path: A trained Rasa model; the newest in ``models/`` when None. Without any
            model the rules run alone (and the results say so).
    """
    import bot.safety
    from bot.nlu.crisis_detector import CrisisDetector

    bot.safety.warm_up()
    model_path = model_path or newest_model()
    classifier = trained_classifier(model_path) if model_path else None
    return CrisisDetector(_pipeline_config(), classifier=classifier)


def _crisis_of(component: Any, text: str) -> Dict[str, Any]:
    """Runs the component on one message alone and returns its ``crisis`` parse entry."""
    from rasa.shared.nlu.training_data.message import Message

    message = Message(data={"text": text})
    component.process([message])
    return message.get("crisis") or {}


def _screen(component: Any, text: str) -> Tuple[Optional[str], float, float]:
    """Runs the component on one message: (category, wall ms, CPU ms of this thread)."""
    started, cpu_started = time.perf_counter(), time.thread_time()
    crisis = _crisis_of(component, text)
    cpu_ms = (time.thread_time() - cpu_started) * 1000.0
    wall_ms = (time.perf_counter() - started) * 1000.0
    return crisis.get("category"), wall_ms, cpu_ms


def tier_of(screen: Any, text: str) -> str:
    """``crisis``, ``check`` or ``none``: what the component makes of one message alone."""
    return _crisis_of(screen, text).get("tier") or "none"


def score_blind(screen: Any, path: Path) -> Dict[str, Any]:
    """Recall, caught, false alarms and unclear caught on one blind set."""
    from bot.safety.classifier import CRISIS_LABELS
    from bot.safety.corpus import read_tsv

    tiers: Dict[str, Dict[str, int]] = {}
    for example in read_tsv(path):
        row = tiers.setdefault(example.label, {"crisis": 0, "check": 0, "none": 0})
        row[tier_of(screen, example.text)] += 1

    def share(labels: Tuple[str, ...], *wanted: str) -> float:
        total = sum(sum(tiers.get(label, {}).values()) for label in labels)
        hits = sum(tiers.get(label, {}).get(tier, 0) for label in labels for tier in wanted)
        return round(hits / total, 3) if total else 0.0

    return {
        "recall": {"all": share(CRISIS_LABELS, "crisis"),
                   **{label: share((label,), "crisis") for label in CRISIS_LABELS}},
        "caught": {"all": share(CRISIS_LABELS, "crisis", "check")},
        "false_alarms": {"crisis": share(("none",), "crisis"), "check": share(("none",), "check")},
        "unclear_caught": share(("unclear",), "crisis", "check"),
    }


def everyday_messages() -> List[str]:
    """The held-out NLU messages (tests/nlu/heldout.yml): ordinary traffic, never trained on."""
    document = yaml.safe_load((REPO_ROOT / "tests" / "nlu" / "heldout.yml").read_text("utf8"))
    return [
        line.strip()[2:].strip()
        for block in document["nlu"]
        for line in block["examples"].splitlines()
        if line.strip().startswith("- ")
    ]


def vent_messages() -> List[str]:
    """The blind vent-style NLU sets still held out (tests/nlu/heldout_vent*.tsv): long
    night-time messages about everything but a crisis, never trained on by either classifier."""
    messages: List[str] = []
    for path in sorted((REPO_ROOT / "tests" / "nlu").glob("heldout_vent*.tsv")):
        lines = path.read_text(encoding="utf8").splitlines()
        messages += [line.split("\t", 1)[1] for line in lines if "\t" in line]
    return messages


def everyday(screen: Any = None) -> Dict[str, Any]:
    """How often ordinary messages get the crisis card or the direct question.

    Clean: the held-out NLU messages; vent: the blind vent-style set. The component alone
    (no intent classifier beside it), so a little higher than end to end.
    """
    screen = screen or detector()
    result: Dict[str, Any] = {}
    for name, texts in (("clean", everyday_messages()), ("vent", vent_messages())):
        if not texts:
            continue
        tiers = [tier_of(screen, text) for text in texts]
        result[name] = {
            "messages": len(tiers),
            "crisis": round(tiers.count("crisis") / len(tiers), 3),
            "check": round(tiers.count("check") / len(tiers), 3),
        }
    return result


def blind_table(screen: Any = None) -> List[Dict[str, Any]]:
    """Every blind round: its first-look score (of record) and today's screen on it."""
    record = yaml.safe_load((SAFETY_DATA / "blind" / "first_look.yml").read_text("utf8"))
    screen = screen or detector()
    rows = []
    for entry in record.get("rounds", []):
        path = SAFETY_DATA / "blind" / f"{entry['set']}.tsv"
        plain = {key: value if isinstance(value, (dict, float, int)) else str(value)
                 for key, value in entry.items()}
        rows.append({**plain, "today": score_blind(screen, path)})
    return rows


def run(
    corpus_path: Optional[Path] = None, repeats: int = 3, screen: Any = None
) -> Dict[str, Any]:
    """Screens the corpus through the Rasa component and returns the numbers.

    Args:
        corpus_path: The labelled corpus (defaults to ``data/safety/corpus.yml``).
        repeats: How many times each message is timed; every timing counts, more
            repeats only make the percentiles steadier.
        screen: The component to measure (default: :func:`detector`, as the server runs it).

    Returns:
        ``recall`` and ``category_accuracy`` per category and overall, ``false_alarm_rate``
        overall and per negative group (plus which category the false alarms got),
        ``cost_ms`` (wall p50, p95, max over every timed message) and ``cpu_ms`` (the
        screen's own CPU time), the 1-minute load average, counts, the confusion matrix
        and the texts of any misses and false alarms.
    """
    corpus = load_corpus(corpus_path)
    component = screen or detector()
    timings: List[float] = []
    cpu_timings: List[float] = []
    confusion: Dict[str, Dict[str, int]] = {c: {} for c in CATEGORIES}
    missed: List[str] = []
    for category, _group, text in corpus["crisis"]:
        found, elapsed, cpu = _screen(component, text)
        timings.append(elapsed)
        cpu_timings.append(cpu)
        label = found or "none"
        confusion[category][label] = confusion[category].get(label, 0) + 1
        if found is None:
            missed.append(text)
    false_alarms: List[Tuple[str, str, str]] = []
    per_group: Dict[str, List[int]] = {}
    for group, text in corpus["negative"]:
        found, elapsed, cpu = _screen(component, text)
        timings.append(elapsed)
        cpu_timings.append(cpu)
        per_group.setdefault(group, [0, 0])
        per_group[group][1] += 1
        if found is not None:
            per_group[group][0] += 1
            false_alarms.append((group, found, text))
    texts = [text for *_, text in corpus["crisis"]] + [text for _, text in corpus["negative"]]
    for _ in range(max(0, repeats - 1)):
        for text in texts:
            _found, elapsed, cpu = _screen(component, text)
            timings.append(elapsed)
            cpu_timings.append(cpu)
    known_misses_caught = sum(
        1 for _category, text in corpus["known_misses"] if _screen(component, text)[0] is not None
    )

    def recall(category: str) -> float:
        row = confusion[category]
        total = sum(row.values())
        return (total - row.get("none", 0)) / total if total else 1.0

    def accuracy(category: str) -> float:
        row = confusion[category]
        total = sum(row.values())
        return row.get(category, 0) / total if total else 1.0

    n_crisis = len(corpus["crisis"])
    n_negative = len(corpus["negative"])
    false_alarm_categories: Dict[str, int] = {}
    for _group, found, _text in false_alarms:
        false_alarm_categories[found] = false_alarm_categories.get(found, 0) + 1
    return {
        "counts": {
            "crisis": n_crisis,
            "negative": n_negative,
            **{category: sum(confusion[category].values()) for category in CATEGORIES},
        },
        "recall": {
            "overall": (n_crisis - len(missed)) / n_crisis if n_crisis else 1.0,
            **{category: recall(category) for category in CATEGORIES},
        },
        "category_accuracy": {category: accuracy(category) for category in CATEGORIES},
        "false_alarm_rate": {
            "overall": len(false_alarms) / n_negative if n_negative else 0.0,
            "by_group": {group: hits / total for group, (hits, total) in per_group.items()},
            "by_category": {
                category: false_alarm_categories.get(category, 0) / n_negative
                for category in CATEGORIES
            },
        },
        "confusion": confusion,
        # Wall time is what a message waits; CPU time is the work the screen does. On a
        # busy machine (see load_average) wall time also counts waiting for a CPU.
        "cost_ms": {
            "p50": statistics.median(timings),
            "p95": _percentile(timings, 0.95),
            "max": max(timings),
            "messages_timed": len(timings),
        },
        "cpu_ms": {
            "p50": statistics.median(cpu_timings),
            "p95": _percentile(cpu_timings, 0.95),
            "max": max(cpu_timings),
        },
        "load_average": os.getloadavg()[0] if hasattr(os, "getloadavg") else None,
        "known_misses": {"total": len(corpus["known_misses"]), "caught": known_misses_caught},
        "missed": missed,
        "false_alarms": [f"{group} -> {found}: {text}" for group, found, text in false_alarms],
    }


def main() -> None:
    """Prints the benchmark as JSON."""
    screen = detector()
    result = {
        "corpus": run(screen=screen),
        "blind_rounds": blind_table(screen),
        "everyday": everyday(screen),
    }
    print(json.dumps(result, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()
