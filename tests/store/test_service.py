"""The facade other parts of Harbor call, on SQLite in memory and on a real PostgreSQL."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Callable, List

import pytest
from sqlalchemy import func, select

from bot.store import service
from bot.store.engine import session_scope
from bot.store.models import Slip, utcnow
from bot.store.service import StreakInfo

SENDER = "telegram:555"


def test_unknown_people_get_empty_answers_and_no_row(store_url: str) -> None:
    assert service.get_country("web-new") is None
    assert service.get_timezone("web-new") is None
    assert service.get_streak("web-new") == StreakInfo(0, 0, 0, None)
    assert service.best_tool("web-new") is None
    assert service.last_exercise("web-new") is None
    assert service.due_vault_entries("web-new") == []
    assert service.list_reasons("web-new") == []
    assert service.export_user("web-new")["profile"] is None


def test_country_and_timezone_are_remembered(store_url: str) -> None:
    service.set_country(SENDER, "gb")
    service.set_timezone(SENDER, "Europe/London")
    assert service.get_country(SENDER) == "GB"
    assert service.get_timezone(SENDER) == "Europe/London"
    service.set_country(SENDER, "IE")  # changeable ("I'm in Ireland now")
    assert service.get_country(SENDER) == "IE"


def test_channels_are_told_apart(store_url: str) -> None:
    service.set_country("telegram:1", "US")
    service.set_country("1", "FR")
    assert service.get_country("telegram:1") == "US"
    assert service.get_country("1") == "FR"


@pytest.mark.parametrize("bad", ["", "Mars/Olympus", "../../etc/passwd"])
def test_unknown_timezones_are_refused(store_url: str, bad: str) -> None:
    with pytest.raises(ValueError):
        service.set_timezone(SENDER, bad)


def test_false_alarms_are_a_count(store_url: str) -> None:
    assert service.record_false_alarm(SENDER) == 1
    assert service.record_false_alarm(SENDER) == 2
    assert service.export_user(SENDER)["profile"]["false_alarms"] == 2


def test_streak_slip_keeps_the_longest(store_url: str) -> None:
    twelve_days_ago = utcnow() - timedelta(days=12, hours=1)
    started = service.start_no_contact(SENDER, started_at=twelve_days_ago)
    assert (started.current_days, started.longest_days) == (12, 12)
    assert service.start_no_contact(SENDER).current_days == 12  # a running streak is kept

    after = service.record_slip(SENDER)
    assert (after.current_days, after.longest_days, after.slips) == (0, 12, 1)
    assert service.get_streak(SENDER) == after

    export = service.export_user(SENDER)
    assert export["slips"][0]["streak_days"] == 12


def test_slip_without_a_streak_counts_too(store_url: str) -> None:
    info = service.record_slip("web-slip")
    assert (info.current_days, info.longest_days, info.slips) == (0, 0, 1)
    assert info.started_at is not None  # no contact starts again from now


def test_cravings_remember_what_helped_most(store_url: str) -> None:
    service.log_craving(SENDER, 8, "box_breathing", 4)
    service.log_craving(SENDER, 9, "urge_surfing", 8)
    service.log_craving(SENDER, 7, "vault", None)
    assert service.best_tool(SENDER) == ("box_breathing", 8, 4)


@pytest.mark.parametrize(
    "args",
    [
        (11, "urge_surfing", 3),
        (-1, "urge_surfing", 3),
        (5, "", 3),
        (5, "x", 12),
        ("eight", "urge_surfing", 3),
        (True, "urge_surfing", 3),
        (float("nan"), "urge_surfing", 3),
    ],
)
def test_craving_values_are_checked(store_url: str, args: tuple) -> None:
    with pytest.raises(ValueError):
        service.log_craving(SENDER, *args)


def test_slot_floats_and_numeric_text_are_accepted(store_url: str) -> None:
    service.log_craving(SENDER, 8.0, "urge_surfing", "4")
    assert service.best_tool(SENDER) == ("urge_surfing", 8, 4)


def test_last_exercise(store_url: str) -> None:
    service.record_exercise(SENDER, "box_breathing", helped=True)
    service.record_exercise(SENDER, "butterfly_hug", None)
    assert service.last_exercise(SENDER) == "butterfly_hug"
    records = service.export_user(SENDER)["exercise_log"]
    assert [(r["exercise_id"], r["helped"]) for r in records] == [
        ("box_breathing", True),
        ("butterfly_hug", None),
    ]


def test_vault_offers_an_entry_back_after_its_time(store_url: str) -> None:
    entry_id = service.add_vault_entry(SENDER, "I still think about you every night")
    assert service.due_vault_entries(SENDER) == []
    tomorrow = utcnow() + timedelta(hours=24, minutes=1)
    due = service.due_vault_entries(SENDER, now=tomorrow)
    assert [(e.id, e.text) for e in due] == [(entry_id, "I still think about you every night")]
    assert due[0]["text"] == due[0].text
    assert service.mark_vault_revisited(entry_id)
    assert service.due_vault_entries(SENDER, now=tomorrow) == []


@pytest.mark.parametrize("bad", ["", "   ", None])
def test_empty_vault_text_is_refused(store_url: str, bad) -> None:
    with pytest.raises(ValueError):
        service.add_vault_entry(SENDER, bad)


def test_reasons_list(store_url: str) -> None:
    service.add_reason(SENDER, "she read my messages to her friends")
    service.add_reason(SENDER, "I deserve someone who stays")
    assert service.list_reasons(SENDER) == [
        "she read my messages to her friends",
        "I deserve someone who stays",
    ]


def test_export_holds_everything_and_delete_removes_it(store_url: str) -> None:
    service.set_country(SENDER, "AU")
    service.start_no_contact(SENDER)
    service.record_slip(SENDER)
    service.log_craving(SENDER, 9, "urge_surfing", 5)
    service.record_exercise(SENDER, "five_senses", True)
    service.add_vault_entry(SENDER, "unsent: I miss us")
    service.add_reason(SENDER, "he laughed when I cried")
    service.add_reason("web-other", "not in this export")

    export = service.export_user(SENDER)
    assert export["profile"]["country"] == "AU"
    assert export["profile"]["channel_user_id"] == "555"
    assert len(export["slips"]) == 1 and len(export["cravings"]) == 1
    assert export["vault_entries"][0]["text"] == "unsent: I miss us"
    assert [r["text"] for r in export["reasons"]] == ["he laughed when I cried"]
    assert export["no_contact"][0]["slips"] == 1

    assert service.delete_user(SENDER) is True
    after = service.export_user(SENDER)
    assert after["profile"] is None
    assert all(after[name] == [] for name in ("slips", "cravings", "vault_entries", "reasons"))
    assert service.list_reasons("web-other") == ["not in this export"]
    assert service.delete_user(SENDER) is False


def test_retention_from_the_environment(store_url: str, monkeypatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "off")
    assert service.purge_expired() is None
    service.add_reason(SENDER, "fresh")
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "30")
    assert service.purge_expired()["reasons"] == 0
    assert service.list_reasons(SENDER) == ["fresh"]


def run_together(work: Callable[[], object], threads: int) -> List[BaseException]:
    """Runs ``work`` in ``threads`` threads released at the same moment."""
    barrier = threading.Barrier(threads)
    errors: List[BaseException] = []

    def worker() -> None:
        barrier.wait()
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - collected for the assertion
            errors.append(error)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for thread in pool:
        thread.start()
    for thread in pool:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.timeout(120)
def test_concurrent_updates_for_one_person_lose_nothing_on_postgres(postgres_url: str) -> None:
    check_concurrent_updates()


@pytest.mark.timeout(120)
def test_concurrent_updates_for_one_person_lose_nothing_on_sqlite(sqlite_file_url: str) -> None:
    check_concurrent_updates()


def check_concurrent_updates() -> None:
    sender = "telegram:concurrent"
    threads = 8
    # The very first messages race to create the person, too.
    assert run_together(lambda: service.record_false_alarm(sender), threads) == []
    service.start_no_contact(sender, started_at=utcnow() - timedelta(days=5))
    assert run_together(lambda: service.record_slip(sender), threads) == []
    assert run_together(lambda: service.record_false_alarm(sender), threads) == []

    streak = service.get_streak(sender)
    assert streak.slips == threads
    assert streak.longest_days == 5
    assert service.export_user(sender)["profile"]["false_alarms"] == 2 * threads
    with session_scope() as session:
        assert session.execute(select(func.count()).select_from(Slip)).scalar() == threads
        # exactly one slip ended the 5-day streak; the others ended a streak of 0 days
        streaks = sorted(session.execute(select(Slip.streak_days)).scalars())
    assert streaks == [0] * (threads - 1) + [5]
