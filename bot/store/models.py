"""Harbor's tables, as SQLAlchemy declarative models.

Every table and column carries ``info``: either ``shown`` (named in the answer to "what do
you store?" by :func:`bot.store.privacy.storage_sections`, in the words keyed
``storage.<table>.<column>`` in ``bot/content/data/messages.yml``, so the answer follows what
the schema really holds) or ``internal`` (keys and bookkeeping that say nothing about the
person). A test fails when a column has neither, or a shown one has no words.

Message text is kept only where the person deliberately stored it: vault entries and
their own reasons list. Everything else is numbers, short codes and timestamps. That text,
like every conversation event, is encrypted before it is written (:class:`EncryptedText`,
``bot.security.crypto``).
"""

import uuid
from datetime import datetime, timezone
from typing import Any, Optional

from sqlalchemy import (
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import declarative_base
from sqlalchemy.types import TypeDecorator

# Stable constraint names, so Alembic's batch mode on SQLite can find them again.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

Base = declarative_base(metadata=MetaData(naming_convention=NAMING_CONVENTION))

INTERNAL = {"internal": True}
# Shown in the answer to "what do you store?", in the words keyed storage.<table>[.<column>]
# in bot/content/data/messages.yml.
SHOWN = {"shown": True}


def utcnow() -> datetime:
    """Returns the current time as an aware UTC datetime."""
    return datetime.now(timezone.utc)


def new_id() -> str:
    """Returns a fresh pseudonymous user id."""
    return str(uuid.uuid4())


class EncryptedText(TypeDecorator):
    """Text encrypted with Harbor's data key on the way in, decrypted on the way out."""

    impl = Text
    cache_ok = True

    def process_bind_param(self, value: Optional[str], dialect: Any) -> Optional[str]:
        from bot.security import crypto

        return crypto.encrypt(value)

    def process_result_value(self, value: Optional[str], dialect: Any) -> Optional[str]:
        from bot.security import crypto

        return crypto.decrypt(value)


class UTCDateTime(TypeDecorator):
    """Stores UTC as a naive timestamp (portable to SQLite) and returns aware UTC."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given; Harbor stores aware UTC times only")
        return value.astimezone(timezone.utc).replace(tzinfo=None)

    def process_result_value(self, value: Optional[datetime], dialect: Any) -> Optional[datetime]:
        if value is None:
            return None
        return value.replace(tzinfo=timezone.utc)


def _user_fk() -> Column:
    return Column(
        String(36),
        ForeignKey("users.id", ondelete="CASCADE"),
        nullable=False,
        index=True,
        info=INTERNAL,
    )


class User(Base):
    """One person on one channel. Other tables refer to them by a random id only."""

    __tablename__ = "users"
    __table_args__ = (
        UniqueConstraint("channel", "channel_user_id"),
        {"info": SHOWN},
    )

    id = Column(String(36), primary_key=True, default=new_id, info=INTERNAL)
    channel = Column(
        String(32), nullable=False, info=SHOWN
    )
    channel_user_id = Column(
        String(255),
        nullable=False,
        info=SHOWN,
    )
    country = Column(String(8), nullable=True, info=SHOWN)
    timezone = Column(
        String(64), nullable=True, info=SHOWN
    )
    false_alarms = Column(
        Integer,
        nullable=False,
        default=0,
        info=SHOWN,
    )
    created_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )
    last_seen_at = Column(
        UTCDateTime,
        nullable=False,
        default=utcnow,
        info=SHOWN,
    )


class NoContact(Base):
    """The running no-contact streak, one row per person."""

    __tablename__ = "no_contact"
    __table_args__ = {"info": SHOWN}

    user_id = Column(
        String(36), ForeignKey("users.id", ondelete="CASCADE"), primary_key=True, info=INTERNAL
    )
    started_at = Column(
        UTCDateTime, nullable=True, info=SHOWN
    )
    longest_days = Column(
        Integer, nullable=False, default=0, info=SHOWN
    )
    slips = Column(
        Integer, nullable=False, default=0, info=SHOWN
    )
    updated_at = Column(UTCDateTime, nullable=False, default=utcnow, info=INTERNAL)


class Slip(Base):
    """One slip (contact after no contact): when, and how long the streak had been."""

    __tablename__ = "slips"
    __table_args__ = {"info": SHOWN}

    id = Column(Integer, primary_key=True, autoincrement=True, info=INTERNAL)
    user_id = _user_fk()
    slipped_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )
    streak_days = Column(
        Integer, nullable=False, default=0, info=SHOWN
    )


class Craving(Base):
    """One urge ridden out: how strong before and after, and what helped."""

    __tablename__ = "cravings"
    __table_args__ = {"info": SHOWN}

    id = Column(Integer, primary_key=True, autoincrement=True, info=INTERNAL)
    user_id = _user_fk()
    logged_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )
    intensity_before = Column(
        Integer, nullable=False, info=SHOWN
    )
    tool = Column(
        String(64), nullable=False, info=SHOWN
    )
    intensity_after = Column(
        Integer, nullable=True, info=SHOWN
    )


class VaultEntry(Base):
    """A message the person wrote here instead of sending it."""

    __tablename__ = "vault_entries"
    __table_args__ = {"info": SHOWN}

    id = Column(Integer, primary_key=True, autoincrement=True, info=INTERNAL)
    user_id = _user_fk()
    text = Column(
        EncryptedText,
        nullable=False,
        info=SHOWN,
    )
    created_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )
    revisit_after = Column(
        UTCDateTime, nullable=False, info=SHOWN
    )
    revisited_at = Column(
        UTCDateTime, nullable=True, info=SHOWN
    )


class ExerciseRecord(Base):
    """An exercise done, and whether the person said it helped (their preferences)."""

    __tablename__ = "exercise_log"
    __table_args__ = {"info": SHOWN}

    id = Column(Integer, primary_key=True, autoincrement=True, info=INTERNAL)
    user_id = _user_fk()
    exercise_id = Column(String(64), nullable=False, info=SHOWN)
    helped = Column(Boolean, nullable=True, info=SHOWN)
    done_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )


class Reason(Base):
    """One line of the person's own list of reasons for keeping no contact."""

    __tablename__ = "reasons"
    __table_args__ = {"info": SHOWN}

    id = Column(Integer, primary_key=True, autoincrement=True, info=INTERNAL)
    user_id = _user_fk()
    text = Column(EncryptedText, nullable=False, info=SHOWN)
    created_at = Column(
        UTCDateTime, nullable=False, default=utcnow, info=SHOWN
    )


# Tables holding a user's rows, children first: the order deletions run in.
USER_TABLES = (
    Slip.__table__,
    Craving.__table__,
    VaultEntry.__table__,
    ExerciseRecord.__table__,
    Reason.__table__,
    NoContact.__table__,
)

# Rasa's conversation history. Rasa's SQLTrackerStore creates and owns this table; it is
# described here (in its own MetaData, so Alembic leaves it alone) only so that export,
# deletion and retention can reach it without importing Rasa.
RASA_METADATA = MetaData()
rasa_events = Table(
    "events",
    RASA_METADATA,
    Column("id", Integer, primary_key=True),
    Column("sender_id", String(255), nullable=False, index=True),
    Column("type_name", String(255), nullable=False),
    Column("timestamp", Float),
    Column("intent_name", String(255)),
    Column("action_name", String(255)),
    Column("data", Text),
    info=SHOWN,  # as one field: storage.events.all
)
