"""Per-client rate limits: a token bucket for each person, in bounded memory.

Each channel limits the people it serves (a REST sender, a socket.io session, a Telegram
chat), so one client sending as fast as it can slows only itself. Buckets live in the
process: with several workers each has its own (a limit per worker); per-address limits in
front of the whole service belong to the reverse proxy (docs/security.md).
"""

from __future__ import annotations

import os
import time
from collections import OrderedDict
from typing import Callable, Hashable, Tuple

DEFAULT_PER_MINUTE = 30.0
DEFAULT_BURST = 15
MAX_CLIENTS = 50_000


class RateLimiter:
    """Token buckets keyed by client: ``burst`` at once, then ``per_minute`` on average."""

    def __init__(
        self,
        per_minute: float = DEFAULT_PER_MINUTE,
        burst: int = DEFAULT_BURST,
        max_clients: int = MAX_CLIENTS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """Creates an empty limiter; the least recently seen clients are forgotten first."""
        self.rate = per_minute / 60.0
        self.burst = float(burst)
        self.max_clients = max_clients
        self.clock = clock
        self._buckets: "OrderedDict[Hashable, Tuple[float, float]]" = OrderedDict()

    def allow(self, client: Hashable) -> bool:
        """Takes one token from ``client``'s bucket; False when it is empty."""
        now = self.clock()
        tokens, last = self._buckets.pop(client, (self.burst, now))
        tokens = min(self.burst, tokens + (now - last) * self.rate)
        allowed = tokens >= 1.0
        self._buckets[client] = (tokens - 1.0 if allowed else tokens, now)
        while len(self._buckets) > self.max_clients:
            self._buckets.popitem(last=False)
        return allowed

    def retry_after(self, client: Hashable) -> int:
        """Whole seconds until ``client`` may send again (at least 1)."""
        tokens, _ = self._buckets.get(client, (self.burst, 0.0))
        if self.rate <= 0:
            return 60
        return max(1, int((1.0 - tokens) / self.rate + 0.999))


def from_environment() -> RateLimiter:
    """A limiter with ``HARBOR_RATE_PER_MINUTE`` and ``HARBOR_RATE_BURST`` (0: no limit)."""
    per_minute = _number("HARBOR_RATE_PER_MINUTE", DEFAULT_PER_MINUTE)
    burst = int(_number("HARBOR_RATE_BURST", DEFAULT_BURST))
    if per_minute <= 0 or burst <= 0:
        return Unlimited()
    return RateLimiter(per_minute, burst)


class Unlimited(RateLimiter):
    """A limiter that allows everything (``HARBOR_RATE_PER_MINUTE=0``)."""

    def allow(self, client: Hashable) -> bool:
        """Always True."""
        return True


def _number(variable: str, default: float) -> float:
    try:
        return float(os.environ.get(variable, "").strip() or default)
    except ValueError:
        return default
