"""Store settings come from the environment, with safe local defaults."""

from __future__ import annotations

import pytest

from bot.store import config


def test_default_is_a_sqlite_file_under_var(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert config.database_url() == "sqlite:///var/harbor.db"


def test_heroku_style_postgres_url_is_normalised(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@db:5432/harbor")
    assert config.database_url() == "postgresql://u:p@db:5432/harbor"


def test_retention_is_on_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARBOR_RETENTION_DAYS", raising=False)
    assert config.retention_days() == 90
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "")
    assert config.retention_days() == 90


@pytest.mark.parametrize("value", ["0", "off", "none"])
def test_retention_can_be_turned_off(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", value)
    assert config.retention_days() is None


def test_retention_days_are_read(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "30")
    assert config.retention_days() == 30


def test_negative_retention_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "-3")
    with pytest.raises(ValueError):
        config.retention_days()


def test_unknown_vacuum_mode_falls_back_to_plain(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_PG_VACUUM", "sometimes")
    assert config.postgres_vacuum_mode() == "plain"
