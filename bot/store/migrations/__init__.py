"""Alembic migrations for Harbor's store (see bot/store/migrate.py)."""
