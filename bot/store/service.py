"""The store's facade: what actions call. One short transaction per call.

Every function is keyed by Rasa's ``sender_id``. Harbor keeps the channel and the
channel's user id only in ``users``; every other table refers to a random internal id.

Reads for someone Harbor has never seen return empty answers without creating a row.
Every function raises :class:`bot.store.StoreUnavailable` (and nothing else from the
database) when the database can't be reached; bad arguments raise ``ValueError``.
"""

import logging
import threading
import time
import zoneinfo
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta
from typing import Any, Dict, List, Optional, Tuple

from bot.store import config, privacy
from bot.store.engine import session_scope
from bot.store.models import NoContact, utcnow
from bot.store.repositories import (
    ConversationRepository,
    CravingRepository,
    ExerciseRepository,
    ReasonRepository,
    StreakRepository,
    UserRepository,
    VaultRepository,
)

logger = logging.getLogger(__name__)

MAX_CODE_LENGTH = 64
PURGE_INTERVAL_SECONDS = 3600.0

_purge_lock = threading.Lock()
_last_purge: Dict[str, float] = {}


@dataclass(frozen=True)
class StreakInfo:
    """A person's no-contact streak.

    Attributes:
        current_days: Whole days since the current streak started (0 when none runs).
        longest_days: The longest streak so far, the current one included.
        slips: How many times the person slipped.
        started_at: When the current streak started (aware UTC), or None.
    """

    current_days: int
    longest_days: int
    slips: int
    started_at: Optional[datetime]


@dataclass(frozen=True)
class VaultItem:
    """A vault entry as handed to actions (``item.text`` and ``item["text"]`` both work)."""

    id: int
    text: str
    created_at: datetime
    revisit_after: datetime

    def __getitem__(self, key: str) -> Any:
        return asdict(self)[key]


# --- validation ------------------------------------------------------------------------


def _intensity(value: Any, name: str) -> int:
    # Rasa keeps numbers in float slots (8.0) and free text may arrive as "8": accept both.
    if not isinstance(value, bool):
        try:
            number = float(value)
        except (TypeError, ValueError):
            number = float("nan")
        if 0 <= number <= 10:
            return round(number)
    raise ValueError(f"{name} must be a number from 0 to 10")


def _code(value: Any, name: str) -> str:
    if not isinstance(value, str) or not value.strip() or len(value.strip()) > MAX_CODE_LENGTH:
        raise ValueError(
            f"{name} must be a non-empty string of at most {MAX_CODE_LENGTH} characters"
        )
    return value.strip()


def _user_text(value: Any) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError("text must be a non-empty string")
    return value.strip()


def _timezone_name(value: Any) -> str:
    name = _code(value, "timezone")
    try:
        zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError) as error:
        raise ValueError(f"unknown timezone: {name!r}") from error
    return name


def _streak(record: Optional[NoContact], now: datetime) -> StreakInfo:
    if record is None:
        return StreakInfo(0, 0, 0, None)
    current = max((now - record.started_at).days, 0) if record.started_at else 0
    return StreakInfo(current, max(record.longest_days, current), record.slips, record.started_at)


# --- profile ---------------------------------------------------------------------------


def get_country(sender_id: str) -> Optional[str]:
    """Returns the person's country code (e.g. ``"GB"``, ``"OTHER"``), or None."""
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        return user.country if user else None


def set_country(sender_id: str, code: str) -> None:
    """Remembers the person's country code (upper-cased: ``"gb"`` → ``"GB"``)."""
    code = _code(code, "country").upper()
    if len(code) > 8:
        raise ValueError("country must be an ISO code such as 'US', or 'OTHER'")
    with session_scope() as session:
        UserRepository(session).get_or_create(sender_id).country = code
    _maybe_purge()


def get_timezone(sender_id: str) -> Optional[str]:
    """Returns the person's IANA timezone name (e.g. ``"Europe/London"``), or None."""
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        return user.timezone if user else None


