"""The content library: what it holds, how it validates, how it fails."""

from __future__ import annotations

import ast
import re
import shutil
from pathlib import Path
from typing import List, Tuple

import pytest

from bot.content.library import (
    DATA_DIR,
    MAX_MESSAGE_CHARS,
    ContentError,
    UnknownContentId,
    count_sentences,
    load_library,
    say,
)
from bot.safety.fallback import FALLBACK_CRISIS_REPLY

# The article's topics (issue 5) and the support intents that ask for an explanation.
ARTICLE_TOPICS = {
    "early_wiring",
    "intermittent_reinforcement",
    "trauma_bond",
    "inner_child_hope",
    "push_pull",
    "knowing_not_enough",
    "healing_steps",
}
EXPLANATION_INTENTS = {
    "grieving_fantasy",
    "ask_why_cant_let_go",
    "ask_intermittent_reinforcement",
    "ask_trauma_bond",
    "ask_attachment_style",
    "ask_knowing_not_enough",
    "ask_how_to_heal",
}


@pytest.fixture(scope="module")
def lib():
    return load_library()


def test_enough_exercises_of_each_kind(lib):
    assert len(lib.exercises_of("grounding")) >= 6
    assert len(lib.exercises_of("reparenting")) >= 5
    assert [e.id for e in lib.exercises_of("urge_surfing")] == ["urge_surfing"]
    assert lib.exercises_of("wind_down")


def test_every_exercise_has_steps_and_words_around_them(lib):
    for exercise in lib.exercises.values():
        assert len(exercise.steps) >= 3, exercise.id
        assert all(step.strip() for step in exercise.steps), exercise.id
        assert exercise.intro and exercise.outro and exercise.title and exercise.label


def test_every_article_topic_has_both_layers_and_a_practice(lib):
    assert ARTICLE_TOPICS <= set(lib.topics)
    for topic in lib.topics.values():
        assert count_sentences(topic.short) <= 3, topic.id
        assert topic.more.strip() and topic.more != topic.short, topic.id
        # The next step is something to do, not more reading.
        assert lib.exercise(topic.next_step).steps, topic.id


def test_every_explanation_intent_has_a_topic(lib):
    for intent in EXPLANATION_INTENTS:
        assert lib.topic_for_intent(intent).short


def test_every_text_fits_a_phone_screen(lib):
    texts = [m for variations in lib.messages.values() for m in variations]
    for exercise in lib.exercises.values():
        texts += [exercise.intro, exercise.outro, *exercise.steps]
    for topic in lib.topics.values():
        texts += [topic.short, topic.more]
    texts += [trigger.plan for trigger in lib.triggers.values()]
    assert all(0 < len(text) <= MAX_MESSAGE_CHARS for text in texts)


def test_sentence_counting():
    assert count_sentences("One. Two! Three?") == 3
    assert count_sentences("Try the 5-4-3-2-1 exercise. It helps.") == 2
    assert count_sentences("No full stop") == 1


@pytest.mark.parametrize(
    "lookup",
    [
        lambda lib: lib.exercise("no_such_exercise"),
        lambda lib: lib.topic("no_such_topic"),
        lambda lib: lib.topic_for_intent("greet"),
        lambda lib: lib.trigger("no_such_trigger"),
        lambda lib: lib.text("no.such.key"),
        lambda lib: lib.exercises_of("no_such_kind"),
    ],
)
def test_unknown_ids_fail_loudly(lib, lookup):
    with pytest.raises(UnknownContentId):
        lookup(lib)


def test_message_fields_are_filled(lib):
    text = lib.text("craving.best_line", label="box breathing", before=8, after=4)
    assert text == "Last time box breathing took you from 8 to 4 — want to start there?"


def test_loading_is_cached():
    assert load_library() is load_library(DATA_DIR)


def _copy_data(tmp_path: Path) -> Path:
    target = tmp_path / "data"
    shutil.copytree(DATA_DIR, target)
    return target


