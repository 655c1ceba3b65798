"""Draws a person's progress as one PNG: urge before → after, the no-contact streak, tools.

Rendered on Harbor's own server with matplotlib's Agg canvas (no pyplot, no global state,
no display), so it is safe in a worker thread. Every word on the picture comes from the
caller (``ChartLabels``, from the content data), not from this module.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Callable, List, Sequence

from bot.store.progress import Progress, StreakRun, ToolResult, tool_results

WIDTH_IN, HEIGHT_IN, DPI = 7.0, 8.0, 100
BEFORE_COLOUR = "#8a8a8a"
AFTER_COLOUR = "#0b5fa5"
STREAK_COLOUR = "#1b7f4c"
SLIP_COLOUR = "#b3261e"
TOOL_COLOUR = "#0b5fa5"
MAX_TOOLS = 6


@dataclass(frozen=True)
class ChartLabels:
    """The words on the chart (titles, axes, legend), read from the content data."""

    cravings_title: str
    urge_axis: str
    before: str
    after: str
    streak_title: str
    streak_axis: str
    slip: str
    tools_title: str
    tools_axis: str
    no_cravings: str
    no_streak: str
    no_tools: str


def render(
    progress: Progress, labels: ChartLabels, tool_name: Callable[[str], str] = str
) -> bytes:
    """Returns the chart of ``progress`` as PNG bytes.

    Args:
        progress: The window to draw (see :func:`bot.store.service.progress`).
        labels: The words on the chart.
        tool_name: Turns a tool code into a short name for the bars.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    figure = Figure(figsize=(WIDTH_IN, HEIGHT_IN), dpi=DPI)
    FigureCanvasAgg(figure)
    # Fixed margins (a layout engine costs more than the drawing); room for tool names.
    figure.subplots_adjust(left=0.3, right=0.97, top=0.96, bottom=0.07, hspace=0.45)
    urge_axes, streak_axes, tools_axes = figure.subplots(3, 1)
    _cravings(urge_axes, progress, labels)
    _streak(streak_axes, progress, labels)
    _tools(tools_axes, tool_results(progress.cravings)[:MAX_TOOLS], labels, tool_name)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=DPI, metadata={"Software": None})
    return buffer.getvalue()


def _time_axis(axes: Any, progress: Progress) -> None:
    from matplotlib import dates

    axes.set_xlim(progress.since, progress.now)
    axes.xaxis.set_major_locator(dates.AutoDateLocator(maxticks=7))
    axes.xaxis.set_major_formatter(dates.DateFormatter("%d %b"))
    axes.grid(axis="y", alpha=0.3)


def _note(axes: Any, text: str) -> None:
    axes.text(0.5, 0.5, text, ha="center", va="center", transform=axes.transAxes, fontsize=10)


def _cravings(axes: Any, progress: Progress, labels: ChartLabels) -> None:
    axes.set_title(labels.cravings_title, loc="left", fontsize=11)
    axes.set_ylim(-0.5, 10.5)
    axes.set_ylabel(labels.urge_axis)
    _time_axis(axes, progress)
    points = progress.cravings
    if not points:
        _note(axes, labels.no_cravings)
        return
    rated = progress.rated
    if rated:  # one line per craving, from before down (or up) to after
        axes.vlines([p.at for p in rated], [p.before for p in rated], [p.after for p in rated],
                    color=AFTER_COLOUR, lw=1.5, zorder=2)  # fmt: skip
    axes.scatter([p.at for p in points], [p.before for p in points], color=BEFORE_COLOUR,
                 label=labels.before, zorder=3)  # fmt: skip
    if rated:
        axes.scatter([p.at for p in rated], [p.after for p in rated], color=AFTER_COLOUR,
                     marker="v", label=labels.after, zorder=3)  # fmt: skip
    axes.legend(loc="upper left", fontsize=8, frameon=False, ncol=2)


def _run_line(run: StreakRun, progress: Progress) -> tuple[List[datetime], List[float]]:
    start = max(run.start, progress.since)
    end = run.end or progress.now
    days = [(moment - run.start).total_seconds() / 86400 for moment in (start, end)]
    return [start, end], days


def _streak(axes: Any, progress: Progress, labels: ChartLabels) -> None:
    axes.set_title(labels.streak_title, loc="left", fontsize=11)
    axes.set_ylabel(labels.streak_axis)
    _time_axis(axes, progress)
    if not progress.runs and not progress.slips:
        axes.set_ylim(0, 1)
        _note(axes, labels.no_streak)
        return
    top = 1.0
    for run in progress.runs:
        xs, ys = _run_line(run, progress)
        axes.plot(xs, ys, color=STREAK_COLOUR, lw=2)
        top = max(top, ys[-1])
    if progress.slips:
        axes.scatter(progress.slips, [0] * len(progress.slips), color=SLIP_COLOUR, marker="x",
                     s=60, label=labels.slip, zorder=3)  # fmt: skip
        axes.legend(loc="upper left", fontsize=8, frameon=False)
    axes.set_ylim(0, top * 1.15)


def _tools(
    axes: Any, results: Sequence[ToolResult], labels: ChartLabels, name: Callable[[str], str]
) -> None:
    axes.set_title(labels.tools_title, loc="left", fontsize=11)
    axes.set_xlabel(labels.tools_axis)
    if not results:
        axes.set_xticks([])
        axes.set_yticks([])
        _note(axes, labels.no_tools)
        return
    ordered = list(reversed(results))  # the best at the top
    names = [f"{name(r.tool)} ({r.uses}×)" for r in ordered]
    axes.barh(names, [r.mean_drop for r in ordered], color=TOOL_COLOUR)
    axes.axvline(0, color="#333333", lw=0.8)
    axes.grid(axis="x", alpha=0.3)
