"""The leave-one-round-out harness's arithmetic: what counts as caught and as a false alarm."""

from __future__ import annotations

from bench.crisis_cv import mean_of, metrics, table


def test_metrics_count_tiers_per_label() -> None:
    rows = [
        ("suicide", "crisis"), ("self_harm", "check"), ("danger", "none"), ("danger", "crisis"),
        ("none", "crisis"), ("none", "check"), ("none", "none"), ("none", "none"),
        ("unclear", "check"), ("unclear", "none"),
    ]
    result = metrics(rows)
    assert result["recall"] == 0.5 and result["caught"] == 0.75
    assert result["recall_danger"] == 0.5 and result["recall_self_harm"] == 0.0
    assert (result["false_crisis"], result["false_check"]) == (0.25, 0.25)
    assert result["unclear_caught"] == 0.5
    assert result["n"]["none"] == 4


def test_table_has_a_row_per_held_out_set() -> None:
    row = metrics([("suicide", "crisis"), ("none", "none"), ("unclear", "check")])
    text = table({"round1": row, "pooled": row})
    assert "| round1 | 1.000 | 1.000 | 0.000 |" in text and "| pooled |" in text


def test_the_mean_is_over_the_held_out_rounds() -> None:
    low = metrics([("suicide", "none"), ("none", "none"), ("unclear", "check")])
    high = metrics([("suicide", "crisis"), ("none", "crisis"), ("unclear", "check")])
    mean = mean_of([low, high])
    assert mean["recall"] == 0.5 and mean["false_crisis"] == 0.5 and "n" not in mean
