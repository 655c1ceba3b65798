"""The labelled corpus: recall 1.0 on crisis messages, at most 3 % false alarms.

The same numbers through the Rasa component are asserted in
tests/nlu/test_crisis_detector.py; timing lives in bench.safety (make bench).
"""

from collections import Counter
from pathlib import Path
from typing import Any, Dict

import yaml

from bot.safety.assessment import CATEGORIES

ROOT = Path(__file__).resolve().parents[2]
MAX_FALSE_ALARM_RATE = 0.03


def test_the_corpus_is_big_enough(corpus: Dict[str, Any]) -> None:
    per_category = Counter(category for category, _group, _text in corpus["crisis"])
    assert len(corpus["crisis"]) >= 150
    assert all(per_category[category] >= 40 for category in CATEGORIES), per_category
    assert len(corpus["negative"]) >= 150


def test_no_message_is_labelled_both_ways(corpus: Dict[str, Any]) -> None:
    crisis = {text.lower() for _category, _group, text in corpus["crisis"]}
    negative = {text.lower() for _group, text in corpus["negative"]}
    assert not crisis & negative


def test_every_crisis_message_is_caught(screen: Any, corpus: Dict[str, Any]) -> None:
    missed = [text for _c, _g, text in corpus["crisis"] if not screen.assess(text).is_crisis]
    assert not missed, f"recall {1 - len(missed) / len(corpus['crisis']):.3f}; missed: {missed}"


def test_false_alarms_stay_at_or_below_three_percent(screen: Any, corpus: Dict[str, Any]) -> None:
    alarms = [
        f"{group}: {text} -> {screen.assess(text).evidence}"
        for group, text in corpus["negative"]
        if screen.assess(text).is_crisis
    ]
    rate = len(alarms) / len(corpus["negative"])
    assert rate <= MAX_FALSE_ALARM_RATE, f"false-alarm rate {rate:.3f}: {alarms}"


def test_each_crisis_message_gets_its_own_category(screen: Any, corpus: Dict[str, Any]) -> None:
    confusion: Dict[str, Counter] = {category: Counter() for category in CATEGORIES}
    wrong = []
    for category, _group, text in corpus["crisis"]:
        found = screen.assess(text).category or "none"
        confusion[category][found] += 1
        if found != category:
            wrong.append(f"{category} -> {found}: {text}")
    report = {category: dict(row) for category, row in confusion.items()}
    assert not wrong, f"confusion {report}; wrong: {wrong}"


def test_the_danger_answer_is_never_swapped_for_the_distress_one(
    screen: Any, corpus: Dict[str, Any]
) -> None:
    # The category decides which lines are shown: danger must keep the DV line.
    swapped = [
        text
        for category, _group, text in corpus["crisis"]
        if (category == "danger") != (screen.assess(text).kind == "danger")
    ]
    assert not swapped


def test_real_nlu_training_examples_rarely_read_as_a_crisis(screen: Any) -> None:
    # Every intent's examples (support, small talk, flows) are ordinary messages from this
    # audience: a realistic false-alarm check beyond the hand-picked negatives.
    examples = []
    for path in sorted((ROOT / "data" / "nlu").glob("*.yml")):
        for item in (yaml.safe_load(path.read_text()) or {}).get("nlu", []):
            if "intent" in item and isinstance(item.get("examples"), str):
                examples += [
                    (item["intent"], line.strip()[2:].strip())
                    for line in item["examples"].splitlines()
                    if line.strip().startswith("- ")
                ]
    assert len(examples) > 300
    alarms = [(intent, text) for intent, text in examples if screen.assess(text).is_crisis]
    assert len(alarms) / len(examples) <= MAX_FALSE_ALARM_RATE, alarms
