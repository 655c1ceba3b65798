"""Local time for sleepless nights: country zones, "what time is it for you?", wording."""

from __future__ import annotations

from datetime import datetime, timezone

import pytest

from bot.reading.clock import (
    local_now,
    parse_clock,
    part_of_day,
    spoken_time,
    timezone_for_country,
    timezone_from_reply,
    utc_offset_label,
)

# 00:14 UTC on a winter night.
NOW = datetime(2024, 1, 15, 0, 14, tzinfo=timezone.utc)


@pytest.mark.parametrize(
    "reply, offset",
    [
        ("2am", "UTC+02:00"),
        ("its 2:14", "UTC+02:00"),
        ("11pm", "UTC-01:00"),
        ("19:14", "UTC-05:00"),
        ("7:14 pm", "UTC-05:00"),
        ("5:44", "UTC+05:30"),  # India: half-hour offsets need minutes
        ("midnight", "UTC+00:00"),
        ("2", "UTC+02:00"),  # no a.m./p.m.: the night reading wins
    ],
)
def test_timezone_from_reply(reply, offset):
    tz_name = timezone_from_reply(reply, NOW)
    assert tz_name is not None
    assert utc_offset_label(tz_name, NOW) == offset


@pytest.mark.parametrize("reply", ["no idea", "", "13pm", "what"])
def test_unreadable_replies(reply):
    assert timezone_from_reply(reply, NOW) is None


def test_parse_clock():
    assert parse_clock("about 3:30am") == (3, 30, "am")
    assert parse_clock("23.40") == (23, 40, None)
    assert parse_clock("nothing") is None


def test_country_zones_only_for_single_zone_countries():
    assert timezone_for_country("gb") == "Europe/London"
    assert timezone_for_country("US") is None
    assert timezone_for_country(None) is None


def test_local_time_and_wording():
    local = local_now("Europe/Berlin", NOW)
    assert (local.hour, local.minute) == (1, 14)
    assert part_of_day(local) == "night"
    assert spoken_time(local) == "1:14 a.m."
    assert spoken_time(local.replace(hour=23, minute=0)) == "11 p.m."
    assert part_of_day(local.replace(hour=19)) == "evening"
    assert part_of_day(local.replace(hour=10)) == "day"
    assert local_now("Not/AZone", NOW) is None
    assert local_now(None, NOW) is None
