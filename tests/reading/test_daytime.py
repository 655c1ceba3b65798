"""Reminders the next day, in daytime (10:00–20:00) where the person is."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

import pytest

from bot.reading.daytime import is_daytime, next_day_daytime

LONDON = ZoneInfo("Europe/London")


def _local(day: int, hour: int, minute: int = 0, zone=LONDON) -> datetime:
    return datetime(2026, 12, day, hour, minute, tzinfo=zone)


@pytest.mark.parametrize(
    "written, expected",
    [
        (_local(8, 2, 30), _local(8, 10, 30)),  # 2:30 a.m. is the night before; 8 h at least
        (_local(8, 1, 0), _local(8, 10, 0)),  # 1 a.m.: that morning at 10
        (_local(7, 23, 15), _local(8, 20, 0)),  # late evening: the next day, by 20:00
        (_local(7, 15, 40), _local(8, 15, 40)),  # afternoon: the same hour tomorrow
        (_local(7, 7, 0), _local(8, 10, 0)),  # early morning: tomorrow from 10:00
    ],
)
def test_the_next_day_in_daytime(written: datetime, expected: datetime) -> None:
    when = next_day_daytime(written.astimezone(timezone.utc), "Europe/London", timedelta(hours=8))
    assert when == expected.astimezone(timezone.utc)
    assert is_daytime(when, "Europe/London")


def test_a_longer_minimum_wait_still_lands_in_daytime() -> None:
    written = _local(8, 2, 30).astimezone(timezone.utc)
    when = next_day_daytime(written, "Europe/London", timedelta(hours=20))  # 22:30 → next 10:00
    assert when == _local(9, 10, 0).astimezone(timezone.utc)


@pytest.mark.parametrize("zone", ["America/Los_Angeles", "Asia/Kolkata", "Pacific/Auckland"])
def test_every_hour_of_the_day_ends_in_daytime_for_that_zone(zone: str) -> None:
    start = datetime(2026, 3, 28, 0, 7, tzinfo=timezone.utc)  # across a DST change somewhere
    for hours in range(0, 72):
        now = start + timedelta(hours=hours)
        when = next_day_daytime(now, zone, timedelta(hours=8))
        assert is_daytime(when, zone), (now, when)
        assert timedelta(hours=8) <= when - now <= timedelta(hours=44)


def test_an_unknown_zone_waits_a_day() -> None:
    now = datetime(2026, 12, 8, 3, 0, tzinfo=timezone.utc)
    assert next_day_daytime(now, None, timedelta(hours=8)) == now + timedelta(hours=24)
    assert next_day_daytime(now, "Mars/Olympus", timedelta(hours=8)) == now + timedelta(hours=24)
