"""Migrations: empty → head → base on SQLite and PostgreSQL, models and migrations agree,
Rasa's table is left alone, and the command line the Makefile calls works."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect, select

from bot.store import migrate, schema
from bot.store.engine import get_engine
from bot.store.models import RASA_METADATA, Base
from bot.store.schema import include_object

ROOT = Path(__file__).resolve().parents[2]
HARBOR_TABLES = set(Base.metadata.tables)
# The newest revision (one head: a second head after a merge fails here).
HEAD = ScriptDirectory.from_config(schema.alembic_config("sqlite://")).get_current_head()


def table_names() -> set:
    with get_engine().connect() as connection:
        return set(inspect(connection).get_table_names())


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def empty_db(request: pytest.FixtureRequest) -> str:
    """An empty SQLite file, or an empty PostgreSQL schema."""
    name = "sqlite_file_url" if request.param == "sqlite" else "postgres_url"
    return request.getfixturevalue(name)


def test_upgrade_from_empty_to_head_and_back_to_base(empty_db: str) -> None:
    assert migrate.current() is None
    assert not HARBOR_TABLES & table_names()

    migrate.upgrade()
    assert migrate.current() == HEAD
    assert HARBOR_TABLES <= table_names()

    # Rasa creates its own table next to ours; Harbor's migrations must not touch it.
    RASA_METADATA.create_all(get_engine())
    migrate.downgrade("base")
    assert migrate.current() is None
    assert not HARBOR_TABLES & table_names()
    assert "events" in table_names()

    migrate.upgrade()  # and up again: downgrades leave nothing behind that breaks it
    assert migrate.current() == HEAD


def test_the_migrations_build_exactly_the_models(empty_db: str) -> None:
    migrate.upgrade()
    RASA_METADATA.create_all(get_engine())
    with get_engine().connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"include_object": include_object, "compare_type": True}
        )
        assert compare_metadata(context, Base.metadata) == []


def test_upgrade_twice_is_harmless(sqlite_file_url: str) -> None:
    migrate.upgrade()
    migrate.upgrade()
    assert migrate.current() == HEAD


def test_command_line(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'cli' / 'harbor.db'}"

    def run(*args: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bot.store.migrate", "--url", url, *args],
            cwd=ROOT,
            env={**os.environ, "HARBOR_RETENTION_DAYS": "off"},
            capture_output=True,
            text=True,
            check=True,
        )
        return result.stdout.strip()

    assert run("current") == "base (empty)"
    assert run("upgrade") == f"database at {HEAD}"
    assert run("current") == HEAD
    assert run("downgrade", "base") == "database at base"
    assert "nothing to purge" in run("purge")



def test_purge_from_the_command_line_applies_retention(empty_db: str) -> None:
    """``migrate purge`` (for cron) with HARBOR_RETENTION_DAYS=30, on SQLite and PostgreSQL.

    What is older than 30 days goes (a message, a reason, a person not seen since); what is
    newer stays, also for the same person.
    """
    import json
    from datetime import datetime, timedelta, timezone

    from sqlalchemy import insert, update

    from bot.security import crypto
    from bot.store import service
    from bot.store.engine import session_scope
    from bot.store.models import Reason, User, rasa_events
    from bot.store.repositories import UserRepository

    migrate.upgrade()
    RASA_METADATA.create_all(get_engine())
    now = datetime.now(timezone.utc)
    service.add_reason("web-cli", "a reason written today")
    service.add_reason("web-cli", "a reason from last winter")
    service.add_reason("web-away", "written by someone who left")
    with session_scope() as session:
        session.execute(
            update(Reason)
            .where(Reason.id == service_reason_id(session, "a reason from last winter"))
            .values(created_at=now - timedelta(days=45))
        )
        session.execute(
            update(User)
            .where(User.id == UserRepository(session).find("web-away").id)
            .values(last_seen_at=now - timedelta(days=31))
        )
        said = ((40, "said forty days ago"), (29, "said 29 days ago"), (1, "said yesterday"))
        for age, words in said:
            ts = (now - timedelta(days=age)).timestamp()
            data = crypto.encrypt(json.dumps({"event": "user", "timestamp": ts, "text": words}))
            session.execute(
                insert(rasa_events).values(
                    sender_id="web-cli", type_name="user", timestamp=ts, data=data
                )
            )
    get_engine().dispose()
    result = subprocess.run(
        [sys.executable, "-m", "bot.store.migrate", "--url", empty_db, "purge"],
        cwd=ROOT,
        env={**os.environ, "HARBOR_RETENTION_DAYS": "30"},
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "older than 30 days" in result.stdout
    assert service.list_reasons("web-cli") == ["a reason written today"]
    said = [e["text"] for e in service.export_user("web-cli")["conversation"]]
    assert said == ["said 29 days ago", "said yesterday"]
    assert service.list_reasons("web-away") == []
    with session_scope() as session:
        people = UserRepository(session)
        assert people.find("web-away") is None
        assert people.find("web-cli") is not None


def service_reason_id(session: Any, text: str) -> int:
    """The id of the reason with ``text`` (stored encrypted, so found by reading them all)."""
    from bot.store.models import Reason

    return next(r.id for r in session.execute(select(Reason)).scalars() if r.text == text)
