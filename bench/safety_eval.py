"""The crisis safety layer's numbers for ``make bench``: blind rounds, corpus, cost.

Scoring lives in ``bench.safety``; this module runs it and tells the report when it could
not, so one missing part never sinks the whole benchmark.
"""

from __future__ import annotations

from typing import Any, Dict


def run_safety_bench() -> Dict[str, Any]:
    """The corpus numbers and cost, plus ``blind_rounds`` (first look and today).

    Returns ``{"available": False, "reason": ...}`` when it fails.
    """
    try:
        from bench import safety

        screen = safety.detector()
        result = safety.run(screen=screen)
        result["blind_rounds"] = safety.blind_table(screen)
        result["everyday"] = safety.everyday(screen)
        result["trained_screen"] = screen.classifier is not None
    except Exception as error:  # noqa: BLE001 (reported, not hidden)
        return {"available": False, "reason": f"bench.safety failed: {error!r}"}
    result["available"] = True
    return result


def p95_ms(safety: Dict[str, Any]) -> Any:
    """The component's p95 cost in ms (None if absent)."""
    return (safety.get("cost_ms") or {}).get("p95")
