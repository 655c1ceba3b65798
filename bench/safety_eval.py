"""The crisis safety layer's numbers, from the safety package's own bench function.

The safety layer owns its corpus and its scoring (``bot.safety.bench.run()``); this module
only calls it, times nothing itself, and tells the report when it is not there yet.
"""

from __future__ import annotations

import importlib
from typing import Any, Dict


def run_safety_bench() -> Dict[str, Any]:
    """Runs ``bot.safety.bench.run()`` and returns its result as a plain dict.

    Returns ``{"available": False, "reason": ...}`` when the function is missing or fails,
    so one missing part never sinks the whole benchmark.
    """
    try:
        module = importlib.import_module("bot.safety.bench")
    except ImportError as error:
        return {"available": False, "reason": f"bot.safety.bench not importable ({error})"}
    runner = getattr(module, "run", None)
    if not callable(runner):
        return {"available": False, "reason": "bot.safety.bench has no run()"}
    try:
        result = runner()
    except Exception as error:  # noqa: BLE001 (reported, not hidden)
        return {"available": False, "reason": f"bot.safety.bench.run() failed: {error!r}"}
    data = _as_dict(result)
    data["available"] = True
    return data


def _as_dict(value: Any) -> Dict[str, Any]:
    """A dataclass, an object with ``to_dict``/``as_dict``, or a mapping, as a dict."""
    if isinstance(value, dict):
        return dict(value)
    for name in ("to_dict", "as_dict"):
        method = getattr(value, name, None)
        if callable(method):
            return dict(method())
    import dataclasses

    if dataclasses.is_dataclass(value):
        return dataclasses.asdict(value)
    return {"result": repr(value)}


def p95_ms(safety: Dict[str, Any]) -> Any:
    """The component's p95 cost in ms, wherever the safety bench put it (None if absent)."""
    for key in ("p95_ms", "cost_p95_ms"):
        if key in safety:
            return safety[key]
    cost = safety.get("cost_ms") or safety.get("cost") or safety.get("latency_ms") or {}
    if isinstance(cost, dict):
        return cost.get("p95") or cost.get("p95_ms")
    return None
