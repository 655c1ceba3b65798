"""The trained half of the crisis screen: fitting, scoring, windows, saving without pickle."""

from __future__ import annotations

from pathlib import Path
from typing import List, Tuple

import numpy as np
import pytest

from bot.safety.classifier import LABELS, PARAMS_FILE, CrisisClassifier, windows

SMALL_CORPUS: List[Tuple[str, str, bool]] = [
    *[("suicide", t, False) for t in (
        "i want to die", "i wish i was dead", "no reason to keep living", "want to end my life",
        "planning to end it tonight", "better off dead honestly", "ready to go for good",
        "dont want to exist anymore",
    )],
    ("suicide", "i took all my pills just now", True),
    ("suicide", "swallowed the whole bottle a minute ago", True),
    *[("self_harm", t, False) for t in (
        "i cut myself again", "burned my arm on purpose", "the urge to cut is back",
        "relapsed and hurt myself", "scratching my skin till it bleeds", "hit myself again",
    )],
    *[("danger", t, False) for t in (
        "he hits me", "he choked me last night", "she threatened to kill me",
        "my ex is stalking me", "he locked me in the flat", "he said he would hurt me",
    )],
    ("danger", "he is outside banging on the door right now", True),
    ("danger", "hes kicked the door in and is looking for me", True),
    *[("unclear", t, False) for t in (
        "whats the point", "i cant do this anymore", "so tired of everything", "nothing matters",
    )],
    *[("none", t, False) for t in (
        "i want to text him so bad", "this exam is killing me lol", "i miss her so much",
        "cut him off for good", "dying to see the new film", "my phone died", "hi there",
        "how do i stop checking his instagram", "i slept badly", "had pizza for dinner",
        "the breakup hurts so much", "what is an anxious attachment style",
    )],
]


@pytest.fixture(scope="module")
def small_model() -> CrisisClassifier:
    texts = [text for _, text, _ in SMALL_CORPUS]
    labels = [label for label, _, _ in SMALL_CORPUS]
    imminent = [flag for _, _, flag in SMALL_CORPUS]
    return CrisisClassifier.fit(texts, labels, imminent, {"alpha": 1e-4})


def test_probabilities_cover_every_label_and_sum_to_one(small_model: CrisisClassifier) -> None:
    scores = small_model.score("i want to die")
    assert set(scores.probabilities) == set(LABELS)
    assert sum(scores.probabilities.values()) == pytest.approx(1.0, abs=1e-5)


def test_learned_messages_read_as_what_they_were_labelled(small_model: CrisisClassifier) -> None:
    assert small_model.score("i wish i was dead").category == "suicide"
    assert small_model.score("i wish i was dead").crisis > 0.5
    assert small_model.score("he choked me last night").category == "danger"
    assert small_model.score("i want to text him so bad").crisis < 0.5


def test_imminence_is_learned_from_the_marked_examples(small_model: CrisisClassifier) -> None:
    now = small_model.score("he is outside banging on the door right now").imminent
    someday = small_model.score("my ex is stalking me").imminent
    assert now > someday


def test_a_crisis_sentence_buried_in_a_long_vent_is_not_diluted(
    small_model: CrisisClassifier,
) -> None:
    filler = "so we went to the shops and then his mum called and we argued about the car " * 4
    vent = f"{filler} and honestly i want to die {filler}"
    whole_only = CrisisClassifier(small_model._params, {"window_words": 10_000})
    assert small_model.score(vent).crisis > whole_only.score(vent).crisis + 0.05
    assert small_model.score(vent).category == "suicide"


def test_windows_keep_short_texts_whole_and_cover_long_ones() -> None:
    assert windows("a b c", 5, 2) == ["a b c"]
    pieces = windows(" ".join(str(n) for n in range(10)), 4, 2)
    assert pieces[0] == "0 1 2 3 4 5 6 7 8 9"
    assert pieces[1] == "0 1 2 3" and pieces[-1].endswith("9")


def test_a_label_without_examples_never_wins() -> None:
    model = CrisisClassifier.fit(
        ["i want to die", "hello there", "wish i was gone", "nice day"],
        ["suicide", "none", "suicide", "none"],
        [False] * 4,
    )
    scores = model.score("i want to die")
    assert scores.probabilities["danger"] < 1e-6 and scores.probabilities["unclear"] < 1e-6
    assert scores.imminent < 1e-6


def test_unknown_labels_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown labels"):
        CrisisClassifier.fit(["x", "y"], ["suicide", "sad"], [False, False])


def test_saved_model_scores_the_same_after_loading(
    small_model: CrisisClassifier, tmp_path: Path
) -> None:
    small_model.save(tmp_path)
    loaded = CrisisClassifier.load(tmp_path)
    for text in ("i cut myself again", "whats the point", "hi there"):
        assert loaded.score(text) == small_model.score(text)


def test_loading_refuses_pickled_arrays(small_model: CrisisClassifier, tmp_path: Path) -> None:
    small_model.save(tmp_path)
    np.savez(tmp_path / PARAMS_FILE, coef=np.array([object()], dtype=object))
    with pytest.raises(ValueError):
        CrisisClassifier.load(tmp_path)


def test_loading_refuses_another_format(small_model: CrisisClassifier, tmp_path: Path) -> None:
    small_model.save(tmp_path)
    (tmp_path / "crisis_classifier.json").write_text('{"format": 99, "labels": []}')
    with pytest.raises(ValueError, match="another format"):
        CrisisClassifier.load(tmp_path)


def test_empty_and_odd_input_is_scored_without_error(small_model: CrisisClassifier) -> None:
    for text in ("", "   ", "🙂" * 50, "\x00\x01", "a" * 5000):
        scores = small_model.score(text)
        assert 0.0 <= scores.crisis <= 1.0


def test_weights_make_an_example_count_more() -> None:
    texts = ["say goodbye", "say goodbye now", "goodbye forever world", "goodbye all of you"]
    labels = ["none", "none", "suicide", "suicide"]
    plain = CrisisClassifier.fit(texts, labels, [False] * 4)
    weighted = CrisisClassifier.fit(texts, labels, [False] * 4, weights=[5.0, 5.0, 1.0, 1.0])
    assert weighted.score("goodbye").crisis < plain.score("goodbye").crisis


def test_the_rules_finding_is_read_by_the_model() -> None:
    # Two texts alike but for what the rules say about them: the model follows the rules'
    # token where the words cannot tell them apart.
    flagged = {"same words here a", "same words here b"}
    texts = ["same words here a", "same words here b", "same words here c", "same words here d"]
    model = CrisisClassifier.fit(
        texts, ["suicide", "suicide", "none", "none"], [False] * 4, {"alpha": 1e-4},
        rules=lambda text: "suicide" if text in flagged else None,
    )
    read_as_crisis = model.score("same words here e", rules=lambda text: "suicide")
    read_as_nothing = model.score("same words here e", rules=lambda text: None)
    assert read_as_crisis.crisis > 0.5 > read_as_nothing.crisis


def test_the_naive_bayes_scaling_is_saved_as_an_array(
    small_model: CrisisClassifier, tmp_path: Path
) -> None:
    small_model.save(tmp_path)
    with np.load(tmp_path / PARAMS_FILE, allow_pickle=False) as arrays:
        assert "nb_weights" in arrays.files and arrays["nb_weights"].dtype == np.float32
