"""Databases for the store tests: SQLite in memory, a SQLite file, and a real PostgreSQL.

PostgreSQL comes from ``HARBOR_TEST_POSTGRES_URL`` (``.ci/run`` sets it; without it those
tests skip, and a CI run with skips fails). Each PostgreSQL test gets its own schema,
dropped afterwards, so tests never see each other's rows.
"""

from __future__ import annotations

import os
import uuid
from typing import Iterator

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bot.store import engine

PG_ENV = "HARBOR_TEST_POSTGRES_URL"


@pytest.fixture(autouse=True)
def _isolated_store(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every test starts with no cached engines and no retention or outage window."""
    monkeypatch.delenv("HARBOR_RETENTION_DAYS", raising=False)
    monkeypatch.setenv("HARBOR_DB_RETRY_SECONDS", "0")
    monkeypatch.setenv("HARBOR_DB_CONNECT_TIMEOUT", "2")
    engine.dispose_engines()
    yield
    engine.dispose_engines()


@pytest.fixture
def sqlite_memory_url(monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL set to a private in-memory SQLite database."""
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    return "sqlite://"


@pytest.fixture
def sqlite_file_url(tmp_path, monkeypatch: pytest.MonkeyPatch) -> str:
    """DATABASE_URL set to a fresh SQLite file."""
    url = f"sqlite:///{tmp_path / 'harbor.db'}"
    monkeypatch.setenv("DATABASE_URL", url)
    return url


def postgres_base_url() -> str:
    """The test server's URL, or a skip naming the variable to set."""
    url = os.environ.get(PG_ENV, "").strip()
    if not url:
        pytest.skip(f"{PG_ENV} is not set: PostgreSQL tests need a server (.ci/run sets it)")
    return url


@pytest.fixture
def postgres_url(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """DATABASE_URL set to a throwaway schema on the real PostgreSQL test server."""
    base = postgres_base_url()
    schema = f"harbor_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = (
        make_url(base)
        .update_query_dict({"options": f"-csearch_path={schema}"})
        .render_as_string(hide_password=False)
    )
    monkeypatch.setenv("DATABASE_URL", url)
    yield url
    engine.dispose_engines()
    with admin.connect() as connection:
        connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
    admin.dispose()


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest) -> str:
    """Each test using this runs twice: on SQLite in memory and on PostgreSQL."""
    if request.param == "sqlite":
        return request.getfixturevalue("sqlite_memory_url")
    return request.getfixturevalue("postgres_url")
