"""HarborTrackerStore: built from endpoints.yml, keeps conversations across restarts, makes
"delete my data" stick, and keeps the bot answering while the database is away."""

from __future__ import annotations

import asyncio
import warnings
from pathlib import Path
from typing import List

import pytest
from rasa.core.tracker_store import SQLTrackerStore, TrackerStore
from rasa.core.utils import AvailableEndpoints
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import (
    ActionExecuted,
    BotUttered,
    Event,
    SessionStarted,
    SlotSet,
    UserUttered,
)
from rasa.shared.core.trackers import DialogueStateTracker
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher
from sqlalchemy.engine import make_url

from actions.privacy import ActionDeleteMyData
from bot.store import StoreUnavailable, service
from bot.store.engine import dispose_engines, get_engine
from bot.store.tracker_store import HarborTrackerStore
from tests.tcp_proxy import TcpProxy

ROOT = Path(__file__).resolve().parents[2]
SECRET = "I drove past her house again at 2am 91c4"
VAULT_SECRET = "unsent: please just tell me why 5e7d"


def _domain() -> Domain:
    with warnings.catch_warnings():  # Rasa warns about slot auto-fill for any dict domain
        warnings.simplefilter("ignore", UserWarning)
        return Domain.from_dict(
            {
                "intents": ["greet", "affirm"],
                "slots": {
                    "country": {
                        "type": "text",
                        "influence_conversation": False,
                        "mappings": [{"type": "custom"}],
                    },
                    "export_failed": {
                        "type": "bool",
                        "initial_value": False,
                        "influence_conversation": False,
                        "mappings": [{"type": "custom"}],
                    },
                    "data_deleted": {
                        "type": "bool",
                        "initial_value": False,
                        "influence_conversation": True,
                        "mappings": [{"type": "custom"}],
                    },
                },
                "responses": {"utter_ok": [{"text": "ok"}]},
            }
        )


DOMAIN = _domain()


def user(text: str) -> UserUttered:
    return UserUttered(text, {"name": "greet", "confidence": 1.0})


async def turn(store: TrackerStore, sender: str, text: str) -> DialogueStateTracker:
    """One turn the way Rasa's processor runs it: fetch, start a session if new, save."""
    tracker = await store.get_or_create_tracker(sender, append_action_listen=False)
    if not tracker.events:
        tracker.update(ActionExecuted("action_session_start"))
        tracker.update(SessionStarted())
        tracker.update(ActionExecuted("action_listen"))
    tracker.update(user(text))
    tracker.update(BotUttered(f"reply to {text}"))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return tracker


def stored_texts(sender: str) -> List[str]:
    return [e["text"] for e in service.export_user(sender)["conversation"] if e["event"] == "user"]


