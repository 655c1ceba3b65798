"""action_record_false_alarm: counts a misread crisis, stores no text, survives an outage.

Runs with a rasa-sdk Tracker and CollectingDispatcher against SQLite in memory (the same
store the action server uses), and against a database that is down.
"""

from __future__ import annotations

import json
import socket
from typing import Any, Dict, Iterator, List

import pytest
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.crisis import ActionRecordFalseAlarm, crisis_was_active
from bot.store import engine, service

SENDER = "web:false-alarm-test"
WORDS = "i'd kill for a pizza lol"


@pytest.fixture(autouse=True)
def memory_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("HARBOR_DB_RETRY_SECONDS", "0")
    engine.dispose_engines()
    yield
    engine.dispose_engines()


def _events(crisis_before: bool) -> List[Dict[str, Any]]:
    events: List[Dict[str, Any]] = [{"event": "action", "name": "action_listen"}]
    if crisis_before:
        events += [
            {"event": "user", "text": WORDS, "parse_data": {"intent": {"name": "crisis"}}},
            {"event": "slot", "name": "crisis_active", "value": True},
            {"event": "bot", "text": "I'm really glad you told me."},
            {"event": "action", "name": "action_listen"},
        ]
    events += [
        {"event": "user", "text": "that's not what i meant", "parse_data": {}},
        {"event": "slot", "name": "crisis_active", "value": False},
        {"event": "bot", "text": "Thanks for telling me"},
    ]
    return events


def _tracker(crisis_before: bool) -> Tracker:
    return Tracker(
        sender_id=SENDER,
        slots={"crisis_active": False},
        latest_message={"text": "that's not what i meant", "intent": {"name": "false_alarm"}},
        events=_events(crisis_before),
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="utter_false_alarm",
    )


async def _run(crisis_before: bool) -> List[Dict[str, Any]]:
    dispatcher = CollectingDispatcher()
    events = await ActionRecordFalseAlarm().run(dispatcher, _tracker(crisis_before), {})
    assert dispatcher.messages == []  # the reply came from the domain before this ran
    return events


def _false_alarms() -> int:
    return service.export_user(SENDER)["profile"]["false_alarms"]


async def test_a_misread_crisis_is_counted_and_its_words_are_not_stored() -> None:
    assert await _run(crisis_before=True) == []
    assert await _run(crisis_before=True) == []
    export = service.export_user(SENDER)
    assert export["profile"]["false_alarms"] == 2
    assert "pizza" not in json.dumps(export, default=str)


async def test_nothing_is_counted_without_a_crisis_answer_before() -> None:
    service.record_false_alarm(SENDER)  # an earlier, real one
    assert await _run(crisis_before=False) == []
    assert _false_alarms() == 1


async def test_a_database_outage_loses_the_count_but_not_the_conversation(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/test")
    monkeypatch.setenv("HARBOR_DB_CONNECT_TIMEOUT", "2")
    engine.dispose_engines()
    assert await _run(crisis_before=True) == []
    assert "not counted" in caplog.text
    assert SENDER not in caplog.text  # logs carry a pseudonym, not the user id


@pytest.mark.parametrize(
    ("events", "active"),
    [
        ([], False),
        (_events(True), True),
        (_events(False), False),
        (
            [
                {"event": "slot", "name": "crisis_active", "value": True},
                {"event": "session_started"},
                {"event": "user", "text": "you misunderstood"},
            ],
            False,
        ),
    ],
)
def test_crisis_was_active_reads_the_value_before_the_latest_message(
    events: List[Dict[str, Any]], active: bool
) -> None:
    assert crisis_was_active(events) is active
