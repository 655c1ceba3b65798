"""The progress chart's cost: render time (p50/p95) of a full 30-day window, and its size.

The window is what a heavy month looks like: three cravings a day, each re-rated, spread
over six tools, and three slips. Rendering runs in the action server off the event loop;
this measures the function itself (``bot.progress.chart.render``), after one warm-up
render (matplotlib's first import and font cache are a one-time cost per process).
"""

from __future__ import annotations

import random
import time
from datetime import timedelta
from typing import Any, Dict, List

from bench.stats import summarize_ms

RENDERS = 30
TOOLS = ("box_breathing", "senses_54321", "urge_surfing", "vault", "reasons", "cold_water")


def heavy_month(seed: int = 7) -> Any:
    """A 30-day window with 90 re-rated cravings over six tools and three slips."""
    from bot.store.models import utcnow
    from bot.store.progress import CravingPoint, Progress, StreakRun

    rng = random.Random(seed)
    now = utcnow()
    since = now - timedelta(days=30)
    cravings: List[CravingPoint] = []
    for index in range(90):
        before = rng.randint(4, 10)
        cravings.append(
            CravingPoint(
                since + timedelta(hours=8 * index + rng.random()),
                before,
                max(0, before - rng.randint(-1, 6)),
                rng.choice(TOOLS),
            )
        )
    slips = [since + timedelta(days=day) for day in (6, 14, 21)]
    starts = [since - timedelta(days=9), *slips]
    runs = [StreakRun(start, end) for start, end in zip(starts[:-1], slips, strict=True)]
    runs.append(StreakRun(slips[-1], None))
    return Progress(now=now, since=since, cravings=tuple(cravings), runs=tuple(runs),
                    slips=tuple(slips), current_days=9, longest_days=15)  # fmt: skip


def run_progress_bench(renders: int = RENDERS) -> Dict[str, Any]:
    """Renders the heavy month ``renders`` times; returns timings (ms) and the PNG's size."""
    from actions.progress import labels
    from bot.progress.chart import render

    window, words = heavy_month(), labels()
    started = time.perf_counter()
    png = render(window, words)
    first = time.perf_counter() - started
    durations = []
    for _ in range(renders):
        started = time.perf_counter()
        render(window, words)
        durations.append(time.perf_counter() - started)
    return {
        "render_ms": summarize_ms(durations),
        "first_render_ms": round(first * 1000, 1),
        "png_bytes": len(png),
        "cravings": len(window.cravings),
    }