def test_endpoints_yml_builds_a_harbor_store_on_database_url(
    sqlite_file_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACTION_ENDPOINT_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("HARBOR_ACTION_SECRET", "shared-with-the-action-server")
    endpoints = AvailableEndpoints.read_endpoints(str(ROOT / "endpoints.yml"))
    store = TrackerStore.create(endpoints.tracker_store, DOMAIN)
    assert isinstance(store, HarborTrackerStore)
    assert store.url == sqlite_file_url
    assert store.engine is get_engine(sqlite_file_url)
    # Rasa sends the action server its secret with every call.
    headers = endpoints.action.headers
    assert headers == {"X-Harbor-Action-Secret": "shared-with-the-action-server"}


async def test_a_restart_keeps_the_conversation(sqlite_file_url: str) -> None:
    await turn(HarborTrackerStore(DOMAIN), "web-r", "hello before the restart")
    dispose_engines()  # as good as a new process

    restarted = HarborTrackerStore(DOMAIN)
    tracker = await restarted.retrieve("web-r")
    assert tracker is not None
    assert tracker.latest_message.text == "hello before the restart"
    await turn(restarted, "web-r", "and after it")
    assert stored_texts("web-r") == ["hello before the restart", "and after it"]
    assert "web-r" in await restarted.keys()


async def test_stock_store_puts_a_deleted_conversation_back(sqlite_file_url: str) -> None:
    """Why the marker exists: Rasa saves the in-memory tracker after the action."""
    store = HarborTrackerStore(DOMAIN)
    tracker = await turn(store, "web-stock", SECRET)
    service.delete_user("web-stock")  # what an action alone could do
    await SQLTrackerStore.save(store, tracker)  # what stock Rasa does next
    assert stored_texts("web-stock") == [SECRET]


async def test_delete_my_data_really_deletes_from_the_sqlite_file(sqlite_file_url: str) -> None:
    path = Path(make_url(sqlite_file_url).database)
    sender = "telegram:4242"
    store = HarborTrackerStore(DOMAIN)
    await turn(store, sender, SECRET)
    service.add_vault_entry(sender, VAULT_SECRET)
    await turn(store, "web-bystander", "a bystander's words stay")

    export = service.export_user(sender)
    assert export["vault_entries"][0]["text"] == VAULT_SECRET
    assert SECRET in [e.get("text") for e in export["conversation"]]
    get_engine().dispose()
    # Encrypted at rest: the words are never in the file, even before the deletion.
    assert SECRET.encode() not in path.read_bytes()
    assert VAULT_SECRET.encode() not in path.read_bytes()
    with get_engine().connect() as connection:
        stored = [row[0].encode() for row in connection.exec_driver_sql(
            "SELECT data FROM events WHERE sender_id = ?", (sender,)
        )]  # fmt: skip
    get_engine().dispose()
    assert stored and all(row in path.read_bytes() for row in stored)

    # The turn in which the person confirms, as Rasa runs it: retrieve, the user's "yes",
    # the custom action (its events applied to the tracker), the reply, then save.
    tracker = await store.retrieve(sender)
    tracker.update(UserUttered("yes", {"name": "affirm", "confidence": 1.0}))
    sdk_tracker = Tracker(sender, {}, {"intent": {"name": "affirm"}}, [], False, None, {}, None)
    events = await ActionDeleteMyData().run(CollectingDispatcher(), sdk_tracker, {})
    tracker.update(ActionExecuted("action_delete_my_data"))
    for event in events:
        tracker.update(Event.from_parameters(event))
    tracker.update(BotUttered("Done. Everything I kept about you is gone."))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)

    assert await store.retrieve(sender) is None
    gone = service.export_user(sender)
    assert gone["profile"] is None and gone["conversation"] == [] and gone["vault_entries"] == []
    assert stored_texts("web-bystander") == ["a bystander's words stay"]

    dispose_engines()
    files = [p for p in path.parent.iterdir() if p.name.startswith(path.name)]
    for file in files:  # the database and any journal left beside it
        data = file.read_bytes()
        assert not any(row in data for row in stored), file.name
        assert SECRET.encode() not in data, file.name
        assert VAULT_SECRET.encode() not in data, file.name
        assert b"4242" not in data, file.name

    # The next message starts a fresh conversation.
    fresh = await turn(HarborTrackerStore(DOMAIN), sender, "hi again")
    assert stored_texts(sender) == ["hi again"]
    assert fresh.get_slot("data_deleted") is False


@pytest.mark.timeout(60)
async def test_a_store_started_while_the_database_is_down_still_answers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    proxy = TcpProxy("127.0.0.1", 9)  # nothing forwarded: every connection fails
    monkeypatch.setenv("DATABASE_URL", f"postgresql://postgres@127.0.0.1:{proxy.port}/test")
    store = HarborTrackerStore(DOMAIN)  # must not hang or raise
    await turn(store, "web-down", "first words")
    tracker = await turn(store, "web-down", "second words")
    assert [e.text for e in tracker.events if isinstance(e, UserUttered)] == [
        "first words",
        "second words",
    ]
    assert await store.keys() == ["web-down"]


@pytest.fixture
def proxied_postgres(postgres_url: str, monkeypatch: pytest.MonkeyPatch):
    """DATABASE_URL pointed at the test schema through a proxy the test can cut."""
    url = make_url(postgres_url)
    proxy = TcpProxy(url.host or "127.0.0.1", url.port or 5432).start()
    proxied = url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)
    monkeypatch.setenv("DATABASE_URL", proxied)
    yield proxy
    proxy.close()


@pytest.mark.postgres
@pytest.mark.timeout(120)
async def test_database_outage_mid_conversation_loses_and_duplicates_nothing(
    proxied_postgres: TcpProxy,
) -> None:
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "web-o", "one")
    await turn(store, "web-p", "p one")
    read_before_the_outage = await store.retrieve("web-p")

    proxied_postgres.cut()
    with pytest.raises(StoreUnavailable):
        service.add_vault_entry("web-o", "written during the outage")
    await turn(store, "web-o", "two")  # the bot goes on answering
    held = await turn(store, "web-o", "three")
    assert [e.text for e in held.events if isinstance(e, UserUttered)][-2:] == ["two", "three"]
    # web-p's outage began after its tracker was read: the save fails, then is retried
    read_before_the_outage.update(user("p two"))
    await store.save(read_before_the_outage)

    proxied_postgres.restore()
    await turn(store, "web-o", "four")
    await turn(store, "web-p", "p three")
    assert stored_texts("web-o") == ["one", "two", "three", "four"]
    assert stored_texts("web-p") == ["p one", "p two", "p three"]
    service.add_vault_entry("web-o", "written after it")  # the store is back for actions


