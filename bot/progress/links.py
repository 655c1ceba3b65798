"""The progress chart's link: ``/progress/chart/<key>``, unguessable and short-lived.

The key is 192 random bits (``bot.store.service.save_chart``); the link carries no user id.
Actions emit the path; the REST and socket.io channels make it absolute (``RASA_PUBLIC_URL``,
or the address the request came to) and the Rasa server serves it
(``bot.server.charts``) with ``Cache-Control: no-store``.
"""

from __future__ import annotations

import os
import re
from typing import Any, Dict, List, Optional

CHART_PATH = "/progress/chart/"
DEFAULT_MINUTES = 15.0
_KEY = re.compile(r"[A-Za-z0-9_-]{16,128}")


def chart_minutes() -> float:
    """How long a chart link works (``HARBOR_PROGRESS_CHART_MINUTES``, default 15)."""
    raw = os.environ.get("HARBOR_PROGRESS_CHART_MINUTES", "").strip()
    try:
        value = float(raw) if raw else DEFAULT_MINUTES
    except ValueError:
        return DEFAULT_MINUTES
    return value if value > 0 else DEFAULT_MINUTES


def chart_path(key: str) -> str:
    """The server-relative link of a chart."""
    return f"{CHART_PATH}{key}"


def key_from(value: str) -> Optional[str]:
    """The key in a chart link's last segment, or None when it can't be one."""
    candidate = value.rsplit("/", 1)[-1]
    return candidate if _KEY.fullmatch(candidate) else None


def public_base(fallback: str = "") -> str:
    """Where people reach the Rasa server: ``RASA_PUBLIC_URL``, else ``fallback``."""
    return (os.environ.get("RASA_PUBLIC_URL", "").strip() or fallback).rstrip("/")


def absolute_images(messages: List[Dict[str, Any]], base: str) -> List[Dict[str, Any]]:
    """The messages with server-relative chart links turned into ``base`` + link."""
    for message in messages:
        image = message.get("image")
        if isinstance(image, str) and image.startswith(CHART_PATH) and base:
            message["image"] = base + image
    return messages
