"""Reading a 0–10 urge rating out of free text."""

import pytest

from bot.reading.ratings import find_rating, vague_rating


@pytest.mark.parametrize(
    ("text", "value"),
    [("8", 8), ("like a 7", 7), ("eight", 8), ("9/10", 9), ("its a 10 tbh", 10),
     ("0", 0), ("maybe FIVE", 5), ("a 6 out of 10", 6)],
)
def test_ratings_are_read(text: str, value: int) -> None:
    found = find_rating(text)
    assert found is not None and found[0] == value


@pytest.mark.parametrize(
    "text", ["24 hours", "3.5", "11", "it's bad", "day 30 of no contact", "no one gets it"]
)
def test_other_numbers_are_not_ratings(text: str) -> None:
    assert find_rating(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("like a 7 or 8", 8), ("7-8", 8), ("6 to 7 maybe", 7), ("its at 2 now", 2)],
)
def test_a_range_gives_the_higher_number(text: str, value: int) -> None:
    found = find_rating(text)
    assert found is not None and found[0] == value


@pytest.mark.parametrize(
    "text",
    ["day 30 no contact today!!", "3 weeks no contact today", "it's been 12 days", "2am",
     "day 3 of no contact", "5 days clean", "woke at 4 am"],
)
def test_counts_of_days_weeks_and_hours_are_not_ratings(text: str) -> None:
    assert find_rating(text) is None


@pytest.mark.parametrize(
    ("text", "value"),
    [("maxed out", 10), ("off the charts", 10), ("barely", 1), ("barely there tbh", 1),
     ("medium", 5), ("its gone", 0), ("pretty low", 2)],
)
def test_short_answers_in_words_are_ratings(text: str, value: int) -> None:
    assert vague_rating(text) == value


def test_words_in_a_long_message_are_not_a_rating() -> None:
    assert vague_rating("i can barely breathe and i keep thinking about him all night") is None