@pytest.mark.postgres
@pytest.mark.timeout(120)
async def test_an_outage_carries_on_from_the_last_stored_state(
    proxied_postgres: TcpProxy,
) -> None:
    store = HarborTrackerStore(DOMAIN)
    tracker = await turn(store, "web-s", "i'm in the uk")
    tracker.update(SlotSet("country", "GB"))
    await store.save(tracker)

    proxied_postgres.cut()
    during = await turn(store, "web-s", "still there?")
    assert during.get_slot("country") == "GB", "the outage made the bot forget the country"
    assert [e.text for e in during.events if isinstance(e, UserUttered)] == [
        "i'm in the uk",
        "still there?",
    ]

    proxied_postgres.restore()
    after = await turn(store, "web-s", "back again")
    assert after.get_slot("country") == "GB"
    assert stored_texts("web-s") == ["i'm in the uk", "still there?", "back again"]


@pytest.mark.postgres
@pytest.mark.timeout(120)
async def test_an_outage_on_one_of_two_instances_loses_nothing_of_the_other(
    proxied_postgres: TcpProxy,
) -> None:
    first, second = HarborTrackerStore(DOMAIN), HarborTrackerStore(DOMAIN)
    await turn(first, "web-two", "to the first")
    await turn(second, "web-two", "to the second")  # the first's memory is now behind
    proxied_postgres.cut()
    await turn(first, "web-two", "to the first, during the outage")
    proxied_postgres.restore()
    await turn(first, "web-two", "to the first, after it")
    assert stored_texts("web-two") == [
        "to the first",
        "to the second",
        "to the first, during the outage",
        "to the first, after it",
    ]


