"""Reading the safety corpus: formats, and blind rounds that join training only once scored."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.safety import corpus

ROOT = Path(__file__).resolve().parents[2]


def _layout(tmp_path: Path, recorded: bool) -> Path:
    (tmp_path / "train").mkdir()
    (tmp_path / "blind").mkdir()
    (tmp_path / "train" / "a.tsv").write_text("suicide\t1\ti took them all\nnone\t0\thi\n")
    (tmp_path / "blind" / "round1.tsv").write_text("danger\the hit me\n\nnone\tdead tired\n")
    if recorded:
        (tmp_path / "blind" / "first_look.yml").write_text("rounds:\n  - set: round1\n")
    return tmp_path


def test_three_and_two_column_lines_are_read(tmp_path: Path) -> None:
    examples = corpus.read_training(_layout(tmp_path, recorded=True))
    assert [(e.label, e.imminent, e.text) for e in examples] == [
        ("suicide", True, "i took them all"),
        ("none", False, "hi"),
        ("danger", False, "he hit me"),
        ("none", False, "dead tired"),
    ]


def test_a_blind_round_is_not_learned_before_its_first_look_is_recorded(tmp_path: Path) -> None:
    texts = {e.text for e in corpus.read_training(_layout(tmp_path, recorded=False))}
    assert "he hit me" not in texts and "hi" in texts


def test_the_fingerprint_changes_with_the_data(tmp_path: Path) -> None:
    directory = _layout(tmp_path, recorded=False)
    before = corpus.fingerprint(directory)
    (directory / "train" / "a.tsv").write_text("none\t0\thello\n")
    assert corpus.fingerprint(directory) != before


@pytest.mark.parametrize("line", ["sad\t0\tx", "suicide\t2\tx", "only one field"])
def test_bad_lines_name_the_file_and_line(tmp_path: Path, line: str) -> None:
    path = tmp_path / "bad.tsv"
    path.write_text(f"none\t0\tfine\n{line}\n")
    with pytest.raises(ValueError, match="bad.tsv:2"):
        corpus.read_tsv(path)


def test_the_project_corpus_is_large_and_covers_every_label() -> None:
    counts = corpus.split_counts(corpus.read_training(ROOT / "data" / "safety"))
    assert counts["crisis"] >= 3000 and counts["none"] >= 3000, counts
    assert min(counts[label] for label in ("suicide", "self_harm", "danger", "unclear")) >= 300


def test_no_text_is_labelled_two_ways() -> None:
    labels: dict = {}
    for example in corpus.read_training(ROOT / "data" / "safety"):
        labels.setdefault(example.text.lower().strip(), set()).add(example.label)
    conflicting = {text: found for text, found in labels.items() if len(found) > 1}
    assert not conflicting, list(conflicting.items())[:10]


def test_every_blind_round_on_record_exists_and_was_scored_before_joining() -> None:
    blind = ROOT / "data" / "safety" / "blind"
    rounds = corpus.recorded_rounds(ROOT / "data" / "safety")
    assert rounds, "at least one blind round is on record"
    for name in rounds:
        assert (blind / f"{name}.tsv").exists()
    assert sorted(path.stem for path in blind.glob("*.tsv")) == rounds


def test_blind_rounds_count_with_their_weight(tmp_path: Path) -> None:
    examples = corpus.read_training(_layout(tmp_path, recorded=True), blind_weight=3.0)
    weights = {e.text: e.weight for e in examples}
    assert weights["he hit me"] == 3.0 and weights["hi"] == 1.0
