"""Schema migrations (Alembic), as functions and as a command line.

    python -m bot.store.migrate upgrade [REVISION]     # default: head
    python -m bot.store.migrate downgrade [REVISION]   # default: one step back (-1)
    python -m bot.store.migrate current
    python -m bot.store.migrate purge                  # apply HARBOR_RETENTION_DAYS now
    python -m bot.store.migrate rotate-keys            # re-encrypt stored text with the newest key

All of them use ``DATABASE_URL`` (default ``sqlite:///var/harbor.db``) unless ``--url``
is given. Rasa's ``events`` table is created by Rasa's tracker store, not here.
"""

import argparse
import sys
from pathlib import Path
from typing import Any, List, Optional

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext

from bot.store import config
from bot.store.engine import get_engine
from bot.store.models import Base

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"


def include_object(obj: Any, name: str, type_: str, reflected: bool, compare_to: Any) -> bool:
    """Keeps Alembic to Harbor's own tables: Rasa's ``events`` is never touched."""
    if type_ == "table":
        return name in Base.metadata.tables
    table = getattr(obj, "table", None)
    return table is None or getattr(table, "name", None) in Base.metadata.tables


def alembic_config(url: Optional[str] = None) -> Config:
    """Returns an Alembic config for Harbor's migrations and the given database."""
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser treats "%" specially; URL-encoded passwords contain it.
    cfg.set_main_option("sqlalchemy.url", (url or config.database_url()).replace("%", "%%"))
    return cfg


def _run(action: str, revision: str, url: Optional[str]) -> None:
    url = url or config.database_url()
    cfg = alembic_config(url)
    # Run on Harbor's own engine: the same pragmas, and the same in-memory database
    # for "sqlite://" URLs in tests.
    with get_engine(url).begin() as connection:
        cfg.attributes["connection"] = connection
        getattr(command, action)(cfg, revision)


def upgrade(revision: str = "head", url: Optional[str] = None) -> None:
    """Upgrades the schema to ``revision`` (default: the newest)."""
    _run("upgrade", revision, url)


def downgrade(revision: str = "-1", url: Optional[str] = None) -> None:
    """Downgrades the schema to ``revision`` (``base`` removes Harbor's tables)."""
    _run("downgrade", revision, url)


def current(url: Optional[str] = None) -> Optional[str]:
    """Returns the database's current revision, or None for an empty database."""
    with get_engine(url or config.database_url()).connect() as connection:
        return MigrationContext.configure(connection).get_current_revision()


def main(argv: Optional[List[str]] = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(
        prog="python -m bot.store.migrate",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--url", help="database URL (default: $DATABASE_URL)")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("upgrade").add_argument("revision", nargs="?", default="head")
    sub.add_parser("downgrade").add_argument("revision", nargs="?", default="-1")
    sub.add_parser("current")
    sub.add_parser("purge")
    sub.add_parser("rotate-keys")
    args = parser.parse_args(argv)

    if args.command == "upgrade":
        upgrade(args.revision, url=args.url)
        print(f"database at {current(args.url)}")
    elif args.command == "downgrade":
        downgrade(args.revision, url=args.url)
        print(f"database at {current(args.url) or 'base'}")
    elif args.command == "current":
        print(current(args.url) or "base (empty)")
    elif args.command == "rotate-keys":
        from bot.store import privacy

        counts = privacy.rotate_keys(url=args.url or config.database_url())
        print(f"re-encrypted with the newest key: {counts}")
    else:
        from bot.store import privacy

        days = config.retention_days()
        if days is None:
            print("HARBOR_RETENTION_DAYS is off: nothing to purge")
        else:
            counts = privacy.purge(days, url=args.url or config.database_url())
            print(f"removed what was older than {days} days: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
