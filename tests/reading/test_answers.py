"""Reading answers: urge ratings, tool choices, slip triggers."""

from __future__ import annotations

import pytest

from bot.content.library import load_library
from bot.reading.answers import (
    day_count_from,
    entity_value,
    is_payload,
    rating_from,
    tool_from,
    trigger_from,
)

LIB = load_library()


@pytest.mark.parametrize(
    "text, expected",
    [
        ("8", 8),
        ("like a 7", 7),
        ("eight", 8),
        ("its a 10 rn", 10),
        ("0", 0),
        ("9/10", 9),
        ("idk", None),
        ("", None),
        ("why do you ask", None),
        ('/inform_urge_level{"number": 8}', None),
    ],
)
def test_rating_from_text(text, expected):
    assert rating_from([], text) == expected


def test_rating_from_entity_wins_and_is_bounded():
    assert rating_from([{"entity": "number", "value": 6}], "like a 9") == 6
    assert rating_from([{"entity": "number", "value": "4"}], "") == 4
    assert rating_from([{"entity": "number", "value": 42}], "") is None
    assert rating_from([{"entity": "number", "value": True}], "") is None
    assert rating_from([{"entity": "option", "value": 3}], "five") == 5


def test_payloads_and_entities():
    assert is_payload(" /stop")
    assert not is_payload("stop")
    assert entity_value([{"entity": "option", "value": "vault"}], "option") == "vault"
    assert entity_value([], "option") is None


@pytest.mark.parametrize(
    "option, intent, text, expected",
    [
        ("urge_surfing", None, "/choose_option", "urge_surfing"),
        ("box_breathing", None, "", "box_breathing"),
        ("safe_now", None, "", None),  # a reparenting script is not a craving tool
        (None, "request_grounding", "help me breathe", "grounding"),
        (None, "choose_option", "let me ride it out", "urge_surfing"),
        (None, "choose_option", "i'll write it here instead", "vault"),
        (None, "choose_option", "show me my reasons", "reasons"),
        (None, "affirm", "grounding please", "grounding"),
        (None, "deny", "i dunno", None),
        (None, None, "/next_step", None),
    ],
)
def test_tool_from(option, intent, text, expected):
    assert tool_from(option, intent, text, LIB) == expected


@pytest.mark.parametrize(
    "option, text, expected",
    [
        ("lonely", "/choose_option", "lonely"),
        (None, "i was drunk tbh", "drinking"),
        (None, "he texted me first", "they_reached_out"),
        (None, "saw her instagram story", "saw_them"),
        (None, "it was 3am and i couldn't sleep", "late_night"),
        (None, "no idea honestly", "other"),
        ("not_a_trigger", "", "other"),
    ],
)
def test_trigger_from(option, text, expected):
    assert trigger_from(option, text, LIB) == expected


@pytest.mark.parametrize(
    ("text", "days"),
    [("day 30 no contact", 30), ("3 weeks no contact today", 21), ("it's been 12 days", 12),
     ("a month no contact!", 30), ("two weeks today", 14), ("no contact day 45", 45)],
)
def test_day_counts_are_read(text, days):
    assert day_count_from(text) == days


@pytest.mark.parametrize("text", ["how many days", "i texted him 3 days ago", "/share_win", ""])
def test_no_day_count(text):
    assert day_count_from(text) is None