def set_timezone(sender_id: str, tz_name: str) -> None:
    """Remembers the person's timezone; raises ValueError for an unknown name."""
    tz_name = _timezone_name(tz_name)
    with session_scope() as session:
        UserRepository(session).get_or_create(sender_id).timezone = tz_name
    _maybe_purge()


def record_false_alarm(sender_id: str) -> int:
    """Counts one crisis false alarm (no text is kept); returns the new count."""
    with session_scope() as session:
        users = UserRepository(session)
        return users.increment_false_alarms(users.get_or_create(sender_id).id)


# --- no contact ------------------------------------------------------------------------


def get_streak(sender_id: str) -> StreakInfo:
    """Returns the person's no-contact streak (all zeros when none was started)."""
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        if user is None:
            return StreakInfo(0, 0, 0, None)
        return _streak(StreakRepository(session).get(user.id), utcnow())


def start_no_contact(sender_id: str, started_at: Optional[datetime] = None) -> StreakInfo:
    """Starts the no-contact streak now (or at ``started_at``, e.g. "12 days ago").

    A streak that is already running is kept unless ``started_at`` is given.
    """
    if started_at is not None and started_at.tzinfo is None:
        raise ValueError("started_at must be timezone-aware")
    now = utcnow()
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        record = StreakRepository(session).lock(user.id)
        if started_at is not None or record.started_at is None:
            record.started_at = min(started_at or now, now)
            record.updated_at = now
        info = _streak(record, now)
        record.longest_days = info.longest_days
    _maybe_purge()
    return info


def record_slip(sender_id: str) -> StreakInfo:
    """Records a slip: the current streak resets to 0 (and restarts now), the longest stays.

    Returns:
        The streak after the slip; ``longest_days`` includes the streak that just ended.
    """
    now = utcnow()
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        streaks = StreakRepository(session)
        record = streaks.lock(user.id)
        ended = _streak(record, now)
        streaks.add_slip(user.id, now, ended.current_days)
        record.longest_days = ended.longest_days
        record.slips = record.slips + 1
        record.started_at = now
        record.updated_at = now
        info = StreakInfo(0, record.longest_days, record.slips, now)
    _maybe_purge()
    return info


# --- cravings and exercises ------------------------------------------------------------


def log_craving(
    sender_id: str, intensity_before: int, tool: str, intensity_after: Optional[int] = None
) -> int:
    """Logs one urge: strength before (0-10), the tool used, strength after (or None).

    Strengths may be ints, floats (as Rasa slots hold them) or numeric strings; they are
    rounded to whole numbers.

    Returns:
        The log entry's id.
    """
    before = _intensity(intensity_before, "intensity_before")
    after = None if intensity_after is None else _intensity(intensity_after, "intensity_after")
    tool = _code(tool, "tool")
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        entry_id = CravingRepository(session).add(user.id, before, tool, after)
    _maybe_purge()
    return entry_id


def best_tool(sender_id: str) -> Optional[Tuple[str, int, int]]:
    """Returns ``(tool, before, after)`` for the tool that lowered the urge most, or None.

    "Most" is the biggest single drop (the newest wins a tie); entries where the urge
    did not go down are never suggested.
    """
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        return CravingRepository(session).best(user.id) if user else None


def record_exercise(sender_id: str, exercise_id: str, helped: Optional[bool] = None) -> None:
    """Records an exercise and, if the person said, whether it helped."""
    exercise_id = _code(exercise_id, "exercise_id")
    if helped is not None and not isinstance(helped, bool):
        raise ValueError("helped must be True, False or None")
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        ExerciseRepository(session).add(user.id, exercise_id, helped)
    _maybe_purge()


def last_exercise(sender_id: str) -> Optional[str]:
    """Returns the id of the person's most recent exercise, or None."""
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        return ExerciseRepository(session).last(user.id) if user else None


# --- vault and reasons -----------------------------------------------------------------


def add_vault_entry(sender_id: str, text: str, revisit_after_hours: float = 24) -> int:
    """Keeps a message the person wrote here instead of sending it; returns its id.

    Args:
        sender_id: Rasa's sender id.
        text: The message, exactly as the person wrote it (kept until deleted).
        revisit_after_hours: When to offer it back ("do you still want to send this?").
    """
    text = _user_text(text)
    if revisit_after_hours < 0:
        raise ValueError("revisit_after_hours must not be negative")
    now = utcnow()
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        entry_id = VaultRepository(session).add(
            user.id, text, now + timedelta(hours=revisit_after_hours)
        )
    _maybe_purge()
    return entry_id


