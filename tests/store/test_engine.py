"""Engines are lazy and cached; SQLite connections get the pragmas privacy relies on;
a database that is down becomes one exception type, StoreUnavailable."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from bot.store import StoreUnavailable, engine, service
from bot.store.models import User

ROOT = Path(__file__).resolve().parents[2]


def closed_port_url() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"postgresql://postgres@127.0.0.1:{port}/test"


def test_importing_the_store_creates_no_engine_and_no_file(tmp_path: Path) -> None:
    code = (
        "import bot.store.service, bot.store.tracker_store, actions.privacy\n"
        "from bot.store import engine\n"
        "assert engine._engines == {}, engine._engines\n"
    )
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{tmp_path / 'x' / 'harbor.db'}")
    env["PYTHONPATH"] = str(ROOT)
    subprocess.run([sys.executable, "-c", code], check=True, env=env, cwd=tmp_path)
    assert not (tmp_path / "x").exists()


def test_engine_is_cached_per_url(sqlite_memory_url: str, tmp_path: Path) -> None:
    assert engine.get_engine() is engine.get_engine(sqlite_memory_url)
    assert engine.get_engine(f"sqlite:///{tmp_path / 'other.db'}") is not engine.get_engine()


def test_default_sqlite_file_is_created_under_var_of_the_working_directory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DATABASE_URL", raising=False)
    service.set_country("web-1", "IE")
    assert (tmp_path / "var" / "harbor.db").is_file()
    assert service.get_country("web-1") == "IE"


def test_sqlite_connections_overwrite_deleted_content(sqlite_file_url: str) -> None:
    with engine.get_engine().connect() as connection:
        assert connection.execute(text("PRAGMA secure_delete")).scalar() == 1
        assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_session_scope_rolls_back_everything_on_error(sqlite_memory_url: str) -> None:
    with pytest.raises(RuntimeError):
        with engine.session_scope() as session:
            session.add(User(channel="web", channel_user_id="rolled-back"))
            session.flush()
            raise RuntimeError("boom")
    assert service.get_country("rolled-back") is None
    service.set_country("kept", "FR")
    assert service.get_country("kept") == "FR"


@pytest.mark.timeout(60)
def test_unreachable_database_raises_store_unavailable(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("DATABASE_URL", closed_port_url())
    with caplog.at_level(logging.INFO):
        with pytest.raises(StoreUnavailable):
            service.add_vault_entry("telegram:99", "please don't log this sentence")
        with pytest.raises(StoreUnavailable):
            service.get_streak("telegram:99")
    assert "please don't log this sentence" not in caplog.text
    assert "telegram:99" not in caplog.text


@pytest.mark.timeout(60)
def test_after_a_failure_callers_are_told_at_once_until_the_retry_window_ends(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    url = closed_port_url()
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("HARBOR_DB_RETRY_SECONDS", "3600")
    with pytest.raises(StoreUnavailable):
        service.get_country("web-2")
    with pytest.raises(StoreUnavailable, match="recent failure"):
        engine.check_available(url)
    engine.report_success(url)
    engine.check_available(url)  # the window is closed again


def test_sql_errors_never_carry_user_text(sqlite_memory_url: str) -> None:
    secret = "the words I wrote at 2am"
    with pytest.raises(StoreUnavailable) as caught:
        with engine.session_scope() as session:
            session.execute(text("INSERT INTO no_such_table VALUES (:x)"), {"x": secret})
    assert secret not in str(caught.value)
    assert secret not in str(caught.value.__cause__)


def test_a_new_sqlite_database_and_its_folder_are_private(tmp_path, monkeypatch) -> None:
    """Only the server's own user may read the conversations (0600 file, 0700 folder)."""
    import stat as stat_module

    from sqlalchemy import text as sql

    from bot.store import service
    from bot.store.engine import dispose_engines

    folder = tmp_path / "var"
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{folder / 'harbor.db'}")
    dispose_engines()
    service.add_reason("web-modes", "a private reason")
    with engine.get_engine().begin() as connection:  # a write: SQLite makes its journal
        connection.execute(sql("CREATE TABLE IF NOT EXISTS t (x INTEGER)"))
    mode = lambda p: stat_module.S_IMODE(p.stat().st_mode)  # noqa: E731
    assert mode(folder) == 0o700
    assert mode(folder / "harbor.db") == 0o600
    assert mode(folder / "harbor.db-wal") == 0o600, "the write-ahead log is as private"
    dispose_engines()


def test_a_file_database_commits_through_the_write_ahead_log(sqlite_file_url: str) -> None:
    from bot.store.engine import dispose_engines

    service.add_reason("web-wal", "a reason")
    with engine.get_engine().connect() as connection:
        assert connection.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert connection.exec_driver_sql("PRAGMA synchronous").scalar() == 1  # NORMAL
    assert service.list_reasons("web-wal") == ["a reason"]
    dispose_engines()


def test_an_existing_world_readable_database_is_tightened(tmp_path, monkeypatch) -> None:
    import stat as stat_module

    from bot.store.engine import dispose_engines

    database = tmp_path / "old.db"
    database.touch(mode=0o644)
    database.chmod(0o644)
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{database}")
    dispose_engines()
    engine.get_engine()
    assert stat_module.S_IMODE(database.stat().st_mode) == 0o600
    dispose_engines()


def test_var_and_its_secrets_are_private(tmp_path, monkeypatch) -> None:
    import stat as stat_module

    from bot.security import keys

    monkeypatch.setenv("HARBOR_VAR_DIR", str(tmp_path / "var"))
    for name in ("HARBOR_API_TOKEN", "HARBOR_ACTION_SECRET", "HARBOR_SESSION_SECRET"):
        monkeypatch.delenv(name, raising=False)
    token = keys.api_token()
    assert len(token) >= 40 and keys.api_token() == token, "made once, then kept"
    assert keys.action_secret() != token and keys.session_secret() != token.encode()
    assert stat_module.S_IMODE((tmp_path / "var").stat().st_mode) == 0o700
    for name in ("api-token", "action-secret", "session-secret"):
        assert stat_module.S_IMODE((tmp_path / "var" / name).stat().st_mode) == 0o600, name
    monkeypatch.setenv("HARBOR_API_TOKEN", "from-the-secret-store")
    assert keys.api_token() == "from-the-secret-store"
