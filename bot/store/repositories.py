"""Repositories: all of Harbor's SQL, one class per concern, each working in a given Session.

The session (and so the transaction) belongs to the caller — :mod:`bot.store.service`
opens one per call. Nothing here commits.
"""

import json
from datetime import datetime
from typing import Any, Dict, List, Optional, Sequence, Tuple

from sqlalchemy import delete, func, inspect, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.security import crypto
from bot.store.identity import split_sender_id
from bot.store.models import (
    USER_TABLES,
    Craving,
    ExerciseRecord,
    NoContact,
    ProgressChart,
    Reason,
    SafetyPlanItem,
    Slip,
    User,
    VaultEntry,
    new_id,
    rasa_events,
    utcnow,
)


def _insert_if_absent(
    session: Session, table: Any, values: Dict[str, Any], keys: List[str]
) -> None:
    """INSERT … ON CONFLICT DO NOTHING, so two first messages can't collide."""
    dialect = session.get_bind().dialect.name
    if dialect == "postgresql":
        statement = postgresql.insert(table).values(**values)
    elif dialect == "sqlite":
        statement = sqlite.insert(table).values(**values)
    else:  # pragma: no cover - Harbor supports SQLite and PostgreSQL
        with session.begin_nested():
            session.execute(table.insert().values(**values))
        return
    session.execute(statement.on_conflict_do_nothing(index_elements=keys))


