"""The repository layer on SQLite in memory and on a real PostgreSQL."""

from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, insert, select

from bot.store.engine import get_engine, session_scope
from bot.store.models import RASA_METADATA, Craving, NoContact, User, rasa_events, utcnow
from bot.store.repositories import (
    ConversationRepository,
    CravingRepository,
    ExerciseRepository,
    ReasonRepository,
    RetentionRepository,
    StreakRepository,
    UserRepository,
    VaultRepository,
)

DAY = timedelta(days=1)


def add_events(sender_id: str, *events: tuple) -> None:
    """Writes (type_name, timestamp, text) rows the way Rasa's tracker store does."""
    RASA_METADATA.create_all(get_engine())
    with session_scope() as session:
        for type_name, ts, text in events:
            data = {"event": type_name, "timestamp": ts, "text": text}
            session.execute(
                insert(rasa_events).values(
                    sender_id=sender_id, type_name=type_name, timestamp=ts, data=json.dumps(data)
                )
            )


def test_users_are_found_by_sender_id_and_created_once(store_url: str) -> None:
    with session_scope() as session:
        users = UserRepository(session)
        assert users.find("telegram:7") is None
        first = users.get_or_create("telegram:7")
        again = users.get_or_create("telegram:7")
        assert first.id == again.id
        assert (first.channel, first.channel_user_id) == ("telegram", "7")
        assert len(first.id) == 36  # a uuid, not the Telegram id
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(User)).scalar() == 1


def test_false_alarms_are_counted_in_the_database(store_url: str) -> None:
    with session_scope() as session:
        users = UserRepository(session)
        user = users.get_or_create("web-a")
        assert users.increment_false_alarms(user.id) == 1
        assert users.increment_false_alarms(user.id) == 2


def test_streak_record_is_created_and_locked(store_url: str) -> None:
    with session_scope() as session:
        user = UserRepository(session).get_or_create("web-b")
        record = StreakRepository(session).lock(user.id)
        assert (record.longest_days, record.slips, record.started_at) == (0, 0, None)
        record.slips = 3
    with session_scope() as session:
        user = UserRepository(session).find("web-b")
        assert StreakRepository(session).lock(user.id).slips == 3
        assert session.get(NoContact, user.id).slips == 3


def test_best_craving_is_the_biggest_drop_and_never_a_rise(store_url: str) -> None:
    with session_scope() as session:
        user = UserRepository(session).get_or_create("web-c")
        cravings = CravingRepository(session)
        assert cravings.best(user.id) is None
        cravings.add(user.id, 6, "cold_water", 7)  # went up: never suggested
        cravings.add(user.id, 5, "reasons", None)  # not re-rated
        assert cravings.best(user.id) is None
        cravings.add(user.id, 8, "box_breathing", 4)
        cravings.add(user.id, 9, "urge_surfing", 6)
        assert cravings.best(user.id) == ("box_breathing", 8, 4)
        cravings.add(user.id, 7, "urge_surfing", 3)  # ties at 4: the newest wins
        assert cravings.best(user.id) == ("urge_surfing", 7, 3)


def test_last_exercise(store_url: str) -> None:
    with session_scope() as session:
        user = UserRepository(session).get_or_create("web-d")
        exercises = ExerciseRepository(session)
        assert exercises.last(user.id) is None
        exercises.add(user.id, "box_breathing", True)
        session.flush()
        exercises.add(user.id, "five_senses", None)
        session.flush()
        assert exercises.last(user.id) == "five_senses"


def test_vault_entries_fall_due_once(store_url: str) -> None:
    now = utcnow()
    with session_scope() as session:
        user = UserRepository(session).get_or_create("web-e")
        vault = VaultRepository(session)
        early = vault.add(user.id, "first letter", now - timedelta(hours=1))
        vault.add(user.id, "not yet", now + timedelta(hours=5))
        assert [e.text for e in vault.due(user.id, now)] == ["first letter"]
        assert vault.mark_revisited(early, now)
        assert vault.due(user.id, now) == []
        assert not vault.mark_revisited(10_000, now)


