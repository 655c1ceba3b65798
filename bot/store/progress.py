"""What the progress chart and its summary are drawn from: a person's last weeks, as numbers.

Also each tool's record (:func:`tool_results`): on average, how far did the urge fall?

Read in one transaction by :func:`bot.store.service.progress`. Nothing here holds what the
person wrote: ratings, tool codes, streak runs and the times of slips only.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, Iterable, List, Optional, Sequence, Tuple

from sqlalchemy.orm import Session

from bot.store.models import Craving, NoContact, Slip, User
from bot.store.repositories import CravingRepository, StreakRepository

DEFAULT_DAYS = 30


@dataclass(frozen=True)
class CravingPoint:
    """One craving: when, how strong before and after (None when not re-rated), the tool."""

    at: datetime
    before: int
    after: Optional[int]
    tool: str


@dataclass(frozen=True)
class StreakRun:
    """One stretch of no contact: from ``start`` to ``end`` (a slip), or still running."""

    start: datetime
    end: Optional[datetime]


@dataclass(frozen=True)
class Progress:
    """A person's progress over the window ``[since, now]``.

    Attributes:
        now: When it was read (aware UTC).
        since: The start of the window.
        cravings: Cravings in the window, oldest first.
        runs: No-contact runs that overlap the window (their starts may be earlier).
        slips: When each slip in the window happened.
        current_days: Days of the running streak (0 when none runs).
        longest_days: The longest streak so far.
    """

    now: datetime
    since: datetime
    cravings: Tuple[CravingPoint, ...] = ()
    runs: Tuple[StreakRun, ...] = ()
    slips: Tuple[datetime, ...] = ()
    current_days: int = 0
    longest_days: int = 0

    @property
    def empty(self) -> bool:
        """True when there is nothing to draw: no craving and no streak in the window."""
        return not self.cravings and not self.runs and not self.slips

    @property
    def rated(self) -> List[CravingPoint]:
        """The cravings that were re-rated afterwards (the ones that say what a tool did)."""
        return [point for point in self.cravings if point.after is not None]

    def as_dict(self) -> Dict[str, Any]:
        """The chart's data as JSON-able values (for the export)."""
        return {
            "since": self.since.isoformat(),
            "until": self.now.isoformat(),
            "cravings": [
                {"at": p.at.isoformat(), "before": p.before, "after": p.after, "tool": p.tool}
                for p in self.cravings
            ],
            "no_contact_runs": [
                {"start": r.start.isoformat(), "end": r.end.isoformat() if r.end else None}
                for r in self.runs
            ],
            "slips": [at.isoformat() for at in self.slips],
            "current_streak_days": self.current_days,
            "longest_streak_days": self.longest_days,
            "tools": [result.as_dict() for result in tool_results(self.cravings)],
        }


@dataclass(frozen=True)
class ToolResult:
    """One tool's record: how often it was used (and re-rated) and the mean drop in urge.

    Attributes:
        tool: The tool code as logged (an exercise id, ``vault``, ``reasons``…).
        uses: How many re-rated cravings used it.
        mean_drop: Mean of ``before - after`` over those cravings (negative: it rose).
        mean_before: Mean rating before.
        mean_after: Mean rating after.
    """

    tool: str
    uses: int
    mean_drop: float
    mean_before: float
    mean_after: float

    def as_dict(self) -> Dict[str, object]:
        """JSON-able values (for the export)."""
        return {
            "tool": self.tool,
            "uses": self.uses,
            "mean_drop": round(self.mean_drop, 2),
            "mean_before": round(self.mean_before, 2),
            "mean_after": round(self.mean_after, 2),
        }


def tool_results(points: Iterable[CravingPoint]) -> List[ToolResult]:
    """Results per tool over the re-rated cravings, biggest mean drop first.

    Ties go to the tool used more often, then to the name (so the order is stable).
    """
    grouped: Dict[str, List[CravingPoint]] = defaultdict(list)
    for point in points:
        if point.after is not None:
            grouped[point.tool].append(point)
    results = [
        ToolResult(
            tool=tool,
            uses=len(rows),
            mean_drop=sum(p.before - p.after for p in rows) / len(rows),  # type: ignore[operator]
            mean_before=sum(p.before for p in rows) / len(rows),
            mean_after=sum(p.after for p in rows) / len(rows),  # type: ignore[misc]
        )
        for tool, rows in grouped.items()
    ]
    return sorted(results, key=lambda r: (-r.mean_drop, -r.uses, r.tool))


def helped_most(points: Iterable[CravingPoint]) -> Optional[ToolResult]:
    """The tool with the biggest mean drop, if any tool lowered the urge on average."""
    results = tool_results(points)
    return results[0] if results and results[0].mean_drop > 0 else None


def _runs(
    record: Optional[NoContact], slips: Sequence[Slip], since: datetime
) -> List[StreakRun]:
    """Each slip ended a run that had lasted ``streak_days``; the record holds the current one."""
    runs = [
        StreakRun(slip.slipped_at - timedelta(days=slip.streak_days), slip.slipped_at)
        for slip in slips
    ]
    if record is not None and record.started_at is not None:
        runs.append(StreakRun(record.started_at, None))
    return [run for run in runs if run.end is None or run.end >= since]


def read(session: Session, user: User, now: datetime, days: int = DEFAULT_DAYS) -> Progress:
    """Reads one person's progress over the last ``days`` days."""
    since = now - timedelta(days=days)
    streaks = StreakRepository(session)
    record = streaks.get(user.id)
    slips = streaks.slips(user.id)
    cravings = tuple(
        CravingPoint(c.logged_at, c.intensity_before, c.intensity_after, c.tool)
        for c in CravingRepository(session).since(user.id, since)
    )
    current = 0
    longest = record.longest_days if record is not None else 0
    if record is not None and record.started_at is not None:
        current = max((now - record.started_at).days, 0)
    return Progress(
        now=now,
        since=since,
        cravings=cravings,
        runs=tuple(_runs(record, slips, since)),
        slips=tuple(s.slipped_at for s in slips if s.slipped_at >= since),
        current_days=current,
        longest_days=max(longest, current),
    )


def last_craving(session: Session, user: User) -> Optional[CravingPoint]:
    """The person's newest craving, or None."""
    craving: Optional[Craving] = CravingRepository(session).last(user.id)
    if craving is None:
        return None
    return CravingPoint(
        craving.logged_at, craving.intensity_before, craving.intensity_after, craving.tool
    )
