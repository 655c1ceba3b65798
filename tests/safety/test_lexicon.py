"""Known words stay as typed; stretched or misspelt trigger words are repaired."""

from bot.safety.lexicon import Lexicon, damerau_levenshtein, default_lexicon, skeleton


def test_skeleton_collapses_repeated_letters() -> None:
    assert skeleton("diiiie") == "die"
    assert skeleton("killll") == "kil"


def test_edit_distance_counts_a_swap_as_one() -> None:
    assert damerau_levenshtein("myslef", "myself", 2) == 1
    assert damerau_levenshtein("sucide", "suicide", 2) == 1
    assert damerau_levenshtein("subside", "suicide", 1) == 2  # stops early past the limit


def test_correct_repairs_unknown_words_only() -> None:
    lexicon = Lexicon(known_words={"subside", "kiln"}, trigger_words={"kill", "suicide"},
                      fuzzy_targets={"suicide"})
    assert lexicon.correct("kil") == "kill"
    assert lexicon.correct("killlll") == "kill"
    assert lexicon.correct("sucide") == "suicide"
    assert lexicon.correct("subside") == "subside"
    assert lexicon.correct("kiln") == "kiln"
    assert lexicon.correct("zebra") is None


def test_the_default_lexicon_knows_english_and_the_trigger_words() -> None:
    lexicon = default_lexicon()
    for word in ("relationship", "anxious", "myself", "suicide", "killing", "overdosed"):
        assert lexicon.is_known(word), word
    assert not lexicon.is_known("sucide")
