"""Percentiles and summaries the benchmark reports."""

from bench.stats import percentile, ratio, summarize_ms


def test_percentile_interpolates_between_ranks() -> None:
    values = [10.0, 20.0, 30.0, 40.0]
    assert percentile(values, 0) == 10.0
    assert percentile(values, 50) == 25.0
    assert percentile(values, 100) == 40.0
    assert percentile([], 95) is None


def test_summary_is_in_milliseconds() -> None:
    summary = summarize_ms([0.010] * 99 + [1.0])
    assert summary["n"] == 100
    assert summary["p50"] == 10.0
    assert summary["max"] == 1000.0
    assert 10.0 < summary["p99"] <= 1000.0


def test_ratio_needs_both_numbers() -> None:
    assert ratio(30.0, 20.0) == 1.5
    assert ratio(None, 20.0) is None
    assert ratio(30.0, 0.0) is None
