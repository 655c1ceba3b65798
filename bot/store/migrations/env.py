"""Alembic environment for Harbor's store (online mode only).

The connection normally comes from :mod:`bot.store.schema` (Harbor's own engine); when
Alembic's CLI is used directly it falls back to ``DATABASE_URL``.
"""

from alembic import context
from sqlalchemy import text

from bot.store import config as store_config
from bot.store.engine import get_engine
from bot.store.models import Base
from bot.store.schema import include_object

# Any fixed number: serialises concurrent upgrades on PostgreSQL (Rasa server and
# action server starting together).
_PG_MIGRATION_LOCK = 7_243_901


def run_migrations(connection) -> None:  # noqa: ANN001
    """Configures the context on ``connection`` and runs the migrations."""
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        include_object=include_object,
        render_as_batch=connection.dialect.name == "sqlite",
        compare_type=True,
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_MIGRATION_LOCK}
            )
        context.run_migrations()


def run_migrations_online() -> None:
    """Runs the migrations on the given connection, or on DATABASE_URL's engine."""
    connection = context.config.attributes.get("connection")
    if connection is not None:
        run_migrations(connection)
        return
    url = context.config.get_main_option("sqlalchemy.url") or store_config.database_url()
    with get_engine(url).begin() as own_connection:
        run_migrations(own_connection)


if context.is_offline_mode():
    raise SystemExit("Harbor's migrations run online only: python -m bot.store.migrate upgrade")
run_migrations_online()
