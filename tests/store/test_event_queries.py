"""Rasa's events table read and appended with prebuilt statements, as stock Rasa does it."""

from __future__ import annotations

from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.events import ActionExecuted, SessionStarted, UserUttered
from sqlalchemy import create_engine

from bot.store.event_queries import EventQueries


def _setup():
    engine = create_engine("sqlite://", future=True)
    SQLTrackerStore.Base.metadata.create_all(engine)
    return engine, EventQueries(SQLTrackerStore.SQLEvent.__table__)


def _session(first_text: str, start: float) -> list:
    return [
        ActionExecuted("action_session_start", timestamp=start),
        SessionStarted(timestamp=start + 0.1),
        ActionExecuted("action_listen", timestamp=start + 0.2),
        UserUttered(first_text, {"name": "greet", "confidence": 1.0}, timestamp=start + 0.3),
    ]


def test_latest_session_and_all_sessions_are_read_in_order() -> None:
    engine, queries = _setup()
    with engine.begin() as connection:
        assert queries.append(connection, "p", _session("monday", 100.0)) == 4
        queries.append(connection, "someone-else", _session("not mine", 150.0))
        queries.append(connection, "p", _session("tuesday", 200.0))
    with engine.connect() as connection:
        everything = queries.read(connection, "p", all_sessions=True)
        latest = queries.read(connection, "p", all_sessions=False)
        count = queries.count_current_session(connection, "p")
    texts = [e.get("text") for e in everything if e["event"] == "user"]
    assert texts == ["monday", "tuesday"]
    # The latest session starts at its session_started event (stock Rasa's cut).
    assert [e["event"] for e in latest] == ["session_started", "action", "user"]
    assert latest[-1]["text"] == "tuesday"
    assert count == len(latest)


def test_a_sender_without_a_session_start_gets_all_events() -> None:
    engine, queries = _setup()
    with engine.begin() as connection:
        queries.append(connection, "q", _session("hello", 10.0)[2:])
    with engine.connect() as connection:
        assert [e["event"] for e in queries.read(connection, "q", all_sessions=False)] == [
            "action",
            "user",
        ]
        assert queries.count_current_session(connection, "q") == 2
        assert queries.read(connection, "nobody", all_sessions=False) == []
        assert queries.append(connection, "nobody", []) == 0
