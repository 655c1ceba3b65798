"""Harbor's own store: what Harbor remembers for a person, and their control over it.

Actions call :mod:`bot.store.service`; nothing here touches a database at import time.
A database that cannot be reached surfaces as :class:`StoreUnavailable`, the one
exception type callers need to catch.
"""

from bot.store.errors import StoreUnavailable

__all__ = ["StoreUnavailable"]
