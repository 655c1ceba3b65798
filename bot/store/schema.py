"""Harbor's schema migrations (Alembic), run on an engine the caller gives.

Taking the engine as an argument keeps this module below :mod:`bot.store.engine` (which
upgrades a fresh database on first use) and :mod:`bot.store.migrate` (the command line):
neither imports the other through here. Rasa's ``events`` table is created by Rasa's
tracker store, never here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from sqlalchemy.engine import Engine

from bot.store.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Keeps Alembic to Harbor's own tables: Rasa's ``events`` is never touched."""
    if type_ == "table":
        return name in Base.metadata.tables
    table = getattr(obj, "table", None)
    return table is None or getattr(table, "name", None) in Base.metadata.tables


def alembic_config(url: str) -> Config:
    """Returns an Alembic config for Harbor's migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats "%" specially; URL-encoded passwords contain it.
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def _run(engine: Engine, action: str, revision: str) -> None:
    cfg = alembic_config(engine.url.render_as_string(hide_password=False))
    # Run on the caller's engine: the same pragmas, and the same in-memory database for
    # "sqlite://" URLs in tests.
    with engine.begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


def upgrade(engine: Engine, revision: str = "head") -> None:
    """Upgrades the schema to ``revision`` (default: the newest)."""
    _run(engine, "upgrade", revision)


def downgrade(engine: Engine, revision: str = "-1") -> None:
    """Downgrades the schema to ``revision`` (``base`` removes Harbor's tables)."""
    _run(engine, "downgrade", revision)


def current(engine: Engine) -> Optional[str]:
    """Returns the database's current revision, or None for an empty database."""
    with engine.connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()
