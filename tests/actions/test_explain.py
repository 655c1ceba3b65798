"""Explanations: the short answer, "tell me more", then a practice."""

from __future__ import annotations

import pytest

from actions.explain import ActionExplain, ActionExplainMore
from bot.content.library import load_library
from tests.fixtures.trackers import memory_store, run, tracker

LIB = load_library()


@pytest.fixture(autouse=True)
def store(monkeypatch):
    yield from memory_store(monkeypatch)


@pytest.mark.parametrize(
    "intent, topic",
    [
        ("ask_why_cant_let_go", "early_wiring"),
        ("ask_intermittent_reinforcement", "intermittent_reinforcement"),
        ("ask_trauma_bond", "trauma_bond"),
        ("ask_attachment_style", "push_pull"),
        ("ask_knowing_not_enough", "knowing_not_enough"),
        ("ask_how_to_heal", "healing_steps"),
        ("grieving_fantasy", "grieving_fantasy"),
    ],
)
async def test_each_question_gets_its_short_answer_and_a_practice(intent, topic):
    outcome = await run(ActionExplain(), tracker("fresh", text="why", intent=intent))
    expected = LIB.topic(topic)
    assert outcome.texts == [expected.short]
    assert outcome.buttons[0]["payload"] == f'/tell_me_more{{"topic": "{topic}"}}'
    assert outcome.buttons[1]["payload"] == (
        f'/start_exercise{{"exercise": "{expected.next_step}"}}'
    )
    assert outcome.slot("topic_id") == topic


async def test_tell_me_more_gives_the_deeper_layer_and_a_practice():
    state = tracker(
        "fresh", slots={"topic_id": "trauma_bond"}, text="tell me more", intent="tell_me_more"
    )
    outcome = await run(ActionExplainMore(), state)
    assert outcome.texts == [LIB.topic("trauma_bond").more]
    assert [b["title"] for b in outcome.buttons] == [
        "Try it: Double-breath sigh",
        LIB.topic("knowing_not_enough").title,
    ]


async def test_a_related_topic_opens_with_its_short_answer():
    state = tracker(
        "fresh",
        slots={"topic_id": "early_wiring"},
        text="/tell_me_more",
        intent="tell_me_more",
        entities=[{"entity": "topic", "value": "inner_child_hope"}],
    )
    outcome = await run(ActionExplainMore(), state)
    assert outcome.texts == [LIB.topic("inner_child_hope").short]
    assert outcome.slot("topic_id") == "inner_child_hope"


async def test_more_about_nothing_asks_which_topic():
    outcome = await run(ActionExplainMore(), tracker("fresh", text="more", intent="tell_me_more"))
    assert outcome.texts == [LIB.text("explain.pick_topic")]
    assert len(outcome.buttons) == len(LIB.topics)


async def test_the_practice_is_never_the_exercise_just_done():
    state = tracker(
        "fresh", slots={"last_exercise": "physiological_sigh"}, text="?", intent="ask_trauma_bond"
    )
    outcome = await run(ActionExplain(), state)
    practice = outcome.buttons[1]["payload"]
    assert "physiological_sigh" not in practice
    assert practice.startswith('/start_exercise{"exercise": "')