def due_vault_entries(sender_id: str, now: Optional[datetime] = None) -> List[VaultItem]:
    """Returns vault entries whose revisit time has come and that weren't revisited yet."""
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("now must be timezone-aware")
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        if user is None:
            return []
        return [
            VaultItem(entry.id, entry.text, entry.created_at, entry.revisit_after)
            for entry in VaultRepository(session).due(user.id, now)
        ]


def mark_vault_revisited(entry_id: int) -> bool:
    """Marks a vault entry as offered back (it won't be due again); False if unknown."""
    with session_scope() as session:
        return VaultRepository(session).mark_revisited(int(entry_id), utcnow())


def add_reason(sender_id: str, text: str) -> int:
    """Adds a line to the person's own reasons list; returns its id."""
    text = _user_text(text)
    with session_scope() as session:
        user = UserRepository(session).get_or_create(sender_id)
        reason_id = ReasonRepository(session).add(user.id, text)
    _maybe_purge()
    return reason_id


def list_reasons(sender_id: str) -> List[str]:
    """Returns the person's reasons, in the order they wrote them."""
    with session_scope() as session:
        user = UserRepository(session).find(sender_id)
        if user is None:
            return []
        return [reason.text for reason in ReasonRepository(session).all(user.id)]


# --- privacy ---------------------------------------------------------------------------


def export_user(sender_id: str) -> Dict[str, Any]:
    """Returns everything stored for the person as a JSON-serialisable dict.

    Every Harbor row that belongs to them and the whole conversation as Rasa stored it
    (see :func:`bot.store.privacy.export` for the layout).
    """
    return privacy.export(sender_id)


def exports_since(sender_id: str, since: datetime) -> int:
    """How many exports the person was sent since ``since`` (from the stored conversation)."""
    with session_scope() as session:
        return ConversationRepository(session).count_action(
            sender_id, "action_export_my_data", since
        )


def delete_user(sender_id: str) -> bool:
    """Deletes everything stored for the person: Harbor's rows and the conversation.

    One transaction; afterwards the deleted bytes are scrubbed from the database files
    (see :func:`bot.store.privacy.scrub_after_delete`). Returns True when there was
    something to delete.

    From inside a custom action this alone doesn't stick for the conversation: Rasa
    saves the in-memory tracker after the action. Return ``SlotSet("data_deleted",
    True)`` as well, so :class:`bot.store.tracker_store.HarborTrackerStore` erases
    instead of saving (see docs/privacy.md).
    """
    return privacy.erase(sender_id)


def storage_sections() -> List[Tuple[str, List[str]]]:
    """Each kind of data kept, as message keys: a heading and its fields (see privacy)."""
    return privacy.storage_sections()


def retention_setting() -> Optional[int]:
    """The retention in days to tell the person about, or None when it is off."""
    return privacy.retention_setting()


def purge_older_than(days: int) -> Dict[str, int]:
    """Deletes rows and conversation events older than ``days`` days; returns counts."""
    return privacy.purge(days)


def purge_expired() -> Optional[Dict[str, int]]:
    """Applies ``HARBOR_RETENTION_DAYS`` now; returns None when retention is off."""
    days = config.retention_days()
    return purge_older_than(days) if days else None


def _maybe_purge() -> None:
    """Applies retention at most once an hour per process, piggybacking on a write."""
    days = config.retention_days()
    if not days:
        return
    url = config.database_url()
    now = time.monotonic()
    with _purge_lock:
        last = _last_purge.get(url)
        if last is not None and now - last < PURGE_INTERVAL_SECONDS:
            return
        _last_purge[url] = now
    try:
        purge_older_than(days)
    except Exception as error:  # retention must never break the write that triggered it
        logger.warning("Retention purge failed (%s); will retry later", type(error).__name__)