class UserRepository:
    """People, found by Rasa's sender id."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def find(self, sender_id: str) -> Optional[User]:
        """Returns the user for ``sender_id``, or None (never creates one)."""
        channel, channel_user_id = split_sender_id(sender_id)
        query = select(User).where(User.channel == channel, User.channel_user_id == channel_user_id)
        return self.session.execute(query).scalar_one_or_none()

    def get_or_create(self, sender_id: str) -> User:
        """Returns the user for ``sender_id``, creating them, and marks them as seen now."""
        user = self.find(sender_id)
        if user is None:
            channel, channel_user_id = split_sender_id(sender_id)
            now = utcnow()
            _insert_if_absent(
                self.session,
                User.__table__,
                {
                    "id": new_id(),
                    "channel": channel,
                    "channel_user_id": channel_user_id,
                    "false_alarms": 0,
                    "created_at": now,
                    "last_seen_at": now,
                },
                ["channel", "channel_user_id"],
            )
            user = self.find(sender_id)
            assert user is not None  # inserted above, or by a concurrent message
        user.last_seen_at = utcnow()
        return user

    def increment_false_alarms(self, user_id: str) -> int:
        """Adds one false alarm in the database itself (atomic) and returns the new count."""
        self.session.execute(
            update(User)
            .where(User.id == user_id)
            .values(false_alarms=User.false_alarms + 1)
            .execution_options(synchronize_session=False)
        )
        return self.session.execute(
            select(User.false_alarms).where(User.id == user_id)
        ).scalar_one()

    def delete(self, user: User) -> None:
        """Deletes the user and every row that belongs to them."""
        for table in USER_TABLES:
            self.session.execute(delete(table).where(table.c.user_id == user.id))
        self.session.execute(delete(User.__table__).where(User.__table__.c.id == user.id))
        self.session.expunge(user)

    def delete_inactive_since(self, cutoff: datetime) -> int:
        """Deletes people not seen since ``cutoff`` (and all their rows); returns how many."""
        stale = select(User.id).where(User.last_seen_at < cutoff)
        for table in USER_TABLES:
            self.session.execute(
                delete(table)
                .where(table.c.user_id.in_(stale))
                .execution_options(synchronize_session=False)
            )
        result = self.session.execute(
            delete(User)
            .where(User.last_seen_at < cutoff)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


class StreakRepository:
    """The no-contact record and its slips."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, user_id: str) -> Optional[NoContact]:
        """Returns the record without locking it, or None."""
        return self.session.get(NoContact, user_id)

    def lock(self, user_id: str) -> NoContact:
        """Returns the record, created if missing, locked for this transaction.

        PostgreSQL: SELECT … FOR UPDATE. SQLite: the transaction already holds the write
        lock (BEGIN IMMEDIATE), so FOR UPDATE is not needed there.
        """
        _insert_if_absent(
            self.session,
            NoContact.__table__,
            {"user_id": user_id, "longest_days": 0, "slips": 0, "updated_at": utcnow()},
            ["user_id"],
        )
        query = (
            select(NoContact)
            .where(NoContact.user_id == user_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
        return self.session.execute(query).scalar_one()

    def add_slip(self, user_id: str, at: datetime, streak_days: int) -> None:
        """Records one slip and the length of the streak it ended."""
        self.session.add(Slip(user_id=user_id, slipped_at=at, streak_days=streak_days))

    def slips(self, user_id: str) -> Sequence[Slip]:
        """Returns the person's slips, oldest first."""
        query = select(Slip).where(Slip.user_id == user_id).order_by(Slip.slipped_at, Slip.id)
        return self.session.execute(query).scalars().all()


class CravingRepository:
    """The craving log."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, before: int, tool: str, after: Optional[int]) -> int:
        """Logs one urge; returns its id."""
        craving = Craving(
            user_id=user_id, intensity_before=before, tool=tool, intensity_after=after
        )
        self.session.add(craving)
        self.session.flush()
        return craving.id

    def best(self, user_id: str) -> Optional[Tuple[str, int, int]]:
        """Returns (tool, before, after) for the biggest drop in urge, newest on a tie."""
        drop = Craving.intensity_before - Craving.intensity_after
        query = (
            select(Craving.tool, Craving.intensity_before, Craving.intensity_after)
            .where(Craving.user_id == user_id, Craving.intensity_after.is_not(None), drop > 0)
            .order_by(drop.desc(), Craving.logged_at.desc(), Craving.id.desc())
            .limit(1)
        )
        row = self.session.execute(query).first()
        return (row.tool, row.intensity_before, row.intensity_after) if row else None

    def all(self, user_id: str) -> Sequence[Craving]:
        """Returns the whole log, oldest first."""
        query = select(Craving).where(Craving.user_id == user_id).order_by(Craving.id)
        return self.session.execute(query).scalars().all()

    def since(self, user_id: str, start: datetime) -> Sequence[Craving]:
        """Returns the entries logged at or after ``start``, oldest first."""
        query = (
            select(Craving)
            .where(Craving.user_id == user_id, Craving.logged_at >= start)
            .order_by(Craving.logged_at, Craving.id)
        )
        return self.session.execute(query).scalars().all()

    def last(self, user_id: str) -> Optional[Craving]:
        """Returns the newest entry, or None."""
        query = (
            select(Craving)
            .where(Craving.user_id == user_id)
            .order_by(Craving.logged_at.desc(), Craving.id.desc())
            .limit(1)
        )
        return self.session.execute(query).scalar_one_or_none()


class ExerciseRepository:
    """Which exercises a person did and whether they helped."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, exercise_id: str, helped: Optional[bool]) -> None:
        """Records one exercise."""
        self.session.add(ExerciseRecord(user_id=user_id, exercise_id=exercise_id, helped=helped))

    def last(self, user_id: str) -> Optional[str]:
        """Returns the id of the most recent exercise, or None."""
        query = (
            select(ExerciseRecord.exercise_id)
            .where(ExerciseRecord.user_id == user_id)
            .order_by(ExerciseRecord.done_at.desc(), ExerciseRecord.id.desc())
            .limit(1)
        )
        return self.session.execute(query).scalar_one_or_none()

    def all(self, user_id: str) -> Sequence[ExerciseRecord]:
        """Returns every record, oldest first."""
        query = select(ExerciseRecord).where(ExerciseRecord.user_id == user_id)
        return self.session.execute(query.order_by(ExerciseRecord.id)).scalars().all()


class VaultRepository:
    """Messages written here instead of sent."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, text: str, revisit_after: datetime) -> int:
        """Stores one entry; returns its id."""
        entry = VaultEntry(user_id=user_id, text=text, revisit_after=revisit_after)
        self.session.add(entry)
        self.session.flush()
        return entry.id

    def due(self, user_id: str, now: datetime) -> Sequence[VaultEntry]:
        """Entries whose revisit time has come and that weren't revisited, oldest first."""
        query = (
            select(VaultEntry)
            .where(
                VaultEntry.user_id == user_id,
                VaultEntry.revisit_after <= now,
                VaultEntry.revisited_at.is_(None),
            )
            .order_by(VaultEntry.revisit_after, VaultEntry.id)
        )
        return self.session.execute(query).scalars().all()

    def mark_revisited(self, entry_id: int, at: datetime) -> bool:
        """Marks an entry as offered back; False when there is no such entry."""
        result = self.session.execute(
            update(VaultEntry)
            .where(VaultEntry.id == entry_id)
            .values(revisited_at=at)
            .execution_options(synchronize_session=False)
        )
        return bool(result.rowcount)

    def all(self, user_id: str) -> Sequence[VaultEntry]:
        """Returns every entry, oldest first."""
        query = select(VaultEntry).where(VaultEntry.user_id == user_id).order_by(VaultEntry.id)
        return self.session.execute(query).scalars().all()


class ReasonRepository:
    """The person's own list of reasons."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, text: str) -> int:
        """Adds one reason; returns its id."""
        reason = Reason(user_id=user_id, text=text)
        self.session.add(reason)
        self.session.flush()
        return reason.id

    def all(self, user_id: str) -> Sequence[Reason]:
        """Returns the list in the order it was written."""
        query = select(Reason).where(Reason.user_id == user_id).order_by(Reason.id)
        return self.session.execute(query).scalars().all()


class ChartRepository:
    """Progress pictures, found by the hash of their link's key until they expire."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, key_hash: str, png: bytes, expires_at: datetime) -> None:
        """Stores one picture."""
        self.session.add(
            ProgressChart(key_hash=key_hash, user_id=user_id, png=png, expires_at=expires_at)
        )

    def find(self, key_hash: str, now: datetime) -> Optional[bytes]:
        """The picture's bytes while it has not expired, else None."""
        query = select(ProgressChart.png).where(
            ProgressChart.key_hash == key_hash, ProgressChart.expires_at > now
        )
        return self.session.execute(query).scalar_one_or_none()

    def purge_expired(self, now: datetime) -> int:
        """Deletes every expired picture; returns how many went."""
        result = self.session.execute(
            delete(ProgressChart)
            .where(ProgressChart.expires_at <= now)
            .execution_options(synchronize_session=False)
        )
        return result.rowcount or 0


class SafetyPlanRepository:
    """The person's own safety plan: lines under its seven steps."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, user_id: str, step: str, text: str) -> None:
        """Adds one line under ``step``."""
        self.session.add(SafetyPlanItem(user_id=user_id, step=step, text=text))
        self.session.flush()

    def clear(self, user_id: str, step: Optional[str] = None) -> int:
        """Deletes the lines of one step (every step when None); returns how many."""
        query = delete(SafetyPlanItem).where(SafetyPlanItem.user_id == user_id)
        if step is not None:
            query = query.where(SafetyPlanItem.step == step)
        result = self.session.execute(query.execution_options(synchronize_session=False))
        return result.rowcount or 0

    def all(self, user_id: str) -> Sequence[SafetyPlanItem]:
        """Returns every line, in the order it was written."""
        query = (
            select(SafetyPlanItem)
            .where(SafetyPlanItem.user_id == user_id)
            .order_by(SafetyPlanItem.id)
        )
        return self.session.execute(query).scalars().all()


class RetentionRepository:
    """Deletes Harbor rows older than a cutoff."""

    # (model, the column that says how old a row is)
    DATED = (
        (Slip, Slip.slipped_at),
        (Craving, Craving.logged_at),
        (VaultEntry, VaultEntry.created_at),
        (ExerciseRecord, ExerciseRecord.done_at),
        (Reason, Reason.created_at),
        (ProgressChart, ProgressChart.created_at),
        (SafetyPlanItem, SafetyPlanItem.created_at),
    )

    def __init__(self, session: Session) -> None:
        self.session = session

    def purge(self, cutoff: datetime) -> Dict[str, int]:
        """Deletes dated rows older than ``cutoff`` and people inactive since then."""
        counts: Dict[str, int] = {}
        for model, column in self.DATED:
            result = self.session.execute(
                delete(model).where(column < cutoff).execution_options(synchronize_session=False)
            )
            counts[model.__tablename__] = result.rowcount or 0
        counts["users"] = UserRepository(self.session).delete_inactive_since(cutoff)
        return counts


class ConversationRepository:
    """Rasa's conversation history (the ``events`` table Rasa's tracker store owns)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def exists(self) -> bool:
        """False until Rasa's tracker store has created its table."""
        return inspect(self.session.connection()).has_table(rasa_events.name)

    def events(self, sender_id: str) -> List[Any]:
        """Returns every stored event of the conversation, as Rasa wrote it (decoded JSON)."""
        if not self.exists():
            return []
        query = (
            select(rasa_events.c.data)
            .where(rasa_events.c.sender_id == sender_id)
            .order_by(rasa_events.c.id)
        )
        decoded = []
        for (data,) in self.session.execute(query):
            try:
                decoded.append(json.loads(crypto.decrypt(data)))
            except (TypeError, ValueError):
                decoded.append(data)
        return decoded

    def count_action(self, sender_id: str, action_name: str, since: datetime) -> int:
        """How many times ``action_name`` ran in the conversation since ``since``."""
        if not self.exists():
            return 0
        query = select(func.count()).where(
            rasa_events.c.sender_id == sender_id,
            rasa_events.c.type_name == "action",
            rasa_events.c.action_name == action_name,
            rasa_events.c.timestamp >= since.timestamp(),
        )
        return int(self.session.execute(query).scalar_one())

    def delete(self, sender_id: str) -> int:
        """Deletes the whole conversation; returns how many events went."""
        if not self.exists():
            return 0
        result = self.session.execute(
            delete(rasa_events).where(rasa_events.c.sender_id == sender_id)
        )
        return result.rowcount or 0

    def purge(self, cutoff: datetime) -> int:
        """Deletes every event older than ``cutoff``, in old and in ongoing conversations.

        By event age, not by session: a person who writes every day keeps one session for
        months, and its old messages must go too. Harbor's tracker store counts what it
        read, not what is stored, so deleting the start of a live session is safe.
        """
        if not self.exists():
            return 0
        statement = delete(rasa_events).where(rasa_events.c.timestamp < cutoff.timestamp())
        return self.session.execute(statement).rowcount or 0
