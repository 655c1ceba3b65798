"""Privacy actions with a rasa-sdk tracker and CollectingDispatcher, on SQLite in memory.

What a person would notice: their data is gone after "delete my data", the export holds
what they stored, the privacy answer is honest, and a database that is down gets a plain
"couldn't do that just now" instead of a crash or a false "done".
"""

from __future__ import annotations

import json
import socket
from pathlib import Path
from typing import Any, Dict, Iterator, List

import pytest
import yaml
from rasa_sdk import Tracker
from rasa_sdk.events import ReminderCancelled, SlotSet
from rasa_sdk.executor import CollectingDispatcher

from actions.privacy import (
    ActionDeleteMyData,
    ActionDescribeStorage,
    ActionExportMyData,
    describe_storage,
)
from bot.content.library import load_library
from bot.store import engine, service

ROOT = Path(__file__).resolve().parents[2]
SENDER = "telegram:31337"
VAULT_TEXT = "I know you saw my story. Why won't you just say something"


@pytest.fixture(autouse=True)
def memory_db(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("DATABASE_URL", "sqlite://")
    monkeypatch.setenv("HARBOR_DB_RETRY_SECONDS", "0")
    monkeypatch.delenv("HARBOR_RETENTION_DAYS", raising=False)
    engine.dispose_engines()
    yield
    engine.dispose_engines()


@pytest.fixture
def database_down(monkeypatch: pytest.MonkeyPatch) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]  # closed again: nothing listens there
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{port}/test")
    monkeypatch.setenv("HARBOR_DB_CONNECT_TIMEOUT", "2")


def tracker(intent: str = "affirm", sender: str = SENDER) -> Tracker:
    return Tracker(
        sender_id=sender,
        slots={"data_deleted": False, "export_failed": False},
        latest_message={"text": "yes", "intent": {"name": intent, "confidence": 1.0}},
        events=[],
        paused=False,
        followup_action=None,
        active_loop={},
        latest_action_name="action_listen",
    )


