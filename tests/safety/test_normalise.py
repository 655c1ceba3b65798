"""Normalisation turns what people type into words the patterns can read."""

import pytest

from bot.safety.normalise import normalise


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("I WANT TO DIE", "i want to die"),
        ("i wanna diiiie", "i want to die"),
        ("kms", "kill myself"),
        ("im gonna k1ll mys3lf", "i'm going to kill myself"),
        ("su1c1dal", "suicidal"),
        ("sucide", "suicide"),
        ("suicid thoughts", "suicide thoughts"),
        ("i want to kil myself", "i want to kill myself"),
        ("i want to kill myslef", "i want to kill myself"),
        ("kill my self", "kill myself"),
        ("wanna k*ll myself", "want to kill myself"),
        ("k.m.s", "kill myself"),
        ("s u i c i d e", "suicide"),
        ("cuttin myself", "cutting myself"),
        ("slef harm", "self harm"),
        ("selfharm again", "self harm again"),
        ("i want to 🔪 myself", "i want to knife myself"),
        ("💊💊", "pills pills"),
        ("i don’t want to live", "i don't want to live"),
        ("ﬁne", "fine"),
        ("suïcide", "suicide"),
        ("dont wanna wake up tmrw", "don't want to wake up tomorrow"),
    ],
)
def test_typed_forms_become_plain_words(typed: str, expected: str) -> None:
    assert normalise(typed) == expected


@pytest.mark.parametrize(
    "word",
    ["subside", "odd", "sell", "suite", "himself", "mystery", "kiln", "shh", "texting"],
)
def test_real_words_are_never_repaired_into_trigger_words(word: str) -> None:
    assert normalise(word) == word


def test_self_harm_is_not_glued_into_myself() -> None:
    assert normalise("my self-harm is worse") == "my self-harm is worse"
    assert normalise("my self esteem") == "my self esteem"


def test_numbers_with_units_keep_their_digits() -> None:
    assert normalise("at 3am on the 2nd, 10mg") == "at 3am on the 2nd, 10mg"


def test_line_breaks_end_a_sentence() -> None:
    assert normalise("i'm not okay\ni want to die") == "i'm not okay . i want to die"


@pytest.mark.parametrize("empty", ["", "   "])
def test_empty_text_is_empty(empty: str) -> None:
    assert normalise(empty) == ""


def test_a_flood_of_one_symbol_counts_as_three() -> None:
    assert normalise("😭" * 3900) == "😭😭😭"
    assert normalise("noooo!!!!!!!") == normalise("noooo!!!")


def test_a_run_without_spaces_is_broken_into_word_sized_pieces() -> None:
    pieces = normalise("🙂🎉" * 200).split()
    assert len(pieces) > 1 and all(len(piece) <= 64 for piece in pieces)


def test_a_crisis_after_a_flood_is_still_read() -> None:
    assert normalise("😭" * 3900 + " i wanna die").endswith("i want to die")
