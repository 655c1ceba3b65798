"""Progress as the store reads it: the last 30 days, streak runs, slips, tool results,
and short-lived chart pictures found only by their key."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import update

from bot.store import service
from bot.store.engine import session_scope
from bot.store.models import Craving, ProgressChart, utcnow
from bot.store.progress import CravingPoint, helped_most, tool_results

SENDER = "web:progress-a"
OTHER = "web:progress-b"
PNG = b"\x89PNG\r\n\x1a\n" + b"x" * 2000


def _age_cravings(days: int) -> None:
    with session_scope() as session:
        session.execute(update(Craving).values(logged_at=utcnow() - timedelta(days=days)))


def test_someone_new_has_an_empty_window(store_url: str) -> None:
    data = service.progress("web:nobody")
    assert data.empty and data.cravings == () and data.current_days == 0
    assert service.last_craving("web:nobody") is None


def test_the_window_holds_ratings_streak_and_slips(store_url: str) -> None:
    service.start_no_contact(SENDER, utcnow() - timedelta(days=10))
    service.record_slip(SENDER)
    service.log_craving(SENDER, 8, "five_senses", 3)
    service.log_craving(SENDER, 7, "vault", 6)
    service.log_craving(SENDER, 9, "reasons", None)

    data = service.progress(SENDER)
    assert [(p.before, p.after, p.tool) for p in data.cravings] == [
        (8, 3, "five_senses"), (7, 6, "vault"), (9, None, "reasons")
    ]
    assert len(data.slips) == 1 and data.longest_days == 10
    # The run the slip ended (10 days) and the one running since.
    assert [r.end is None for r in data.runs] == [False, True]
    assert (data.runs[0].end - data.runs[0].start).days == 10
    assert service.last_craving(SENDER).tool == "reasons"
    exported = data.as_dict()
    assert exported["tools"][0]["tool"] == "five_senses"
    assert exported["slips"] and exported["longest_streak_days"] == 10


def test_cravings_older_than_30_days_are_not_charted(store_url: str) -> None:
    service.log_craving(SENDER, 8, "vault", 2)
    _age_cravings(31)
    service.log_craving(SENDER, 6, "reasons", 5)
    assert [p.tool for p in service.progress(SENDER).cravings] == ["reasons"]


def test_the_tool_that_lowered_the_urge_most_on_average_wins() -> None:
    now = utcnow()
    points = [
        CravingPoint(now, 9, 2, "big_once"),  # one big drop…
        CravingPoint(now, 8, 8, "big_once"),  # …and one that did nothing: mean 3.5
        CravingPoint(now, 8, 4, "steady"),
        CravingPoint(now, 7, 3, "steady"),  # mean 4
        CravingPoint(now, 9, None, "unrated"),
    ]
    results = tool_results(points)
    assert [r.tool for r in results] == ["steady", "big_once"]
    assert results[0].mean_drop == 4 and results[0].uses == 2
    assert helped_most(points).tool == "steady"
    assert helped_most([CravingPoint(now, 5, 7, "worse")]) is None


def test_a_chart_is_found_by_its_key_only_and_expires(store_url: str) -> None:
    key = service.save_chart(SENDER, PNG, minutes=5)
    assert len(key) >= 32 and SENDER.split(":")[1] not in key
    assert service.chart_png(key) == PNG
    assert service.chart_png(key[:-1] + ("A" if key[-1] != "A" else "B")) is None
    assert service.chart_png(service.save_chart(OTHER, b"other", 5)) == b"other"
    with session_scope() as session:
        session.execute(update(ProgressChart).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert service.chart_png(key) is None


def test_only_a_hash_of_the_key_is_stored(store_url: str) -> None:
    key = service.save_chart(SENDER, PNG, minutes=5)
    with session_scope() as session:
        (stored,) = session.query(ProgressChart.key_hash).all()
    assert stored[0] != key and stored[0] == service.chart_key_hash(key)


def test_deleting_the_person_deletes_their_charts(store_url: str) -> None:
    key = service.save_chart(SENDER, PNG, minutes=5)
    assert service.delete_user(SENDER) is True
    assert service.chart_png(key) is None


def test_the_export_carries_progress(store_url: str) -> None:
    service.start_no_contact(SENDER)
    service.log_craving(SENDER, 8, "vault", 3)
    service.log_craving(SENDER, 6, "reasons", 5)
    service.save_chart(SENDER, PNG, minutes=5)
    export = service.export_user(SENDER)
    progress = export["progress"]
    assert [c["before"] for c in progress["last_30_days"]["cravings"]] == [8, 6]
    assert progress["tools_all_time"][0] == {
        "tool": "vault", "uses": 1, "mean_drop": 5.0, "mean_before": 8.0, "mean_after": 3.0
    }
    assert progress["last_30_days"]["no_contact_runs"]
    assert export["progress_charts"][0]["png"].startswith("data:image/png;base64,")
    assert service.export_user("web:nobody")["progress"]["last_30_days"] is None


@pytest.mark.parametrize("bad", [b"", "not bytes"])
def test_a_chart_must_be_bytes(store_url: str, bad) -> None:
    with pytest.raises(ValueError):
        service.save_chart(SENDER, bad, minutes=5)
