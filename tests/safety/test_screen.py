"""What the crisis screen catches and what it leaves alone (bot.safety.assess)."""

import subprocess
import sys
from typing import Any

import pytest

import bot.safety
from bot.safety import assess


@pytest.mark.parametrize(
    ("text", "category"),
    [
        # direct, passive, plans, goodbye notes
        ("i want to kill myself", "suicide"),
        ("i don't want to be alive", "suicide"),
        ("i don't want to wake up", "suicide"),
        ("everyone would be better off without me", "suicide"),
        ("i have the pills saved up", "suicide"),
        ("by the time you read this i'll be gone", "suicide"),
        ("i don't deserve to live", "suicide"),
        # slang, misspellings, caps, emoji
        ("kms", "suicide"),
        ("i want to unalive myself", "suicide"),
        ("sucide thoughts", "suicide"),
        ("i want to kil myself", "suicide"),
        ("I WANT TO DIE", "suicide"),
        ("want to be 🪦", "suicide"),
        ("i relapsed on sh", "self_harm"),
        ("i want to 🔪 myself", "self_harm"),
        ("i cut myself last night", "self_harm"),
        ("i've been starving myself", "self_harm"),
        ("i overdosed on purpose", "self_harm"),
        # danger
        ("he said he'd kill me", "danger"),
        ("i'm scared he'll hurt me", "danger"),
        ("someone is following me home", "danger"),
        ("he locked me in the bedroom", "danger"),
        ("he raped me", "danger"),
        ("he told me to kys", "danger"),
    ],
)
def test_crisis_messages_are_caught(text: str, category: str) -> None:
    assert assess(text).category == category


@pytest.mark.parametrize(
    "text",
    [
        # negation
        "i'm not suicidal, just sad",
        "i would never hurt myself",
        "no thoughts of hurting myself, just sad",
        "he didn't hit me, he just ignores me",
        # idioms
        "i'd kill for a pizza",
        "this meme killed me",
        "i'm killing time",
        "dying to see the movie",
        "i could die of embarrassment",
        "my feet are killing me",
        "he hit me up last night",
        "i'm killing myself to finish this project",
        # the seed article's own vocabulary
        "my body associates him with danger and safety",
        "i want to cut him out of my life",
        "i need to cut contact",
        "i cut ties with her",
        "my nervous system feels unsafe when he pulls away",
        # ordinary breakup pain (decided: not a crisis, see docs/safety.md)
        "i feel like i'm dying without him",
        "this breakup is killing me",
        "i can't live without him",
        "he'd be better off without me",
        "i'm scared he'll hurt me again if i take him back",
        # accidents
        "i cut my finger chopping onions",
        "i burned myself on the oven",
    ],
)
def test_non_crisis_messages_are_left_alone(text: str) -> None:
    assert not assess(text).is_crisis, assess(text).evidence


def test_past_history_is_not_a_crisis_but_a_present_urge_is() -> None:
    assert not assess("i used to cut but i'm 2 years clean").is_crisis
    assert not assess("i tried to kill myself when i was 16, i'm okay now").is_crisis
    assert assess("i used to cut and now i want to again").category == "self_harm"
    assert assess("i'm 2 years clean from sh but the urges are back").category == "self_harm"


def test_danger_wins_over_distress_because_its_answer_has_both_lines() -> None:
    found = assess("he said he'd kill me and honestly i want to die")
    assert found.category == "danger"
    assert {"danger.threat_kill", "suicide.want_die"} <= set(found.rule_ids)


def test_evidence_names_the_rule_and_the_words() -> None:
    assert assess("I want to DIE").evidence == ("suicide.want_die: want to die",)


def test_a_crisis_at_the_end_of_a_long_journal_entry_is_found() -> None:
    entry = "today i texted him again and felt awful about it. " * 2000 + "i want to die."
    assert len(entry) > 100_000
    assert assess(entry).category == "suicide"


@pytest.mark.parametrize("odd", [None, "", "   ", 42, "\x00\x01", "🙂" * 500, "a" * 10_000])
def test_odd_input_is_never_an_error(odd: Any) -> None:
    assert not assess(odd).is_crisis


def test_if_the_spacy_screen_breaks_a_keyword_fallback_still_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken() -> None:
        raise OSError("en_harbor is missing")

    monkeypatch.setattr("bot.safety.screen.default_screen", broken)
    found = bot.safety.assess("i want to kill myself")
    assert found.category == "suicide"
    assert found.evidence[0].startswith("fallback.")
    assert not bot.safety.assess("i want to text him").is_crisis


def test_importing_the_safety_layer_loads_nothing() -> None:
    code = (
        "import sys, bot.safety, bot.safety.screen, bot.safety.patterns, "
        "bot.safety.normalise, bot.safety.resources; "
        "print('spacy' in sys.modules, bot.safety.screen._screen is None)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert result.stdout.split() == ["False", "True"]


@pytest.mark.parametrize(
    "text",
    [
        "i want to live a quiet life",
        "you wanted to know where i live, its canada",
        "i finally want to live for me",
        "i want to keep living my best life without him",
    ],
)
def test_wanting_to_live_is_not_a_death_wish(text: str) -> None:
    # Life words count for the backstop only after a negation ("don't deserve to live").
    assert not assess(text).is_crisis


@pytest.mark.parametrize(
    "text",
    ["i don't deserve to live", "i want to stop existing", "i'm done living like this tonight"],
)
def test_a_negated_life_word_is_still_a_death_wish(text: str) -> None:
    assert assess(text).category == "suicide"
