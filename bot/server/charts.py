"""``GET /progress/chart/<key>``: a progress picture, for whoever holds its link, briefly.

The key is 192 random bits and the link works for ``HARBOR_PROGRESS_CHART_MINUTES``; no
user id is in it. The answer is never cached (``Cache-Control: no-store``), never sent on as
a referrer and never sniffed into anything but a PNG. An unknown, expired or malformed key
gets the same 404.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any, Dict, Optional

from bot.progress.links import CHART_PATH, key_from
from bot.store import StoreUnavailable, service

logger = logging.getLogger(__name__)

HEADERS: Dict[str, str] = {
    "Cache-Control": "no-store, max-age=0",
    "Pragma": "no-cache",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Disposition": 'inline; filename="progress.png"',
}


def lookup(key: Optional[str]) -> Optional[bytes]:
    """The picture for ``key`` while its link is fresh; None otherwise or when the store is down."""
    if key is None:
        return None
    try:
        return service.chart_png(key)
    except StoreUnavailable:
        logger.warning("Progress chart: the store is unavailable")
        return None


def install(app: Any) -> None:
    """Adds the chart route to a Sanic ``app`` (the Rasa server)."""
    from sanic import response

    async def chart(request: Any, key: str) -> Any:
        png = await asyncio.to_thread(lookup, key_from(key))
        if png is None:
            return response.json(
                {"error": "not_found"},
                status=404,
                headers={"Cache-Control": "no-store"},
            )
        return response.raw(png, content_type="image/png", headers=HEADERS)

    app.add_route(chart, CHART_PATH + "<key:str>", methods=["GET", "HEAD"], name="harbor_chart")
