"""Rasa's conversation history in Harbor's database, with deletion that sticks.

``endpoints.yml`` names ``bot.store.tracker_store.HarborTrackerStore``. Rasa builds it
with ``host=<url or None>, domain=…, event_broker=…`` plus any extra keys from the
endpoint config; the database is ``DATABASE_URL`` (the same one Harbor's store uses)
unless ``url:`` is given there.

Two things stock ``SQLTrackerStore`` can't do:

* **Deletion from an action.** An action that deletes the conversation is undone a
  moment later, when Rasa saves the in-memory tracker it still holds. So the
  "delete my data" action returns ``SlotSet("data_deleted", True)``; when a tracker
  carrying that marker is saved, this store erases the person's data
  (:func:`bot.store.privacy.erase`) instead of writing anything. The marker is never
  stored, and the next message starts a fresh conversation.
* **A database that goes away.** Reads and writes that fail keep the conversation in
  memory (the bot goes on answering) and write it out, in order and without
  duplicates, once the database answers again. A read that fails falls back to the
  last state this process stored or read for the person, so a flow, the country and
  other slots carry on through the outage instead of starting over.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from typing import Any, Dict, Iterable, List, Optional, Set, Text

from rasa.core.brokers.broker import EventBroker
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import BotUttered, Event, SlotSet
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.engine import Connection
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import sessionmaker

from bot.store import config, privacy
from bot.store.engine import (
    check_available,
    ensure_schema,
    get_engine,
    report_failure,
    report_success,
)
from bot.store.errors import StoreUnavailable
from bot.store.event_queries import EventQueries
from bot.store.identity import pseudonym
from bot.store.privacy import DELETION_SLOT
from bot.store.redaction import EXPORT_KEY, without_export

logger = logging.getLogger(__name__)

# Conversations held in memory while the database is down; beyond this the oldest is
# dropped (and logged) rather than letting memory grow without bound.
MAX_PENDING = 10_000
# Conversations whose last stored state is remembered for reads during an outage (least
# recently used first out). Events are shared with Rasa's trackers, not copied.
MAX_RECENT = 2_000
# Pause between background attempts to write held conversations when no back-off is set.
DRAIN_PAUSE_S = 1.0


def _without_exports(events: Iterable[Event]) -> List[Event]:
    """The events, with any export message replaced by its stub (bot.store.redaction)."""
    kept = []
    for event in events:
        custom = (event.data or {}).get("custom") if isinstance(event, BotUttered) else None
        if isinstance(custom, dict) and EXPORT_KEY in custom:
            event = Event.from_parameters(without_export(event.as_dict()))
        kept.append(event)
    return kept


def deletion_requested(tracker: DialogueStateTracker) -> bool:
    """True when the tracker carries the "erase this conversation" marker."""
    return any(
        isinstance(event, SlotSet) and event.key == DELETION_SLOT and event.value is True
        for event in tracker.events
    )


class HarborTrackerStore(SQLTrackerStore):
    """SQLTrackerStore on Harbor's engine, with the deletion marker and an outage buffer."""

    def __init__(
        self,
        domain: Optional[Domain] = None,
        host: Optional[Text] = None,
        event_broker: Optional[EventBroker] = None,
        url: Optional[Text] = None,
        **kwargs: Any,
    ) -> None:
        """Creates the store; never blocks on, or fails for, a database that is down.

        Args:
            domain: The assistant's domain (Rasa sets it again after loading a model).
            host: A full database URL when given as the endpoint's ``url``.
            event_broker: Optional broker for new events.
            url: Database URL; default ``DATABASE_URL``.
            kwargs: Other endpoint keys, ignored (SQLTrackerStore's dialect/db/… are
                replaced by the URL).
        """
        # Deliberately not SQLTrackerStore.__init__: it builds its own engine and loops
        # forever while the database is down. Harbor's engine has the SQLite pragmas
        # (secure_delete, BEGIN IMMEDIATE) and the connect timeout.
        TrackerStore.__init__(self, domain, event_broker, **kwargs)
        self.url = url or (host if host and "://" in host else None) or config.database_url()
        self.engine = get_engine(self.url)
        self.sessionmaker = sessionmaker(bind=self.engine, future=True)
        self._queries = EventQueries(self.SQLEvent.__table__)
        self._table_ready = False
        # sender id -> events (as dicts) not yet written because the database was down
        self._pending: Dict[str, List[Dict[str, Any]]] = {}
        # sender id -> how many of its in-memory tracker's events are already stored: the
        # length read from (or written to) the database, 0 for a fresh start during an
        # outage, the remembered length when it continues from the last stored state.
        # Everything after that is new, whatever another process stored meanwhile, and
        # whatever retention deleted meanwhile (it removes old events of live sessions too).
        self._stored_upto: "OrderedDict[str, int]" = OrderedDict()
        # senders whose erase failed; nothing of theirs is written until it succeeds
        self._erasures: Set[str] = set()
        # sender id -> events as last stored in (or read from) the database
        self._recent: "OrderedDict[str, List[Event]]" = OrderedDict()
        # writes out what the outage left in memory, even if those people never write again
        self._drain_task: Optional["asyncio.Task[None]"] = None
        try:
            ensure_schema(self.url)  # Harbor's own tables, on start
            self._prepare()
        except (StoreUnavailable, SQLAlchemyError) as error:
            logger.warning(
                "Database unavailable at start (%s); conversations stay in memory until it answers",
                type(error).__name__,
            )

    # --- database access -------------------------------------------------------------

    def _prepare(self) -> None:
        """Fails fast while the database is known to be down; creates Rasa's table once."""
        check_available(self.url)
        if not self._table_ready:
            try:
                self.Base.metadata.create_all(self.engine)
            except SQLAlchemyError as error:
                raise report_failure(self.url, error) from error
            self._table_ready = True

    def _new_events(self, connection: Connection, tracker: DialogueStateTracker) -> List[Event]:
        """Events not stored yet (see ``_stored_upto`` for trackers not read from the DB)."""
        events = list(tracker.events)
        known = self._stored_upto.get(tracker.sender_id)
        if known is not None:
            return events[known:]
        # As stock Rasa: the tracker holds the latest session, of which this many are stored.
        return events[self._queries.count_current_session(connection, tracker.sender_id) :]

    def _write(self, tracker: DialogueStateTracker) -> None:
        """Appends the tracker's new events in one transaction."""
        self._prepare()
        try:
            with self.engine.begin() as connection:
                new_events = self._new_events(connection, tracker)
                self._queries.append(connection, tracker.sender_id, new_events)
        except SQLAlchemyError as error:
            raise report_failure(self.url, error) from error
        report_success(self.url)
        # What is stored now includes this tracker's whole history.
        self._mark_stored(tracker.sender_id, len(tracker.events))
        self._pending.pop(tracker.sender_id, None)
        self._remember(tracker)

    def _mark_stored(self, sender_id: str, count: int) -> None:
        self._stored_upto[sender_id] = count
        self._stored_upto.move_to_end(sender_id)
        while len(self._stored_upto) > MAX_PENDING + MAX_RECENT:
            # Forgotten: the next save of that sender counts in the database instead.
            self._stored_upto.popitem(last=False)

    def _read(self, sender_id: str, all_sessions: bool) -> Optional[DialogueStateTracker]:
        """The stored conversation (all sessions or the latest), None if there is none."""
        with self.engine.connect() as connection:
            events = self._queries.read(connection, sender_id, all_sessions)
        if not events or not self.domain:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    # --- what was last stored, for reads during an outage ---------------------------

    def _remember(self, tracker: DialogueStateTracker) -> None:
        self._recent[tracker.sender_id] = _without_exports(tracker.events)
        self._recent.move_to_end(tracker.sender_id)
        while len(self._recent) > MAX_RECENT:
            self._recent.popitem(last=False)

    def _last_stored(self, sender_id: str) -> Optional[DialogueStateTracker]:
        events = self._recent.get(sender_id)
        if events is None:
            return None
        return DialogueStateTracker.from_events(sender_id, events, self.domain.slots)

    # --- erasing ---------------------------------------------------------------------

    def _erase(self, sender_id: str) -> bool:
        """Erases everything of ``sender_id``; on failure remembers to retry. True if done."""
        try:
            check_available(self.url)
            privacy.erase(sender_id, self.url)
        except StoreUnavailable:
            logger.warning(
                "Could not erase %s yet; will retry before storing anything of theirs",
                pseudonym(sender_id),
            )
            self._erasures.add(sender_id)
            return False
        self._erasures.discard(sender_id)
        return True

    def _erasure_settled(self, sender_id: str) -> bool:
        """Retries erases that waited for the database; True unless this sender's still waits."""
        for waiting in list(self._erasures):
            if not self._erase(waiting):
                break  # the database is still away; try again on the next operation
        return sender_id not in self._erasures

    # --- the outage buffer -----------------------------------------------------------

    def _keep_in_memory(self, tracker: DialogueStateTracker) -> None:
        sender_id = tracker.sender_id
        self._pending.pop(sender_id, None)
        if len(self._pending) >= MAX_PENDING:
            dropped = next(iter(self._pending))
            self._pending.pop(dropped)
            logger.error("Outage buffer full: dropped unsaved events of %s", pseudonym(dropped))
        self._pending[sender_id] = [without_export(event.as_dict()) for event in tracker.events]
        logger.warning(
            "Database unavailable: keeping %s's conversation in memory (%d waiting)",
            pseudonym(sender_id),
            len(self._pending),
        )
        self._schedule_drain()

    def _schedule_drain(self) -> None:
        """Starts the background writer for held conversations, unless it runs already."""
        if self._drain_task is not None and not self._drain_task.done():
            return
        try:
            self._drain_task = asyncio.get_running_loop().create_task(self._drain())
        except RuntimeError:  # no running loop (a synchronous caller): reads will flush
            self._drain_task = None

    async def _drain(self) -> None:
        """Retries held conversations after each back-off until none is left."""
        while self._pending:
            await asyncio.sleep(config.retry_seconds() or DRAIN_PAUSE_S)
            for sender_id in list(self._pending):
                if not self._erasure_settled(sender_id) or not self._flush(sender_id):
                    break  # still down: wait for the next round

    def _from_memory(self, sender_id: str) -> Optional[DialogueStateTracker]:
        events = self._pending.get(sender_id)
        if events is None:
            return None
        return DialogueStateTracker.from_dict(sender_id, events, self.domain.slots)

    def _flush(self, sender_id: str) -> bool:
        """Writes a conversation held in memory; True when nothing is left waiting."""
        tracker = self._from_memory(sender_id)
        if tracker is None:
            return True
        try:
            self._write(tracker)
        except StoreUnavailable:
            return False
        logger.info("Wrote %s's conversation held during the outage", pseudonym(sender_id))
        return True

    # --- TrackerStore interface ------------------------------------------------------

    async def save(self, tracker: DialogueStateTracker) -> None:
        """Stores new events; erases instead when the tracker carries the deletion marker."""
        sender_id = tracker.sender_id
        if deletion_requested(tracker):
            # Nothing of this tracker may be written, now or after an outage.
            self._pending.pop(sender_id, None)
            self._recent.pop(sender_id, None)
            self._stored_upto.pop(sender_id, None)
            self._erase(sender_id)
            return
        if self.event_broker is not None:
            known = self._stored_upto.get(sender_id)
            await self.stream_events(tracker)  # reads the stored tracker to diff against
            if known is not None:
                self._stored_upto[sender_id] = known
        if not self._erasure_settled(sender_id):
            self._stored_upto[sender_id] = 0
            self._keep_in_memory(tracker)
            return
        try:
            self._write(tracker)
        except StoreUnavailable:
            self._keep_in_memory(tracker)

    async def _retrieve(
        self, sender_id: Text, fetch_events_from_all_sessions: bool
    ) -> Optional[DialogueStateTracker]:
        """Reads from the database; during an outage, from memory (or a fresh start)."""
        if not self._erasure_settled(sender_id):
            return self._from_memory(sender_id)
        if sender_id in self._pending and not self._flush(sender_id):
            return self._from_memory(sender_id)
        try:
            self._prepare()
            tracker = self._read(sender_id, fetch_events_from_all_sessions)
        except (StoreUnavailable, SQLAlchemyError) as error:
            if isinstance(error, SQLAlchemyError):
                report_failure(self.url, error)
            last = self._last_stored(sender_id)
            # Continuing from the last stored state, only what comes after it is new;
            # from a fresh start, everything is.
            self._stored_upto[sender_id] = len(last.events) if last is not None else 0
            return last
        report_success(self.url)
        if not fetch_events_from_all_sessions:
            # Only the current session: the shape Rasa's processor keeps and saves. What it
            # holds now is stored; what it gains in this turn is new.
            self._mark_stored(sender_id, len(tracker.events) if tracker is not None else 0)
            if tracker is not None:
                self._remember(tracker)
        return tracker

    async def keys(self) -> Iterable[Text]:
        """Sender ids with stored (or, during an outage, buffered) conversations."""
        buffered = set(self._pending)
        try:
            self._prepare()
            stored = set(await super().keys())
        except (StoreUnavailable, SQLAlchemyError) as error:
            if isinstance(error, SQLAlchemyError):
                report_failure(self.url, error)
            return sorted(buffered)
        return sorted(stored | buffered)
