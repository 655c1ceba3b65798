"""Privacy: what Harbor keeps (in words), export, deletion that really deletes, retention.

:func:`storage_sections` is generated from the models' ``info`` (see
:mod:`bot.store.models`); ``actions/privacy.py`` puts it into words. So adding a column
without describing it fails a test rather than making the answer quietly wrong.
:func:`erase` is the one deletion path: the "delete my data" action and
:class:`bot.store.tracker_store.HarborTrackerStore` both use it.
"""

import base64
import logging
from datetime import date, datetime, timedelta
from typing import Any, Dict, List, Optional, Tuple

from sqlalchemy import select, text
from sqlalchemy.exc import SQLAlchemyError

from bot.store import config, event_cache, progress
from bot.store.engine import autocommit_connection, get_engine, is_sqlite, session_scope
from bot.store.errors import StoreUnavailable
from bot.store.identity import pseudonym
from bot.store.models import USER_TABLES, Base, User, rasa_events, utcnow
from bot.store.repositories import (
    ConversationRepository,
    CravingRepository,
    RetentionRepository,
    UserRepository,
)

logger = logging.getLogger(__name__)

EXPORT_FORMAT = "harbor-export/1"
# The slot the "delete my data" action sets to True once everything is erased; when a
# tracker carrying it is saved, HarborTrackerStore erases instead of saving.
DELETION_SLOT = "data_deleted"


# --- what we keep, in words ------------------------------------------------------------


def storage_sections() -> List[Tuple[str, List[str]]]:
    """Each kind of data kept, read from the models: its message key and its fields' keys.

    ``[("storage.users", ["storage.users.country", ...]), ...]``; the words are in
    ``bot/content/data/messages.yml`` (``actions/privacy.py`` says them). The conversation
    itself is one field, ``storage.events.all``.
    """
    sections = [
        (
            f"storage.{table.name}",
            [f"storage.{table.name}.{c.name}" for c in table.columns if c.info.get("shown")],
        )
        for table in Base.metadata.tables.values()
    ]
    sections.append((f"storage.{rasa_events.name}", [f"storage.{rasa_events.name}.all"]))
    return sections


def retention_setting() -> Optional[int]:
    """The retention to tell the person about: ``HARBOR_RETENTION_DAYS``, or None when off.

    A mistyped setting reads as None here, so it never costs the person their answer.
    """
    try:
        return config.retention_days()
    except ValueError:
        return None


# --- export ----------------------------------------------------------------------------


def _plain(value: Any) -> Any:
    if isinstance(value, bytes):  # a progress picture: as a data URI, so JSON can carry it
        return "data:image/png;base64," + base64.b64encode(value).decode("ascii")
    return value.isoformat() if isinstance(value, (datetime, date)) else value


def _progress(session: Any, user: Optional[User]) -> Dict[str, Any]:
    """Ratings, streaks and tool results: the last 30 days as charted, and tools all-time."""
    now = utcnow()
    if user is None:
        return {"last_30_days": None, "tools_all_time": []}
    points = [
        progress.CravingPoint(c.logged_at, c.intensity_before, c.intensity_after, c.tool)
        for c in CravingRepository(session).all(user.id)
    ]
    return {
        "last_30_days": progress.read(session, user, now).as_dict(),
        "tools_all_time": [result.as_dict() for result in progress.tool_results(points)],
    }


def export(sender_id: str, url: Optional[str] = None) -> Dict[str, Any]:
    """Returns everything stored for ``sender_id`` as a JSON-serialisable dict.

    Every row of every Harbor table that belongs to the person (all columns; the
    internal id appears once, as ``profile.id``), their progress as the chart shows it
    (``progress``: ratings, streak runs, slips, tool results) and the whole conversation
    as Rasa stored it. Tables are read from the models, so a new table is exported too.
    """
    with session_scope(url) as session:
        user = UserRepository(session).find(sender_id)
        document: Dict[str, Any] = {
            "format": EXPORT_FORMAT,
            "exported_at": utcnow().isoformat(),
            "sender_id": sender_id,
            "profile": None,
        }
        for table in reversed(USER_TABLES):
            document[table.name] = []
        if user is not None:
            users = User.__table__
            row = session.execute(select(users).where(users.c.id == user.id)).one()
            document["profile"] = {key: _plain(value) for key, value in row._mapping.items()}
            for table in reversed(USER_TABLES):
                query = select(table).where(table.c.user_id == user.id)
                document[table.name] = [
                    {key: _plain(value) for key, value in r._mapping.items() if key != "user_id"}
                    for r in session.execute(query.order_by(*table.primary_key))
                ]
        document["progress"] = _progress(session, user)
        document["conversation"] = ConversationRepository(session).events(sender_id)
    return document


# --- deletion and retention ------------------------------------------------------------


def erase(sender_id: str, url: Optional[str] = None) -> bool:
    """Deletes everything stored for ``sender_id``, in one transaction, then scrubs.

    Harbor's rows (the user and everything keyed by their internal id) and every
    conversation event Rasa stored for this sender id.

    Returns:
        True when there was something to delete.
    """
    with session_scope(url) as session:
        users = UserRepository(session)
        user = users.find(sender_id)
        if user is not None:
            users.delete(user)
        events = ConversationRepository(session).delete(sender_id)
    event_cache.forget(sender_id)
    found = user is not None or events > 0
    if found:
        scrub_after_delete(url)
    logger.info("Erased stored data for %s (anything found: %s)", pseudonym(sender_id), found)
    return found


