"""Reading a 0–10 urge rating out of free text."""

import pytest

from bot.nlu.ratings import find_rating


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
