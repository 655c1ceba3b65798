"""Small statistics helpers: percentiles and latency summaries in milliseconds."""

from __future__ import annotations

import math
from typing import Dict, Iterable, List, Optional


def percentile(values: List[float], q: float) -> Optional[float]:
    """The ``q``-th percentile (0..100) of ``values`` by linear interpolation, or None."""
    if not values:
        return None
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * q / 100.0
    low, high = math.floor(rank), math.ceil(rank)
    if low == high:
        return ordered[int(rank)]
    return ordered[low] + (ordered[high] - ordered[low]) * (rank - low)


def summarize_ms(seconds: Iterable[float]) -> Dict[str, Optional[float]]:
    """p50/p95/p99/mean/max of durations given in seconds, reported in milliseconds."""
    values = [s * 1000.0 for s in seconds]
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "mean": None, "max": None}
    return {
        "n": len(values),
        "p50": _round(percentile(values, 50)),
        "p95": _round(percentile(values, 95)),
        "p99": _round(percentile(values, 99)),
        "mean": _round(sum(values) / len(values)),
        "max": _round(max(values)),
    }


def ratio(value: Optional[float], reference: Optional[float]) -> Optional[float]:
    """``value / reference`` rounded to two decimals, or None when either is missing."""
    if value is None or not reference:
        return None
    return round(value / reference, 2)


def _round(value: Optional[float]) -> Optional[float]:
    return None if value is None else round(value, 2)
