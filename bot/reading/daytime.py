"""When a reminder may arrive: the next day, in daytime (10:00–20:00) where the person is.

A message kept in the vault at 2 a.m. comes back at 10:00 that morning, one kept in the
evening at the same hour the next day (but no later than 20:00): "tomorrow", as the person
means it. A night's small hours belong to the evening before (until ``NIGHT_ENDS``).
"""

from __future__ import annotations

import zoneinfo
from datetime import datetime, time, timedelta, timezone
from typing import Optional

DAY_STARTS = time(10, 0)
DAY_ENDS = time(20, 0)
NIGHT_ENDS = timedelta(hours=5)
UNKNOWN_ZONE_DELAY = timedelta(hours=24)


def _zone(tz_name: Optional[str]) -> Optional[zoneinfo.ZoneInfo]:
    if not tz_name:
        return None
    try:
        return zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def is_daytime(moment: datetime, tz_name: str) -> bool:
    """Whether ``moment`` (aware) falls between 10:00 and 20:00 in ``tz_name``."""
    zone = _zone(tz_name)
    if zone is None:
        raise ValueError(f"unknown timezone: {tz_name!r}")
    local = moment.astimezone(zone).time()
    return DAY_STARTS <= local <= DAY_ENDS


def _into_daytime(local: datetime, zone: zoneinfo.ZoneInfo) -> datetime:
    if local.time() < DAY_STARTS:
        return datetime.combine(local.date(), DAY_STARTS, tzinfo=zone)
    if local.time() > DAY_ENDS:
        return datetime.combine(local.date() + timedelta(days=1), DAY_STARTS, tzinfo=zone)
    return local


def next_day_daytime(
    now: datetime, tz_name: Optional[str], min_wait: timedelta = timedelta(0)
) -> datetime:
    """When to remind: the next day, 10:00–20:00 local, and at least ``min_wait`` from now.

    Args:
        now: The current time (aware).
        tz_name: The person's IANA zone; unknown → ``now`` + 24 hours (their hour unknown).
        min_wait: The shortest wait (``HARBOR_VAULT_REVISIT_HOURS``).

    Returns:
        The moment, aware UTC.
    """
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    zone = _zone(tz_name)
    if zone is None:
        return (now + max(UNKNOWN_ZONE_DELAY, min_wait)).astimezone(timezone.utc)
    local = now.astimezone(zone)
    day = (local - NIGHT_ENDS).date() + timedelta(days=1)
    hour = min(max(local.time().replace(tzinfo=None), DAY_STARTS), DAY_ENDS)
    target = datetime.combine(day, hour, tzinfo=zone)
    earliest = (now + min_wait).astimezone(zone)
    if target < earliest:
        target = _into_daytime(earliest, zone)
    return target.astimezone(timezone.utc)
