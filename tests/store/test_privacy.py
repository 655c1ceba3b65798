"""What Harbor says it stores matches the schema (the words: tests/actions/test_privacy.py);
deletion leaves no readable trace in a SQLite file; PostgreSQL tables are vacuumed after a
deletion."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.store import privacy, service
from bot.store.engine import get_engine
from bot.store.models import Base

SECRET = "I would give anything to hear your voice tonight 7f3a"


def test_the_sections_name_every_kind_of_data_and_every_shown_field() -> None:
    sections = dict(privacy.storage_sections())
    for table in Base.metadata.tables.values():
        fields = sections[f"storage.{table.name}"]
        shown = [c.name for c in table.columns if c.info.get("shown")]
        assert fields == [f"storage.{table.name}.{name}" for name in shown]
    assert sections["storage.events"] == ["storage.events.all"], "the conversation is named"


def test_a_mistyped_retention_is_not_an_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "ninety")
    assert service.retention_setting() is None
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "30")
    assert service.retention_setting() == 30


def test_bytes_check_would_find_text_deleted_without_secure_delete(tmp_path: Path) -> None:
    """Control: a plain SQLite delete leaves the text in the file, so the check below bites."""
    path = tmp_path / "plain.db"
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA secure_delete = OFF")
    connection.execute("CREATE TABLE t (x TEXT)")
    connection.executemany("INSERT INTO t VALUES (?)", [(SECRET,), ("other row",)])
    connection.commit()
    connection.execute("DELETE FROM t WHERE x = ?", (SECRET,))
    connection.commit()
    connection.close()
    assert SECRET.encode() in path.read_bytes()


def stored_vault_text(person: str) -> bytes:
    """The vault text of ``person`` exactly as the database holds it (encrypted)."""
    with get_engine().connect() as connection:
        value = connection.execute(
            text(
                "SELECT v.text FROM vault_entries v JOIN users u ON u.id = v.user_id "
                "WHERE u.channel_user_id = :person"
            ),
            {"person": person},
        ).scalar_one()
    return value.encode()


def test_stored_text_is_encrypted_in_the_sqlite_file(sqlite_file_url: str) -> None:
    path = Path(sqlite_file_url.removeprefix("sqlite:///"))
    service.add_vault_entry("web-v", SECRET)
    service.add_reason("web-v", SECRET + " reason")
    assert service.list_reasons("web-v") == [SECRET + " reason"], "read back as written"
    get_engine().dispose()
    data = path.read_bytes()
    assert stored_vault_text("web-v") in data, "the check reads the right bytes"
    assert SECRET.encode() not in data
    assert b"anything to hear" not in data


def test_stored_text_cannot_be_read_without_the_key(
    sqlite_file_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bot.security import crypto

    service.add_vault_entry("web-k", SECRET)
    monkeypatch.setenv("HARBOR_DATA_KEYS", crypto.new_key())  # a copy without our key
    with pytest.raises(crypto.UnreadableText):
        crypto.decrypt(stored_vault_text("web-k").decode())


def test_deleted_vault_text_is_gone_from_the_sqlite_file(sqlite_file_url: str) -> None:
    path = Path(sqlite_file_url.removeprefix("sqlite:///"))
    service.add_vault_entry("web-v", SECRET)
    service.add_reason("web-v", SECRET + " reason")
    service.add_vault_entry("web-w", "someone else's entry stays")
    deleted, kept = stored_vault_text("web-v"), stored_vault_text("web-w")
    get_engine().dispose()  # make sure everything is on disk
    assert deleted in path.read_bytes()

    assert service.delete_user("web-v")
    get_engine().dispose()
    data = path.read_bytes()
    assert deleted not in data
    assert kept in data


def test_deleted_text_is_gone_from_the_write_ahead_log_while_harbor_runs(
    sqlite_file_url: str,
) -> None:
    path = Path(sqlite_file_url.removeprefix("sqlite:///"))
    service.add_vault_entry("web-v", SECRET)
    service.add_vault_entry("web-w", "someone else's entry stays")
    deleted = stored_vault_text("web-v")
    wal = path.with_name(path.name + "-wal")
    assert deleted in wal.read_bytes() + path.read_bytes(), "the check reads the right bytes"

    assert service.delete_user("web-v")  # the engine stays open, as in a running server
    for file in (path, wal):
        assert deleted not in file.read_bytes(), file.name
    assert stored_vault_text("web-w"), "the other person's entry stays"


@pytest.mark.postgres
def test_postgres_tables_are_vacuumed_after_a_deletion(postgres_url: str) -> None:
    service.add_vault_entry("web-pg", SECRET)

    def vacuums() -> int:
        with get_engine().connect() as connection:
            connection.execute(text("SELECT pg_stat_clear_snapshot()"))
            return connection.execute(
                text(
                    "SELECT vacuum_count FROM pg_stat_user_tables "
                    "WHERE relname = 'vault_entries' AND schemaname = current_schema()"
                )
            ).scalar()

    before = vacuums()
    assert service.delete_user("web-pg")
    assert vacuums() > before


@pytest.mark.postgres
def test_vacuum_full_leaves_no_trace_in_the_postgres_table_file(
    postgres_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_PG_VACUUM", "full")
    service.add_vault_entry("web-pg", SECRET)
    service.add_vault_entry("web-pg-2", "stays here")
    deleted, kept = stored_vault_text("web-pg"), stored_vault_text("web-pg-2")
    assert service.delete_user("web-pg")
    # Reading the table's file needs a superuser, as on the CI machine (trust auth).
    admin = create_engine(postgres_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CHECKPOINT"))
        path = connection.execute(text("SELECT pg_relation_filepath('vault_entries')")).scalar()
        data = connection.execute(text("SELECT pg_read_binary_file(:p)"), {"p": path}).scalar()
    admin.dispose()
    assert kept in bytes(data)
    assert deleted not in bytes(data)
    assert SECRET.encode() not in bytes(data) and b"stays here" not in bytes(data)


def test_keys_rotate_without_losing_a_word(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """docs/security.md: new key first, rotate-keys, drop the old key: everything still reads."""
    from bot.security import crypto

    old, new = crypto.new_key(), crypto.new_key()
    monkeypatch.setenv("HARBOR_DATA_KEYS", old)
    service.add_vault_entry("web-rot", SECRET)
    service.add_reason("web-rot", "a reason")
    monkeypatch.setenv("HARBOR_DATA_KEYS", f"{new},{old}")
    assert service.list_reasons("web-rot") == ["a reason"], "both keys read during the change"
    counts = privacy.rotate_keys()
    assert counts["vault_entries"] == 1 and counts["reasons"] == 1
    monkeypatch.setenv("HARBOR_DATA_KEYS", new)  # the old key is gone
    assert service.list_reasons("web-rot") == ["a reason"]
    assert service.export_user("web-rot")["vault_entries"][0]["text"] == SECRET
    assert privacy.rotate_keys()["reasons"] == 0, "nothing left under an old key"
