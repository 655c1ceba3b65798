"""The schema keeps what the issue asks for, explains every column, and keeps message text
only where the person deliberately stored it."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import Text

from bot.store.models import Base, EncryptedText, UTCDateTime, rasa_events


def all_columns():
    for table in Base.metadata.tables.values():
        for column in table.columns:
            yield table, column


@pytest.mark.parametrize(
    ("table", "column"),
    [(t, c) for t, c in all_columns()],
    ids=[f"{t.name}.{c.name}" for t, c in all_columns()],
)
def test_every_column_is_described_or_marked_internal(table, column) -> None:
    assert column.info.get("shown") or column.info.get("internal"), (
        f"{table.name}.{column.name} needs info=SHOWN (named to users when they ask what "
        "Harbor stores, in the words of storage.<table>.<column> in messages.yml) or "
        "info=INTERNAL"
    )


def test_every_table_is_shown_in_the_privacy_answer() -> None:
    for table in Base.metadata.tables.values():
        assert table.info.get("shown"), table.name


def test_free_text_is_kept_only_in_the_vault_and_the_reasons_list() -> None:
    text_columns = {
        f"{table.name}.{column.name}"
        for table, column in all_columns()
        if isinstance(column.type, (Text, EncryptedText))
    }
    assert text_columns == {"vault_entries.text", "reasons.text"}


def test_every_free_text_column_is_encrypted_at_rest() -> None:
    for table, column in all_columns():
        if isinstance(column.type, (Text, EncryptedText)):
            assert isinstance(column.type, EncryptedText), f"{table.name}.{column.name}"


def test_the_issue_model_is_all_there() -> None:
    columns = {f"{t.name}.{c.name}" for t, c in all_columns()}
    assert {
        "users.channel",
        "users.channel_user_id",
        "users.id",
        "users.country",
        "users.timezone",
        "users.created_at",
        "no_contact.started_at",
        "no_contact.longest_days",
        "slips.slipped_at",
        "cravings.logged_at",
        "cravings.intensity_before",
        "cravings.tool",
        "cravings.intensity_after",
        "vault_entries.text",
        "vault_entries.created_at",
        "vault_entries.revisit_after",
        "exercise_log.exercise_id",
        "exercise_log.helped",
    } <= columns


def test_other_tables_refer_to_the_pseudonymous_id_not_the_channel_id() -> None:
    for table in Base.metadata.tables.values():
        if table.name == "users":
            continue
        assert "channel_user_id" not in table.columns
        assert [fk.column.name for fk in table.foreign_keys] == ["id"]


def test_rasa_events_are_not_part_of_harbors_migrations() -> None:
    assert rasa_events.name not in Base.metadata.tables


def test_times_come_back_as_aware_utc_and_naive_times_are_refused() -> None:
    kind = UTCDateTime()
    paris = timezone(timedelta(hours=2))
    stored = kind.process_bind_param(datetime(2024, 5, 1, 12, 0, tzinfo=paris), None)
    assert stored == datetime(2024, 5, 1, 10, 0)
    assert kind.process_result_value(stored, None).tzinfo == timezone.utc
    with pytest.raises(ValueError):
        kind.process_bind_param(datetime(2024, 5, 1, 12, 0), None)