@pytest.mark.parametrize(
    "file, old, new, complaint",
    [
        ("topics.yml", "next_step: box_breathing", "next_step: no_such_thing", "unknown exercise"),
        ("topics.yml", "related: trauma_bond", "related: nowhere", "unknown topic"),
        ("grounding.yml", "id: cold_water", "id: box_breathing", "duplicate"),
        ("grounding.yml", "kind: grounding", "kind: dancing", "kind must be"),
        ("wind_down.yml", "id: worry_parking", "id: Worry Parking", "lower_snake_case"),
        ("messages.yml", 'button.next: "Next"', 'button.next: ""', "non-empty"),
        ("relapse.yml", "id: other", "id: something_else", "'other' is required"),
    ],
)
def test_broken_content_fails_loudly(tmp_path, file, old, new, complaint):
    folder = _copy_data(tmp_path)
    path = folder / file
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(ContentError, match=complaint):
        load_library(folder)


def test_too_long_and_too_many_sentences_fail(tmp_path):
    folder = _copy_data(tmp_path)
    path = folder / "topics.yml"
    text = path.read_text(encoding="utf-8")
    short = "short: \"Healing isn't forcing yourself"
    assert short in text
    path.write_text(text.replace(short, 'short: "One. Two. Three. Four. ' + short[8:], 1))
    with pytest.raises(ContentError, match="more than 3 sentences"):
        load_library(folder)

    folder = _copy_data(tmp_path / "again")
    path = folder / "grounding.yml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("outro: \"That's the box.", "outro: \"" + "x" * 601, 1))
    with pytest.raises(ContentError, match="max 600"):
        load_library(folder)


def test_a_missing_file_fails_loudly(tmp_path):
    folder = _copy_data(tmp_path)
    (folder / "reparenting.yml").unlink()
    with pytest.raises(ContentError, match="reparenting.yml"):
        load_library(folder)


def test_message_variations_must_share_fields(tmp_path):
    folder = _copy_data(tmp_path)
    path = folder / "messages.yml"
    text = path.read_text(encoding="utf-8")
    old = '    - "{before} down to {after}.'
    assert old in text
    path.write_text(text.replace(old, '    - "{before} down to {later}.', 1))
    with pytest.raises(ContentError, match="different"):
        load_library(folder)


def test_the_push_pull_explanation_says_where_a_pattern_ends_and_abuse_begins() -> None:
    from bot.content.library import load_library

    short = load_library().topic("push_pull").short
    assert "abuse, not an attachment style" in short and "SOS" in short


# --- say(): fixed lines for channels and the outage guard --------------------------------

ROOT = Path(__file__).resolve().parents[2]
SAYING_CALLS = {"say", "text", "fresh_text"}


def keys_said_in_code() -> List[Tuple[str, str]]:
    """(file, key) of every literal message key code says (``say("channel.empty")``...)."""
    found = []
    for folder in ("bot", "actions"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not isinstance(node, ast.Call):
                    continue
                name = getattr(node.func, "attr", getattr(node.func, "id", ""))
                literal = [a.value for a in node.args if isinstance(a, ast.Constant)]
                if name in SAYING_CALLS and literal and isinstance(literal[0], str):
                    if re.fullmatch(r"[a-z_]+\.[a-z_.]+", literal[0]):
                        found.append((str(path.relative_to(ROOT)), literal[0]))
    return found


def test_every_key_code_says_is_in_messages_yml(lib) -> None:
    said = keys_said_in_code()
    assert len(said) > 50, said  # the scan found the calls
    missing = [(where, key) for where, key in said if key not in lib.messages]
    assert missing == []


def test_say_reads_the_first_wording() -> None:
    assert say("channel.empty") == load_library().messages["channel.empty"][0]
    assert say("telegram.group_with_link", bot_name="harbor_bot").endswith("t.me/harbor_bot.")


def test_say_falls_back_to_the_last_resort_crisis_text(caplog) -> None:
    assert say("channel.no_such_line") == FALLBACK_CRISIS_REPLY
    assert "channel.no_such_line" in caplog.text