async def run(action: Any, intent: str = "affirm") -> tuple[List[Dict], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    events = await action.run(dispatcher, tracker(intent), {})
    return events, dispatcher


def load_yaml(relative: str) -> Dict[str, Any]:
    return yaml.safe_load((ROOT / relative).read_text(encoding="utf-8"))


def rule_answer(action: str, slot: str, value: bool) -> str:
    """The response the rules give after ``action`` set ``slot`` to ``value``."""
    for rule in load_yaml("data/rules/privacy.yml")["rules"]:
        steps = rule["steps"]
        for i, step in enumerate(steps[:-2]):
            if step.get("action") == action and steps[i + 1].get("slot_was_set") == [{slot: value}]:
                return steps[i + 2]["action"]
    raise AssertionError(f"no rule answers {action} with {slot}={value}")


def response_text(name: str) -> str:
    return load_yaml("domain/privacy.yml")["responses"][name][0]["text"]


async def test_delete_erases_everything_and_marks_the_tracker() -> None:
    service.add_vault_entry(SENDER, VAULT_TEXT)
    service.start_no_contact(SENDER)
    service.set_country(SENDER, "NZ")
    service.add_reason("telegram:other", "someone else's")

    events, dispatcher = await run(ActionDeleteMyData())

    assert SlotSet("data_deleted", True) in events
    assert ReminderCancelled() in events  # a pending urge-surfing check-in must not fire
    export = service.export_user(SENDER)
    assert export["profile"] is None and export["vault_entries"] == []
    assert service.get_country(SENDER) is None
    assert service.list_reasons("telegram:other") == ["someone else's"]
    assert dispatcher.messages == []  # the rules answer, from the slot
    assert rule_answer("action_delete_my_data", "data_deleted", True) == "utter_data_deleted"
    assert "gone" in response_text("utter_data_deleted")


@pytest.mark.timeout(60)
async def test_delete_with_the_database_down_says_plainly_nothing_was_deleted(
    database_down: None,
) -> None:
    events, _ = await run(ActionDeleteMyData())
    assert events == [SlotSet("data_deleted", False)]
    answer = rule_answer("action_delete_my_data", "data_deleted", False)
    assert answer == "utter_delete_failed"
    assert "couldn't delete" in response_text(answer)
    assert "nothing has been removed" in response_text(answer)


def test_a_delete_request_that_never_ran_is_not_reported_as_done() -> None:
    """The slot starts false, so if the action server is down the answer is still honest."""
    slot = load_yaml("domain/privacy.yml")["slots"]["data_deleted"]
    assert slot["initial_value"] is False and slot["influence_conversation"] is True


async def test_export_sends_everything_stored_as_json() -> None:
    service.add_vault_entry(SENDER, VAULT_TEXT)
    service.log_craving(SENDER, 8, "urge_surfing", 4)
    service.add_reason(SENDER, "he never asked how I was")

    events, dispatcher = await run(ActionExportMyData(), intent="export_my_data")

    assert events == [SlotSet("export_failed", False)]
    [message] = dispatcher.messages
    export = message["custom"]["harbor_export"]
    assert export["filename"].endswith(".json")
    assert export["mime_type"] == "application/json"
    data = json.loads(json.dumps(export["data"]))  # really JSON
    assert data["sender_id"] == SENDER
    assert data["vault_entries"][0]["text"] == VAULT_TEXT
    assert data["cravings"][0]["intensity_before"] == 8
    assert data["reasons"][0]["text"] == "he never asked how I was"


async def test_export_for_someone_unknown_is_an_empty_document() -> None:
    _, dispatcher = await run(ActionExportMyData(), intent="export_my_data")
    data = dispatcher.messages[0]["custom"]["harbor_export"]["data"]
    assert data["profile"] is None and data["conversation"] == []


@pytest.mark.timeout(60)
async def test_export_with_the_database_down_says_so(database_down: None) -> None:
    events, dispatcher = await run(ActionExportMyData(), intent="export_my_data")
    assert events == [SlotSet("export_failed", True)]
    assert dispatcher.messages == []
    answer = rule_answer("action_export_my_data", "export_failed", True)
    assert "couldn't gather" in response_text(answer)


@pytest.mark.timeout(60)
async def test_privacy_answer_needs_no_database(database_down: None) -> None:
    events, dispatcher = await run(ActionDescribeStorage(), intent="ask_privacy")
    assert events == []
    text = dispatcher.messages[0]["text"]
    for words in ("vault", "conversation", "Who can read it", "delete my data"):
        assert words in text


def test_actions_and_domain_agree() -> None:
    domain = load_yaml("domain/privacy.yml")
    names = {
        ActionDeleteMyData().name(),
        ActionExportMyData().name(),
        ActionDescribeStorage().name(),
    }
    assert names == set(domain["actions"])
    rules = load_yaml("data/rules/privacy.yml")["rules"]
    used = {
        s["action"] for r in rules for s in r["steps"] if s.get("action", "").startswith("utter_")
    }
    assert used == set(domain["responses"])  # every response is reachable, none missing
    for name, variations in domain["responses"].items():
        for variation in variations:
            assert 0 < len(variation["text"]) <= 600, name


# --- "what do you store?" ---------------------------------------------------------------


def test_the_storage_answer_names_every_kind_of_data(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "off")
    answer = describe_storage()
    lib = load_library()
    for heading, fields in service.storage_sections():
        assert f"• {lib.text(heading)}: " in answer
        for field in fields:
            assert lib.text(field) in answer
    assert "Your vault: the messages you wrote here instead of sending" in answer
    assert "Our conversation: every message you sent and every reply" in answer


def test_the_storage_answer_says_who_can_read_it_honestly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "off")
    answer = describe_storage()
    assert "people who run this Harbor server" in answer
    assert "stored encrypted, but the server holds the key" in answer
    assert "Telegram" in answer
    assert "until you ask me to delete it" in answer
    assert "delete my data" in answer and "export my data" in answer


def test_retention_is_on_by_default_and_said(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("HARBOR_RETENTION_DAYS", raising=False)
    assert "older than 90 days is deleted automatically" in describe_storage()


def test_the_answer_mentions_retention_when_it_is_on(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "90")
    assert "older than 90 days is deleted automatically" in describe_storage()
    monkeypatch.setenv("HARBOR_RETENTION_DAYS", "ninety")  # a typo costs nobody their answer
    assert "Who can read it" in describe_storage()

