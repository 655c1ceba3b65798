"""What country a person is taken to be in, from what they type."""

import pytest

from bot.reading.country_names import find_country


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("i'm in the uk", "GB"),
        ("I live in the US", "US"),
        ("im in the us", "US"),
        ("we moved from the us", "US"),
        ("usa", "US"),
        ("we're in canada rn", "CA"),
        ("Northern Ireland", "GB"),
        ("ireland", "IE"),
        ("new zealand", "NZ"),
        ("Deutschland", "DE"),
        ("france", "FR"),
        ("india", "IN"),
        ("australia", "AU"),
        ("i'm in spain", "OTHER"),
        ("somewhere else", "OTHER"),
        ("im based in london", "GB"),
        ("just outside toronto", "CA"),
        ("mumbai", "IN"),
    ],
)
def test_named_countries_map_to_directory_codes(text: str, code: str) -> None:
    found = find_country(text)
    assert found is not None and found[0] == code


@pytest.mark.parametrize(
    "text",
    ["he left us on read", "let us talk", "i'm from indiana", "tell me about trauma bonds", "",
     "sydney texted me again", "paris hasn't replied"],
)
def test_ordinary_words_are_not_countries(text: str) -> None:
    assert find_country(text) is None


def test_span_points_at_the_name() -> None:
    code, start, end = find_country("honestly i'm in Germany now")
    assert (code, "honestly i'm in Germany now"[start:end]) == ("DE", "Germany")