def purge(days: int, url: Optional[str] = None) -> Dict[str, int]:
    """Deletes Harbor rows and conversation events older than ``days`` days.

    People not seen for that long go entirely, and so does every conversation event older
    than that, also in a conversation that is still going on (see
    :meth:`ConversationRepository.purge`).

    Returns:
        How many rows went, per table.
    """
    if isinstance(days, bool) or not isinstance(days, int) or days < 1:
        raise ValueError("days must be a whole number >= 1")
    cutoff = utcnow() - timedelta(days=days)
    with session_scope(url) as session:
        counts = RetentionRepository(session).purge(cutoff)
        counts["events"] = ConversationRepository(session).purge(cutoff)
    event_cache.clear()
    if any(counts.values()):
        scrub_after_delete(url)
    logger.info("Retention (%d days) removed %s", days, counts)
    return counts


def scrub_after_delete(url: Optional[str] = None, tables: Optional[List[str]] = None) -> None:
    """Makes deleted rows unrecoverable from the database files, as far as each engine allows.

    SQLite: every connection runs with ``secure_delete=ON``, so the delete itself
    overwrites the deleted content with zeros; a checkpoint then copies those pages into
    the database file and empties the write-ahead log, which held earlier copies of them.

    PostgreSQL: a DELETE only marks rows dead; their bytes stay in the table files until
    vacuumed. ``HARBOR_PG_VACUUM=plain`` (default) runs VACUUM on the affected tables,
    which prunes the dead rows so their space is reused; ``full`` runs VACUUM FULL,
    which rewrites each table into a new file (stronger, but locks the table while it
    runs); ``off`` leaves it to autovacuum. None of these reach write-ahead log segments,
    replicas or backups: those keep the data until they rotate out (docs/privacy.md).
    """
    url = url or config.database_url()
    if is_sqlite(url):
        _checkpoint_sqlite(url)
        return
    mode = config.postgres_vacuum_mode()
    if mode == "off":
        return
    names = tables or [*Base.metadata.tables.keys(), rasa_events.name]
    command = "VACUUM FULL" if mode == "full" else "VACUUM"
    try:
        with autocommit_connection(url) as connection:
            existing = {
                row[0]
                for row in connection.execute(
                    text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
                )
            }
            for name in names:
                if name in existing:
                    connection.execute(text(f'{command} "{name}"'))
    except StoreUnavailable:
        # The rows are deleted already; autovacuum will prune them. Say so in the log.
        logger.warning("Deleted rows could not be vacuumed now; autovacuum will prune them")


def _checkpoint_sqlite(url: str) -> None:
    """Moves the write-ahead log into the database file and truncates the log to nothing."""
    # The driver connection itself: SQLAlchemy would open a transaction first (the engine's
    # BEGIN IMMEDIATE hook), and SQLite cannot checkpoint from inside one.
    try:
        connection = get_engine(url).raw_connection()
    except SQLAlchemyError as error:
        logger.warning("The write-ahead log could not be emptied now (%s)", type(error).__name__)
        return
    try:
        busy, _, _ = connection.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        if busy:
            logger.warning("The write-ahead log is in use; SQLite empties it at a later checkpoint")
    finally:
        connection.close()


# --- key rotation ------------------------------------------------------------------------


def rotate_keys(url: Optional[str] = None, batch: int = 500) -> Dict[str, int]:
    """Re-encrypts every stored text with the newest data key (``HARBOR_DATA_KEYS``' first).

    Rows written before encryption was on are encrypted now. Afterwards the older keys can
    be dropped from ``HARBOR_DATA_KEYS``. Safe to run while Harbor serves (row by row;
    a row written meanwhile is already under the newest key).

    Returns:
        How many values were rewritten, per table.
    """
    from sqlalchemy import Text, column, select, table, update

    from bot.security import crypto

    targets = [("events", "data"), ("vault_entries", "text"), ("reasons", "text")]
    counts: Dict[str, int] = {}
    for table_name, column_name in targets:
        raw = table(table_name, column("id"), column(column_name, Text))
        counts[table_name] = 0
        last_id = -1
        while True:
            with session_scope(url) as session:
                if table_name == "events" and not ConversationRepository(session).exists():
                    break
                rows = session.execute(
                    select(raw.c.id, raw.c[column_name])
                    .where(raw.c.id > last_id)
                    .order_by(raw.c.id)
                    .limit(batch)
                ).all()
                for row_id, value in rows:
                    rotated = crypto.rotate(value)
                    if rotated != value:
                        session.execute(
                            update(raw).where(raw.c.id == row_id).values({column_name: rotated})
                        )
                        counts[table_name] += 1
            if len(rows) < batch:
                break
            last_id = rows[-1][0]
    if any(counts.values()):
        scrub_after_delete(url)  # the old ciphertexts are garbage now
    logger.info("Re-encrypted stored text with the newest key: %s", counts)
    return counts
