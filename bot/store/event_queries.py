"""Reading and appending Rasa's conversation events with statements built once.

Stock ``SQLTrackerStore`` builds a fresh ORM query (with a sub-query) for every read and
every save, and inserts events through the ORM unit of work. Under load that made the
database layer about 15 % of the Rasa server's CPU, most of it SQLAlchemy compiling and
hashing the same statements again. Event JSON is encrypted at rest (``bot.security.crypto``);
reads decrypt only values not seen before (``bot.store.event_cache``).
The statements here are the same SQL — events of one
sender ordered by id, optionally only from the latest ``session_started`` on — built once
per table, so SQLAlchemy's compiled cache does the rest; inserts are one executemany.
"""

from __future__ import annotations

import json
from typing import Any, Dict, Iterable, List, Tuple

from rasa.shared.core.events import Event, SessionStarted
from sqlalchemy import Table, bindparam, func, or_, select
from sqlalchemy.engine import Connection

from bot.security import crypto
from bot.store import event_cache
from bot.store.redaction import without_export


class EventQueries:
    """The four statements a tracker store needs on Rasa's ``events`` table."""

    def __init__(self, table: Table) -> None:
        """Builds the statements for ``table`` (Rasa's ``SQLTrackerStore.SQLEvent``)."""
        columns = table.c
        sender = columns.sender_id == bindparam("sender")
        session_start = (
            select(func.max(columns.timestamp))
            .where(columns.sender_id == bindparam("sender"))
            .where(columns.type_name == SessionStarted.type_name)
            .scalar_subquery()
        )
        # As stock Rasa: events from the latest session start on, or all if none started.
        current_session = or_(columns.timestamp >= session_start, session_start.is_(None))
        self._all = select(columns.data).where(sender).order_by(columns.id)
        self._session = select(columns.data).where(sender, current_session).order_by(columns.id)
        self._count = select(func.count()).select_from(table).where(sender, current_session)
        self._insert = table.insert()

    def read(self, connection: Connection, sender_id: str, all_sessions: bool) -> List[Dict]:
        """The sender's events as dicts, oldest first (all sessions or the latest one)."""
        statement = self._all if all_sessions else self._session
        rows = connection.execute(statement, {"sender": sender_id}).scalars()
        return [json.loads(text) for text in event_cache.read(sender_id, rows)]

    def count_current_session(self, connection: Connection, sender_id: str) -> int:
        """How many events of the sender's latest session are stored."""
        return int(connection.execute(self._count, {"sender": sender_id}).scalar_one())

    def append(self, connection: Connection, sender_id: str, events: Iterable[Event]) -> int:
        """Inserts ``events`` for the sender in one statement; returns how many."""
        rows, texts = [], []
        for event in events:
            row, text = _row(sender_id, event)
            rows.append(row)
            texts.append((row["data"], text))
        if rows:
            connection.execute(self._insert, rows)
            event_cache.written(sender_id, texts)
        return len(rows)


def _row(sender_id: str, event: Event) -> Tuple[Dict[str, Any], str]:
    """The columns stock Rasa stores for one event (an export stored as a stub only).

    Returns:
        The row, and the JSON text its ``data`` column encrypts.
    """
    data = without_export(event.as_dict())
    text = json.dumps(data)
    parse_data = data.get("parse_data") or {}
    return {
        "sender_id": sender_id,
        "type_name": event.type_name,
        "timestamp": data.get("timestamp"),
        "intent_name": (parse_data.get("intent") or {}).get("name"),
        "action_name": data.get("name"),
        "data": crypto.encrypt(text),
    }, text
