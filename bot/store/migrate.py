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
from typing import List, Optional

from bot.store import config, privacy, schema
from bot.store.engine import get_engine


def upgrade(revision: str = "head", url: Optional[str] = None) -> None:
    """Upgrades the schema of ``url`` (default: ``DATABASE_URL``) to ``revision``."""
    schema.upgrade(get_engine(url or config.database_url()), revision)


def downgrade(revision: str = "-1", url: Optional[str] = None) -> None:
    """Downgrades the schema to ``revision`` (``base`` removes Harbor's tables)."""
    schema.downgrade(get_engine(url or config.database_url()), revision)


def current(url: Optional[str] = None) -> Optional[str]:
    """Returns the database's current revision, or None for an empty database."""
    return schema.current(get_engine(url or config.database_url()))


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
        counts = privacy.rotate_keys(url=args.url or config.database_url())
        print(f"re-encrypted with the newest key: {counts}")
    else:
        days = config.retention_days()
        if days is None:
            print("HARBOR_RETENTION_DAYS is off: nothing to purge")
        else:
            counts = privacy.purge(days, url=args.url or config.database_url())
            print(f"removed what was older than {days} days: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
