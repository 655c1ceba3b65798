"""The assessment value: categories map to the answer they need."""

from bot.safety import NO_CRISIS, Assessment, kind_of


def test_danger_needs_the_danger_answer() -> None:
    assert Assessment("danger", ("danger.hit: he hit me",)).kind == "danger"


def test_suicide_and_self_harm_need_the_distress_answer() -> None:
    assert Assessment("suicide").kind == "distress"
    assert Assessment("self_harm").kind == "distress"


def test_no_category_is_no_crisis() -> None:
    assert not NO_CRISIS.is_crisis
    assert NO_CRISIS.kind is None
    assert kind_of(None) is None


def test_rule_ids_drop_the_matched_words() -> None:
    found = Assessment("suicide", ("suicide.want_die: want to die", "suicide.word: suicidal"))
    assert found.rule_ids == ("suicide.want_die", "suicide.word")
