"""The progress chart: a real PNG of the window, whatever it holds, with the caller's words."""

from __future__ import annotations

import io
from datetime import timedelta

from PIL import Image

from actions.progress import labels
from bot.progress.chart import render
from bot.store.models import utcnow
from bot.store.progress import CravingPoint, Progress, StreakRun

NOW = utcnow()


def _window(**parts) -> Progress:
    return Progress(now=NOW, since=NOW - timedelta(days=30), **parts)


def _image(png: bytes) -> Image.Image:
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    return Image.open(io.BytesIO(png))


def test_a_full_window_is_a_png_of_a_phone_friendly_size() -> None:
    data = _window(
        cravings=(
            CravingPoint(NOW - timedelta(days=3), 8, 3, "five_senses"),
            CravingPoint(NOW - timedelta(days=1), 7, None, "reasons"),
        ),
        runs=(StreakRun(NOW - timedelta(days=40), NOW - timedelta(days=5)),
              StreakRun(NOW - timedelta(days=5), None)),
        slips=(NOW - timedelta(days=5),),
        current_days=5,
        longest_days=35,
    )
    png = render(data, labels())
    assert len(png) > 10_000
    assert _image(png).size == (700, 800)


def test_a_window_with_only_a_streak_still_draws() -> None:
    png = render(_window(runs=(StreakRun(NOW - timedelta(days=3), None),), current_days=3),
                 labels())
    assert len(png) > 1024 and _image(png).format == "PNG"


def test_tool_names_come_from_the_caller() -> None:
    data = _window(cravings=(CravingPoint(NOW, 8, 2, "five_senses"),))
    plain = render(data, labels())
    named = render(data, labels(), tool_name=lambda tool: "a much longer tool name here")
    assert plain != named
