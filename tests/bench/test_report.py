"""Target checks and the markdown report."""

from bench.nlu_eval import score
from bench.report import failed_targets, render, targets


def _result(turn_p95: float, starter_p95: float, rate: float) -> dict:
    return {
        "servers": {
            "starter": {"turn_ms": {"p95": starter_p95}},
            "pg2": {"turn_ms": {"p95": turn_p95}, "concurrent": {"8": {"turns_per_s": rate}}},
        },
        "safety": {"available": True, "cost_ms": {"p50": 0.4, "p95": 1.1}},
        "nlu": {"accuracy": 0.9},
    }


def test_targets_met() -> None:
    checks = targets(_result(turn_p95=120.0, starter_p95=100.0, rate=40.0))
    assert all(check["met"] for check in checks)
    assert len(checks) == 5


def test_targets_missed_are_named_per_deployment() -> None:
    checks = targets(_result(turn_p95=200.0, starter_p95=100.0, rate=20.0))
    missed = failed_targets(checks, "pg2")
    assert len(missed) == 3
    assert failed_targets(checks, "sqlite") == []


def test_render_shows_a_failed_deployment_and_targets() -> None:
    result = _result(120.0, 100.0, 40.0)
    result["servers"]["pg3"] = {"error": "PostgreSQL unreachable"}
    result["nlu"] = score(["greet", "thanks"], ["greet", "greet"])
    result["targets"] = targets(result)
    text = render(result)
    assert "PostgreSQL unreachable" in text
    assert "## Targets" in text
    assert "| thanks | 0.00 |" in text
    assert "| thanks | greet | 1 |" in text


def test_render_puts_blind_first_looks_beside_today() -> None:
    result = _result(120.0, 100.0, 40.0)
    first = {"all": 0.294, "suicide": 0.292, "self_harm": 0.23, "danger": 0.351}
    today = {"all": 0.95, "suicide": 0.94, "self_harm": 0.93, "danger": 0.99}
    result["nlu"] = score(["greet"], ["greet"])
    result["safety"]["trained_screen"] = True
    result["safety"]["blind_rounds"] = [{
        "set": "round1", "scored_on": "a320e5b", "recall": first, "caught": {"all": 0.294},
        "false_alarms": {"crisis": 0.105, "check": 0.0}, "unclear_caught": 0.159,
        "today": {"recall": today, "caught": {"all": 0.97},
                  "false_alarms": {"crisis": 0.02, "check": 0.04}, "unclear_caught": 0.9},
    }]
    text = render(result)
    assert "## Crisis screen on blind sets" in text
    assert "| round1 | a320e5b | first look | 0.294 |" in text
    assert "| round1 |  | today | 0.950 |" in text
    assert "RULES ONLY" not in text


def test_render_names_everyday_false_alarms_clean_and_vent() -> None:
    result = _result(120.0, 100.0, 40.0)
    result["nlu"] = score(["greet"], ["greet"])
    result["safety"]["everyday"] = {
        "clean": {"messages": 243, "crisis": 0.004, "check": 0.025},
        "vent": {"messages": 372, "crisis": 0.075, "check": 0.083},
    }
    text = render(result)
    assert "Everyday traffic, clean (243" in text and "crisis card 0.075" in text
