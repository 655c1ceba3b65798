"""The progress-chart bench: a heavy month renders to a real PNG, and the report shows it."""

from __future__ import annotations

from bench import progress, report


def test_the_bench_times_renders_and_reports_the_p95() -> None:
    measured = progress.run_progress_bench(renders=2)
    assert measured["render_ms"]["n"] == 2 and measured["render_ms"]["p95"] > 0
    assert measured["png_bytes"] > 1024 and measured["cravings"] == 90
    result = {"progress_chart": measured}
    [check] = [c for c in report.targets(result) if "progress chart" in c["target"]]
    assert check["value"] == measured["render_ms"]["p95"]
    assert "Progress chart" in report.render(result)