def test_reasons_keep_their_order(store_url: str) -> None:
    with session_scope() as session:
        user = UserRepository(session).get_or_create("web-f")
        reasons = ReasonRepository(session)
        for line in ["he never said sorry", "i sleep better", "my friends missed me"]:
            reasons.add(user.id, line)
        assert [r.text for r in reasons.all(user.id)] == [
            "he never said sorry",
            "i sleep better",
            "my friends missed me",
        ]


def test_deleting_a_user_takes_every_row_of_theirs_and_nobody_elses(store_url: str) -> None:
    with session_scope() as session:
        users = UserRepository(session)
        for sender in ("web-gone", "web-stays"):
            user = users.get_or_create(sender)
            CravingRepository(session).add(user.id, 8, "urge_surfing", 3)
            ReasonRepository(session).add(user.id, f"reason of {sender}")
            StreakRepository(session).lock(user.id)
    with session_scope() as session:
        users = UserRepository(session)
        users.delete(users.find("web-gone"))
    with session_scope() as session:
        assert UserRepository(session).find("web-gone") is None
        assert session.execute(select(func.count()).select_from(Craving)).scalar() == 1
        assert session.execute(select(func.count()).select_from(NoContact)).scalar() == 1
        stays = UserRepository(session).find("web-stays")
        assert [r.text for r in ReasonRepository(session).all(stays.id)] == ["reason of web-stays"]


def test_retention_deletes_old_rows_and_inactive_people(store_url: str) -> None:
    now = utcnow()
    old = now - 40 * DAY
    with session_scope() as session:
        users = UserRepository(session)
        active = users.get_or_create("web-active")
        session.add(Craving(user_id=active.id, logged_at=old, intensity_before=9, tool="x"))
        session.add(Craving(user_id=active.id, logged_at=now, intensity_before=5, tool="y"))
        quiet = users.get_or_create("web-quiet")
        ReasonRepository(session).add(quiet.id, "recent reason of a quiet person")
        session.flush()
        quiet.last_seen_at = old
    with session_scope() as session:
        counts = RetentionRepository(session).purge(now - 30 * DAY)
    assert counts["cravings"] == 1 and counts["users"] == 1
    with session_scope() as session:
        assert UserRepository(session).find("web-quiet") is None
        active = UserRepository(session).find("web-active")
        assert [c.tool for c in CravingRepository(session).all(active.id)] == ["y"]


def test_conversation_events_are_read_and_deleted_per_sender(store_url: str) -> None:
    with session_scope() as session:
        assert ConversationRepository(session).events("nobody") == []  # no table yet
    add_events("web-h", ("user", 1.0, "hello"), ("bot", 2.0, "hi there"))
    add_events("web-i", ("user", 3.0, "someone else"))
    with session_scope() as session:
        conversations = ConversationRepository(session)
        assert [e["text"] for e in conversations.events("web-h")] == ["hello", "hi there"]
        assert conversations.delete("web-h") == 2
        assert conversations.events("web-h") == []
        assert len(conversations.events("web-i")) == 1


def test_event_retention_goes_by_the_age_of_each_event(store_url: str) -> None:
    now = datetime.now(timezone.utc)
    old, recent = (now - 40 * DAY).timestamp(), (now - DAY).timestamp()
    add_events(
        "web-quiet",  # nothing since long before the cutoff: all of it goes
        ("session_started", old, None),
        ("user", old + 1, "old words"),
    )
    add_events(
        "web-long",  # one session that never lapsed: its old messages go all the same
        ("session_started", old, None),
        ("user", old + 3, "live session, old part"),
        ("user", recent, "live session, new part"),
    )
    with session_scope() as session:
        removed = ConversationRepository(session).purge(now - 30 * DAY)
    assert removed == 4
    with session_scope() as session:
        conversations = ConversationRepository(session)
        assert conversations.events("web-quiet") == []
        assert [e["text"] for e in conversations.events("web-long")] == ["live session, new part"]
