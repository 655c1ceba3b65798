"""bench.safety.run() returns the numbers `make bench` prints (no timing limits here)."""

from pathlib import Path

import yaml

from bench.safety import run
from bot.nlu.crisis_detector import CrisisDetector


def test_bench_reports_recall_false_alarms_and_cost(tmp_path: Path) -> None:
    corpus = tmp_path / "corpus.yml"
    corpus.write_text(
        yaml.safe_dump(
            {
                "crisis": {
                    "suicide": {"t": ["i want to die"]},
                    "self_harm": {"t": ["i cut myself again"]},
                    "danger": {"t": ["he hit me"]},
                },
                "negative": {"idiom": ["my feet are killing me", "i'm dying to see it"]},
                "known_misses": {"suicide": ["maybe it's time i just go"]},
            }
        )
    )
    result = run(corpus, repeats=1, screen=CrisisDetector({}))
    assert result["recall"] == {"overall": 1.0, "danger": 1.0, "suicide": 1.0, "self_harm": 1.0}
    assert result["false_alarm_rate"]["overall"] == 0.0
    assert result["false_alarm_rate"]["by_group"] == {"idiom": 0.0}
    assert result["confusion"]["danger"] == {"danger": 1}
    assert result["counts"] == {
        "crisis": 3, "negative": 2, "danger": 1, "suicide": 1, "self_harm": 1
    }
    cost = result["cost_ms"]
    assert 0 < cost["p50"] <= cost["p95"] <= cost["max"]
    assert cost["messages_timed"] == 5
    assert 0 < result["cpu_ms"]["p50"] <= result["cpu_ms"]["p95"] <= result["cpu_ms"]["max"]
    assert result["known_misses"] == {"total": 1, "caught": 0}
