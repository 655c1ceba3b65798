"""How the rules and the model decide together: crisis, direct question, or nothing."""

from __future__ import annotations

from typing import Dict

import pytest

from bot.safety.assessment import NO_CRISIS, Assessment
from bot.safety.classifier import Scores
from bot.safety.decision import Thresholds, combine, has_imminent_cue

THRESHOLDS = Thresholds(crisis=0.5, check=0.4, imminent=0.5, rules_floor=0.2)


def _scores(none: float = 0.0, unclear: float = 0.0, imminent: float = 0.0,
            **crisis: float) -> Scores:
    probabilities: Dict[str, float] = {"none": none, "unclear": unclear, "suicide": 0.0,
                                       "self_harm": 0.0, "danger": 0.0, **crisis}
    return Scores(probabilities, imminent)


def test_a_rule_alone_makes_a_crisis_and_keeps_its_evidence() -> None:
    rules = Assessment("danger", ("danger.threat: kill me",))
    result = combine(rules, _scores(none=0.7, danger=0.3), "he said he would kill me", THRESHOLDS)
    assert result.is_crisis and result.category == "danger"
    assert result.evidence == ("danger.threat: kill me",)


def test_the_model_alone_makes_a_crisis_with_its_category() -> None:
    result = combine(NO_CRISIS, _scores(none=0.3, suicide=0.6, danger=0.1), "x", THRESHOLDS)
    assert result.is_crisis and result.category == "suicide"
    assert result.evidence[0].startswith("model: suicide")


def test_risky_but_unclear_gets_the_direct_question() -> None:
    result = combine(NO_CRISIS, _scores(none=0.55, unclear=0.3, suicide=0.15), "x", THRESHOLDS)
    assert result.is_check and not result.is_crisis and result.category is None


def test_low_risk_is_nothing() -> None:
    result = combine(NO_CRISIS, _scores(none=0.8, unclear=0.1, suicide=0.1), "x", THRESHOLDS)
    assert result.tier is None


def test_without_the_model_the_rules_decide_alone() -> None:
    assert combine(NO_CRISIS, None, "x", THRESHOLDS).tier is None
    assert combine(Assessment("suicide", ("r",)), None, "x", THRESHOLDS).is_crisis


@pytest.mark.parametrize(
    "text",
    [
        "sitting in the car in the garage with the engine on",
        "hes kicked the door in and hes looking for me",
        "i took a bunch of pills",
        "he's outside and trying to get in",
        "this is my last message",
    ],
)
def test_imminent_cues(text: str) -> None:
    assert has_imminent_cue(text)


@pytest.mark.parametrize("text", ["i want to die", "he hit me last year", "i took a walk"])
def test_not_imminent(text: str) -> None:
    assert not has_imminent_cue(text)


def test_imminence_from_a_cue_or_the_model_changes_the_kind() -> None:
    by_cue = combine(Assessment("danger", ("r",)), None, "he is outside my door", THRESHOLDS)
    assert by_cue.imminent and by_cue.kind == "urgent_danger"
    by_model = combine(NO_CRISIS, _scores(suicide=0.9, imminent=0.8), "x", THRESHOLDS)
    assert by_model.imminent and by_model.kind == "urgent_distress"


def test_thresholds_come_from_the_component_config() -> None:
    read = Thresholds.from_config({"crisis_threshold": 0.7, "check_threshold": 0.2})
    assert (read.crisis, read.check) == (0.7, 0.2)
    assert read.imminent == Thresholds().imminent


def test_a_rule_the_model_strongly_doubts_gets_the_question_not_the_card() -> None:
    rules = Assessment("suicide", ("suicide.want_die: want to die",))
    doubted = combine(rules, _scores(none=0.95, suicide=0.05), "x", THRESHOLDS)
    assert doubted.is_check and not doubted.is_crisis
    assert doubted.evidence[0] == "suicide.want_die: want to die"
    assert doubted.evidence[-1].startswith("model: disagrees")
    unsure = combine(rules, _scores(none=0.7, suicide=0.3), "x", THRESHOLDS)
    assert unsure.is_crisis and unsure.category == "suicide"


def test_a_rule_the_model_finds_unclear_stays_a_crisis() -> None:
    rules = Assessment("suicide", ("suicide.not_be_here: n't want to be here",))
    result = combine(rules, _scores(none=0.01, unclear=0.79, suicide=0.2), "x", THRESHOLDS)
    assert result.is_crisis and result.category == "suicide"


def test_a_rule_hit_the_model_reads_as_harmless_can_be_silenced() -> None:
    rules = Assessment("suicide", ("suicide.want_die: want to die",))
    silencing = Thresholds(crisis=0.5, check=0.4, rules_floor=0.2, rules_silence=0.1)
    silenced = combine(rules, _scores(none=0.95, suicide=0.05), "x", silencing)
    assert silenced.tier is None and not silenced.is_crisis
    assert silenced.evidence[-1].startswith("model: silences")
    # Any risk the model sees keeps the question (or the card) as before.
    unsure = combine(rules, _scores(none=0.55, unclear=0.4, suicide=0.05), "x", silencing)
    assert unsure.is_check
    assert combine(rules, _scores(none=0.4, suicide=0.6), "x", silencing).is_crisis


def test_silencing_is_off_by_default() -> None:
    rules = Assessment("suicide", ("suicide.want_die: want to die",))
    assert combine(rules, _scores(none=0.99, suicide=0.01), "x", Thresholds()).is_check
