"""The safety plan's content and the reading of what people type."""

from __future__ import annotations

import pytest

from bot.content import safety_plan

CONTENT = safety_plan.load()


def test_the_seven_stanley_brown_steps_in_order() -> None:
    assert [s.id for s in CONTENT.steps] == [
        "warning_signs", "coping", "distractions", "people", "professionals", "safer", "reasons"
    ]
    assert all(2 <= len(step.examples) <= 3 for step in CONTENT.steps)


def test_making_surroundings_safer_is_asked_gently_without_method_detail() -> None:
    safer = CONTENT.step("safer")
    text = " ".join([safer.ask, *safer.examples]).lower()
    assert "out of reach" in text
    for word in ("pill", "knife", "knives", "gun", "rope", "blade", "medication", "overdose"):
        assert word not in text


@pytest.mark.parametrize(
    "text, expected",
    [
        ("add Priya to my people", ("people", "Priya")),
        ("Add my dog to my reasons", ("reasons", "my dog")),
        ("put the library in my places", ("distractions", "the library")),
        ("add Jordan to my safety plan", ("people", "Jordan")),
        ("add Dr Lee to my professionals", ("professionals", "Dr Lee")),
        ("i want to add something", None),
        ("add him back on instagram", None),
    ],
)
def test_reading_an_addition(text, expected) -> None:
    assert safety_plan.parse_addition(text) == expected


@pytest.mark.parametrize("text", ["skip", "Skip this one", "pass", "idk", "not sure", "-"])
def test_skip_words(text) -> None:
    assert safety_plan.is_skip(text)


@pytest.mark.parametrize("text", ["text Priya", "skip rope in the park", "my sister"])
def test_answers_are_not_skips(text) -> None:
    assert not safety_plan.is_skip(text)


def test_the_lead_puts_people_first_and_stays_short() -> None:
    plan = {
        "reasons": ["my dog"],
        "coping": ["go out on the balcony and name five things"],
        "people": ["text Priya"],
        "distractions": ["the café", "the gym"],
    }
    lead = safety_plan.lead_text(CONTENT, plan)
    assert lead == (
        "Your plan says: text Priya; go out on the balcony and name five things; the café."
    )
    assert safety_plan.lead_text(CONTENT, {}) is None


def test_showing_the_plan_leaves_skipped_steps_out() -> None:
    shown = safety_plan.show_text(CONTENT, {"people": ["text Priya"]})
    assert shown.splitlines() == [
        CONTENT.text("show_title"), "• People I can ask for help: text Priya"
    ]
