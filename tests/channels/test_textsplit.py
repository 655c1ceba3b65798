"""Splitting long replies: every piece fits, nothing is lost, cuts fall on boundaries."""

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.channels.textsplit import TELEGRAM_MESSAGE_LIMIT, split_text, utf16_length


def _visible(text: str) -> str:
    return re.sub(r"\s", "", text)


def test_short_text_is_one_piece() -> None:
    assert split_text("  Breathe with me.  ") == ["Breathe with me."]


def test_blank_text_is_nothing() -> None:
    assert split_text("") == []
    assert split_text(" \n\n ") == []


def test_5000_characters_become_two_telegram_messages() -> None:
    text = ("word " * 1000).strip() * 1  # 4999 characters
    text += " end"

    pieces = split_text(text)

    assert len(pieces) == 2
    assert all(len(piece) <= TELEGRAM_MESSAGE_LIMIT for piece in pieces)
    assert " ".join(pieces) == text


def test_cuts_prefer_paragraphs_then_lines_then_words() -> None:
    first = "a" * 30
    second = "b " * 10

    assert split_text(f"{first}\n\n{second}", limit=40) == [first, second.strip()]
    assert split_text(f"{first}\n{second}", limit=40) == [first, second.strip()]
    assert split_text("aaa bbb ccc", limit=8) == ["aaa bbb", "ccc"]


def test_an_early_paragraph_break_does_not_leave_a_tiny_piece() -> None:
    pieces = split_text("Hi.\n\n" + "word " * 20, limit=40)

    assert len(pieces[0]) > 20


def test_a_word_longer_than_the_limit_is_cut_where_it_must_be() -> None:
    assert split_text("x" * 25, limit=10) == ["x" * 10, "x" * 10, "x" * 5]


def test_emoji_count_twice_like_telegram_counts_them() -> None:
    text = "💙" * 3000  # 3000 characters, 6000 UTF-16 units

    pieces = split_text(text)

    assert len(pieces) == 2
    assert all(utf16_length(piece) <= TELEGRAM_MESSAGE_LIMIT for piece in pieces)
    assert "".join(pieces) == text


def test_a_limit_below_two_is_refused() -> None:
    with pytest.raises(ValueError):
        split_text("abc", limit=1)


@settings(deadline=None, max_examples=300)
@given(
    text=st.text(alphabet=st.sampled_from(list("ab cd\n\t.,😢é")) | st.characters(), max_size=400),
    limit=st.integers(min_value=2, max_value=60),
)
def test_any_text_fits_and_keeps_every_visible_character(text: str, limit: int) -> None:
    pieces = split_text(text, limit=limit)

    assert all(piece and utf16_length(piece) <= limit for piece in pieces)
    assert all(piece == piece.strip() for piece in pieces)
    assert _visible("".join(pieces)) == _visible(text)


def test_a_lone_surrogate_from_json_is_counted_not_a_crash() -> None:
    text = "before \ud800 after " * 3
    pieces = split_text(text, limit=10)
    assert all(utf16_length(piece) <= 10 for piece in pieces)
    assert "".join(pieces).replace(" ", "") == text.replace(" ", "")