@pytest.mark.postgres
@pytest.mark.timeout(120)
async def test_held_messages_are_written_even_if_the_person_never_writes_again(
    proxied_postgres: TcpProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HARBOR_DB_RETRY_SECONDS", "0.2")
    store = HarborTrackerStore(DOMAIN)
    await turn(store, "web-q", "before")
    proxied_postgres.cut()
    await turn(store, "web-q", "during, then silence")
    proxied_postgres.restore()

    stored: List[str] = []
    for _ in range(100):  # a bound on the wait (10 s), not a speed requirement
        await asyncio.sleep(0.1)
        try:
            stored = stored_texts("web-q")
        except StoreUnavailable:
            continue
        if len(stored) == 2:
            break
    assert stored == ["before", "during, then silence"]


@pytest.mark.postgres
@pytest.mark.timeout(120)
async def test_a_deletion_during_an_outage_is_finished_when_the_database_returns(
    proxied_postgres: TcpProxy,
) -> None:
    store = HarborTrackerStore(DOMAIN)
    tracker = await turn(store, "web-x", SECRET)

    proxied_postgres.cut()
    tracker.update(Event.from_parameters({"event": "slot", "name": "data_deleted", "value": True}))
    await store.save(tracker)  # erase fails: remembered, and nothing is buffered
    assert await store.retrieve("web-x") is None
    await turn(store, "web-x", "a new start")  # held in memory

    proxied_postgres.restore()
    await store.retrieve("web-someone-else")  # any next operation finishes the erase...
    assert stored_texts("web-x") == []
    restored = await store.retrieve("web-x")  # ...before the new start is written
    assert [e.text for e in restored.events if isinstance(e, UserUttered)] == ["a new start"]
    assert stored_texts("web-x") == ["a new start"]


# --- exports leave no copy (issue 16) ---------------------------------------------------


async def _export_turn(store: HarborTrackerStore, sender: str) -> List[dict]:
    """One "export my data" turn as Rasa runs it; returns the messages the person received."""
    from actions.privacy import ActionExportMyData

    tracker = await store.retrieve(sender)
    tracker.update(UserUttered("export my data", {"name": "export_my_data", "confidence": 1.0}))
    intent = {"intent": {"name": "export_my_data"}}
    sdk_tracker = Tracker(sender, {}, intent, [], False, None, {}, None)
    dispatcher = CollectingDispatcher()
    events = await ActionExportMyData().run(dispatcher, sdk_tracker, {})
    tracker.update(ActionExecuted("action_export_my_data"))
    for message in dispatcher.messages:
        tracker.update(BotUttered(message.get("text"), data={"custom": message.get("custom")}))
    for event in events:
        tracker.update(Event.from_parameters(event))
    tracker.update(ActionExecuted("action_listen"))
    await store.save(tracker)
    return dispatcher.messages


def _document(messages: List[dict]) -> dict:
    [export] = [m["custom"]["harbor_export"] for m in messages if m.get("custom")]
    return export["data"]


async def test_an_export_is_delivered_once_and_never_stored(sqlite_file_url: str) -> None:
    import json

    store = HarborTrackerStore(DOMAIN)
    sender = "telegram:777"
    await turn(store, sender, SECRET)
    service.add_vault_entry(sender, VAULT_SECRET)
    sizes = []
    for _ in range(3):
        document = _document(await _export_turn(store, sender))
        assert VAULT_SECRET in json.dumps(document), "the person gets everything"
        sizes.append(len(json.dumps(document)))
        # Only this export's own header: no earlier export inside it.
        assert json.dumps(document).count("harbor-export/1") == 1
    # Each export is bigger only by the turn that asked for it, not by the earlier exports.
    assert sizes[2] - sizes[1] <= sizes[1] - sizes[0] + 200, f"exports grew: {sizes}"
    stored = service.export_user(sender)["conversation"]
    stubs = [
        e["data"]["custom"]["harbor_export"]
        for e in stored
        if e["event"] == "bot" and (e.get("data") or {}).get("custom")
    ]
    assert len(stubs) == 3 and all(set(stub) == {"filename", "delivered"} for stub in stubs)
    assert VAULT_SECRET not in json.dumps(stored)


async def test_a_fourth_export_within_the_hour_waits(sqlite_file_url: str) -> None:
    from actions import common

    store = HarborTrackerStore(DOMAIN)
    sender = "telegram:778"
    await turn(store, sender, "hello")
    for _ in range(3):
        assert _document(await _export_turn(store, sender))
    fourth = await _export_turn(store, sender)
    assert [m.get("text") for m in fourth] == [common.text("privacy.export_limit", count=3)]
    assert not any(m.get("custom") for m in fourth), "no fourth copy"
    # Someone else is not limited by it.
    await turn(store, "telegram:779", "hello")
    assert _document(await _export_turn(store, "telegram:779"))


async def test_export_then_delete_leaves_nothing_in_the_file(sqlite_file_url: str) -> None:
    path = Path(make_url(sqlite_file_url).database)
    sender = "telegram:4243"
    store = HarborTrackerStore(DOMAIN)
    await turn(store, sender, SECRET)
    service.add_vault_entry(sender, VAULT_SECRET)
    await _export_turn(store, sender)
    service.delete_user(sender)
    assert await store.retrieve(sender) is None
    dispose_engines()
    for file in [p for p in path.parent.iterdir() if p.name.startswith(path.name)]:
        data = file.read_bytes()
        assert VAULT_SECRET.encode() not in data and SECRET.encode() not in data, file.name
        assert b"harbor-export" not in data, file.name


@pytest.mark.postgres
async def test_no_message_text_in_the_postgres_table_files(postgres_url: str) -> None:
    from sqlalchemy import create_engine, text

    store = HarborTrackerStore(DOMAIN)
    await turn(store, "telegram:5150", SECRET)
    service.add_vault_entry("telegram:5150", VAULT_SECRET)
    assert SECRET in stored_texts("telegram:5150"), "Harbor reads it back"
    admin = create_engine(postgres_url, future=True, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text("CHECKPOINT"))
        data = b""
        for table in ("events", "vault_entries"):
            path = connection.execute(
                text("SELECT pg_relation_filepath(:t)"), {"t": table}
            ).scalar()
            data += bytes(
                connection.execute(text("SELECT pg_read_binary_file(:p)"), {"p": path}).scalar()
            )
        stored = connection.execute(text("SELECT data FROM events LIMIT 1")).scalar()
    admin.dispose()
    assert stored.encode()[:40] in data, "the check reads the table's file"
    assert SECRET.encode() not in data and VAULT_SECRET.encode() not in data
