"""Throw-away databases for benchmarks and scale/fault tests.

A run gets its own PostgreSQL database (created here, dropped afterwards), so it never
touches the database other tests or a developer use; SQLite runs get a fresh file.
"""

from __future__ import annotations

import re
import subprocess
import sys
import uuid
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit, urlunsplit

from bench.procs import ROOT, quiet_env

_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` instead."""
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


def unique_name(prefix: str) -> str:
    """A fresh database name such as ``harbor_bench_3f2a9c1d``."""
    return f"{prefix}_{uuid.uuid4().hex[:8]}"


def _admin_connection(server_url: str):
    import psycopg2  # only PostgreSQL runs need it

    parts = urlsplit(with_database(server_url, "postgres"))
    connection = psycopg2.connect(
        host=parts.hostname or "127.0.0.1",
        port=parts.port or 5432,
        user=parts.username or "postgres",
        password=parts.password,
        dbname="postgres",
        connect_timeout=5,
    )
    connection.autocommit = True
    return connection


# FORCE closes whatever still holds the database open (a server a test left running).
_DROP = 'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'


def create_postgres(server_url: str, name: str) -> str:
    """Creates (or re-creates) database ``name`` on the server of ``server_url``.

    Returns the SQLAlchemy URL of the new database.
    """
    _admin(server_url, name, _DROP, 'CREATE DATABASE "{name}"')
    return with_database(server_url, name)


def drop_postgres(server_url: str, name: str) -> None:
    """Drops database ``name``, closing whatever still holds it open."""
    _admin(server_url, name, _DROP)


def _admin(server_url: str, name: str, *statements: str) -> None:
    """Runs ``statements`` (``{name}`` filled in, after checking it is a safe name)."""
    if not _NAME.match(name):
        raise ValueError(f"unsafe database name {name!r}")
    connection = _admin_connection(server_url)
    try:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement.format(name=name))
    finally:
        connection.close()


def postgres_reachable(server_url: str) -> Optional[str]:
    """None when the server answers, else a sentence saying why not."""
    try:
        _admin_connection(server_url).close()
    except Exception as error:  # noqa: BLE001 (any failure means "not usable")
        return f"{type(error).__name__}: {str(error).strip().splitlines()[0]}"
    return None


def sqlite_url(folder: Path) -> str:
    """A fresh SQLite database file in ``folder``."""
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"harbor-{uuid.uuid4().hex[:8]}.db"
    return f"sqlite:///{path}"


def migrate(database_url: str) -> Optional[str]:
    """Brings Harbor's schema up to date in ``database_url``.

    Returns None on success (or when the store has no migrations yet), else the error text.
    """
    try:
        import bot.store.migrate  # noqa: F401
    except ImportError:
        return None
    result = subprocess.run(
        [sys.executable, "-m", "bot.store.migrate", "upgrade"],
        cwd=ROOT,
        env=quiet_env(DATABASE_URL=database_url),
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        return (result.stderr or result.stdout).strip()[-2000:]
    return None
