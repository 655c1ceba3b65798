"""A person's local time: from their stored timezone, their country, or what they tell us."""

from __future__ import annotations

import re
import zoneinfo
from datetime import datetime, timedelta, timezone
from typing import Optional, Tuple

# Countries with one civil timezone (for the ones Harbor's safety layer knows).
_COUNTRY_ZONES = {
    "GB": "Europe/London",
    "IE": "Europe/Dublin",
    "DE": "Europe/Berlin",
    "FR": "Europe/Paris",
    "IN": "Asia/Kolkata",
    "NZ": "Pacific/Auckland",
}

# Offsets that aren't whole hours have no Etc/GMT zone; one real zone stands in for each.
_PART_HOUR_ZONES = {
    -210: "America/St_Johns",
    210: "Asia/Tehran",
    270: "Asia/Kabul",
    330: "Asia/Kolkata",
    345: "Asia/Kathmandu",
    390: "Asia/Yangon",
    525: "Australia/Eucla",
    570: "Australia/Darwin",
    630: "Australia/Lord_Howe",
    765: "Pacific/Chatham",
}

_TIME = re.compile(
    r"\b(?P<hour>[01]?\d|2[0-3])(?:[:.h](?P<minute>[0-5]\d))?\s*(?P<ampm>a\.?m\.?|p\.?m\.?)?(?!\d)",
    re.IGNORECASE,
)
_WORDS = {
    "midnight": (0, 0),
    "noon": (12, 0),
    "midday": (12, 0),
}


def timezone_for_country(code: Optional[str]) -> Optional[str]:
    """Returns the timezone of a single-timezone country, or None (US, AU, OTHER…)."""
    return _COUNTRY_ZONES.get((code or "").upper())


def local_now(tz_name: Optional[str], now: Optional[datetime] = None) -> Optional[datetime]:
    """Returns the local time in ``tz_name``, or None for no or an unknown timezone."""
    if not tz_name:
        return None
    try:
        zone = zoneinfo.ZoneInfo(tz_name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None
    return (now or datetime.now(timezone.utc)).astimezone(zone)


def part_of_day(local: datetime) -> str:
    """Returns ``night`` (22:00–05:59), ``evening`` (18:00–21:59) or ``day``."""
    if local.hour >= 22 or local.hour < 6:
        return "night"
    if local.hour >= 18:
        return "evening"
    return "day"


def spoken_time(local: datetime) -> str:
    """Formats a time the way people say it: ``2:14 a.m.``, ``11 p.m.``."""
    hour = local.hour % 12 or 12
    suffix = "a.m." if local.hour < 12 else "p.m."
    if local.minute == 0:
        return f"{hour} {suffix}"
    return f"{hour}:{local.minute:02d} {suffix}"


def parse_clock(text: str) -> Optional[Tuple[int, int, Optional[str]]]:
    """Reads a clock time from a reply: ``(hour, minute, "am"|"pm"|None)`` or None."""
    lowered = (text or "").lower()
    for word, (hour, minute) in _WORDS.items():
        if word in lowered:
            return hour, minute, "am" if hour == 0 else "pm"
    match = _TIME.search(lowered)
    if match is None:
        return None
    hour = int(match.group("hour"))
    minute = int(match.group("minute") or 0)
    ampm = match.group("ampm")
    if ampm:
        if hour == 0 or hour > 12:
            return None
        return hour, minute, "am" if ampm.startswith("a") else "pm"
    return hour, minute, None


def spoken_reply_time(text: str, local: datetime) -> str:
    """The time the person gave, as words ("2:30 a.m."); ``local`` settles a.m./p.m."""
    parsed = parse_clock(text)
    if parsed is None:
        return spoken_time(local)
    hour, minute, _ = parsed
    options = _hours_for(hour, parsed[2])
    best = min(options, key=lambda h: min((h - local.hour) % 24, (local.hour - h) % 24))
    return spoken_time(local.replace(hour=best, minute=minute))


def timezone_from_reply(text: str, now: Optional[datetime] = None) -> Optional[str]:
    """Works out a timezone name from "what time is it for you?" — or None.

    The offset is the difference between the time they gave and UTC, rounded to a
    quarter hour. Without a.m./p.m., the night-time reading wins (the question is
    asked when someone can't sleep), then the one closest to UTC.
    """
    parsed = parse_clock(text)
    if parsed is None:
        return None
    hour, minute, ampm = parsed
    utc = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    candidates = _hours_for(hour, ampm)
    offsets = [(h, _offset_minutes(h, minute, utc)) for h in candidates]
    offsets = [(h, off) for h, off in offsets if -12 * 60 <= off <= 14 * 60]
    if not offsets:
        return None
    offsets.sort(key=lambda item: (not _is_night_hour(item[0]), abs(item[1])))
    return _zone_for_offset(offsets[0][1], exact=parsed[1] != 0)


def _hours_for(hour: int, ampm: Optional[str]) -> Tuple[int, ...]:
    if ampm == "am":
        return (hour % 12,)
    if ampm == "pm":
        return (hour % 12 + 12,)
    if hour == 0 or hour > 12:
        return (hour,)
    return (hour % 12, hour % 12 + 12)


def _is_night_hour(hour: int) -> bool:
    return hour >= 20 or hour < 7


def _offset_minutes(hour: int, minute: int, utc: datetime) -> int:
    local_minutes = hour * 60 + minute
    utc_minutes = utc.hour * 60 + utc.minute
    diff = local_minutes - utc_minutes
    # Bring into (-12h, +14h]: the local date may be a day ahead of or behind UTC.
    while diff <= -12 * 60:
        diff += 24 * 60
    while diff > 14 * 60:
        diff -= 24 * 60
    return diff


def _zone_for_offset(offset: int, exact: bool) -> Optional[str]:
    """Maps minutes east of UTC to a zone name.

    People round the time they give ("2am" at 2:14), so a reply without minutes is
    read to the nearest hour; one with minutes may land on a half or quarter hour.
    """
    quarter = int(round(offset / 15.0) * 15)
    if exact and quarter in _PART_HOUR_ZONES:
        return _PART_HOUR_ZONES[quarter]
    hours = int(round(offset / 60.0))
    if not -12 <= hours <= 14:
        return None
    if hours == 0:
        return "Etc/UTC"
    # POSIX-style names invert the sign: UTC+2 is "Etc/GMT-2".
    return f"Etc/GMT{-hours:+d}"


def utc_offset_label(tz_name: str, now: Optional[datetime] = None) -> str:
    """Returns ``UTC+02:00``-style text for a timezone (for logs and tests)."""
    local = local_now(tz_name, now)
    offset = local.utcoffset() if local else timedelta(0)
    total = int((offset or timedelta(0)).total_seconds() // 60)
    sign = "+" if total >= 0 else "-"
    return f"UTC{sign}{abs(total) // 60:02d}:{abs(total) % 60:02d}"
