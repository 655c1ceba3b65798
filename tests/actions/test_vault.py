"""The vault: a message kept instead of sent comes back later — "still want to send it?"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions.vault import ActionVaultAnswer, ActionVaultRevisit
from bot.content.library import load_library
from bot.reading.daytime import is_daytime
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"




def reminder_fired(**slots):
    return tracker(
        "fresh",
        slots=slots,
        text="EXTERNAL: EXTERNAL_vault_revisit",
        intent="EXTERNAL_vault_revisit",
    )


async def test_the_notice_holds_none_of_their_words_and_shows_them_on_request(store):
    words = "marigold lighthouse, remember tuesday? call 7f3a"
    entry = store.add_vault_entry(USER, words, revisit_after_hours=0)
    notice = await run(ActionVaultRevisit(), reminder_fired())
    assert notice.texts[0] in variants("vault.notice")
    for word in ("marigold", "lighthouse", "remember", "tuesday", "7f3a"):
        assert word not in notice.all_text.lower()
    assert [b["payload"] for b in notice.buttons] == ["/affirm", "/deny"]
    assert notice.slot("vault_entry_id") == entry and notice.slot("vault_shown") is False

    shown = await run(
        ActionVaultAnswer(),
        tracker("fresh", slots={"vault_entry_id": entry, "vault_shown": False},
                text="/affirm", intent="affirm"),
    )
    assert shown.texts == [LIB.text("vault.revisit", text=words)]
    assert [b["payload"] for b in shown.buttons] == ["/deny", "/affirm"]
    assert shown.slot("vault_shown") is True
    assert store.due_vault_entries(USER) == []
    again = await run(ActionVaultRevisit(), reminder_fired())
    assert again.messages == []


async def test_not_now_keeps_it_and_asks_the_next_day_in_daytime(store):
    entry = store.add_vault_entry(USER, "come back to me", revisit_after_hours=0)
    later = await run(
        ActionVaultAnswer(),
        tracker("fresh", slots={"vault_entry_id": entry, "vault_shown": False,
                                "timezone": "Asia/Tokyo"}, text="/deny", intent="deny"),
    )
    assert later.texts == [LIB.text("vault.later")]
    [again] = later.of_type("reminder")
    when = datetime.fromisoformat(again["date_time"])
    assert is_daytime(when, "Asia/Tokyo") and when > datetime.now(timezone.utc)
    assert len(store.due_vault_entries(USER)) == 1  # still there, not shown


async def test_someone_else_s_entry_is_never_shown(store):
    entry = store.add_vault_entry("someone-else", "not yours", revisit_after_hours=0)
    outcome = await run(
        ActionVaultAnswer(),
        tracker("fresh", slots={"vault_entry_id": entry, "vault_shown": False},
                text="/affirm", intent="affirm"),
    )
    assert "not yours" not in outcome.all_text
    assert outcome.texts == [LIB.text("vault.unavailable")]


async def test_nothing_due_stays_quiet(store):
    store.add_vault_entry(USER, "not yet", revisit_after_hours=24)
    outcome = await run(ActionVaultRevisit(), reminder_fired())
    assert outcome.messages == []
    assert outcome.of_type("reminder") == []


async def test_mid_exercise_or_after_a_crisis_it_waits(store):
    store.add_vault_entry(USER, "later", revisit_after_hours=0)
    busy = tracker("exercise_form", text="EXTERNAL", intent="EXTERNAL_vault_revisit")
    outcome = await run(ActionVaultRevisit(), busy)
    assert outcome.messages == []
    [retry] = outcome.of_type("reminder")
    when = datetime.fromisoformat(retry["date_time"])
    assert when > datetime.now(timezone.utc) + timedelta(minutes=50)
    after_crisis = await run(ActionVaultRevisit(), reminder_fired(crisis_active=True))
    assert after_crisis.messages == [] and after_crisis.of_type("reminder")
    assert len(store.due_vault_entries(USER)) == 1


async def test_a_down_store_tries_again_later(broken_store):
    outcome = await run(ActionVaultRevisit(), reminder_fired())
    assert outcome.messages == []
    assert outcome.of_type("reminder")[0]["intent"] == "EXTERNAL_vault_revisit"


@pytest.mark.parametrize("intent, key", [("deny", "vault.let_go"), ("affirm", "vault.still_want")])
async def test_the_answer_is_kind_either_way(store, intent, key):
    state = tracker(
        "fresh", slots={"vault_entry_id": 3, "vault_shown": True}, text="x", intent=intent
    )
    outcome = await run(ActionVaultAnswer(), state)
    assert outcome.texts == [LIB.text(key)]
    assert outcome.slot("vault_entry_id") is None


async def test_an_answer_without_a_shown_message(store):
    outcome = await run(ActionVaultAnswer(), tracker("fresh", text="yes", intent="affirm"))
    assert outcome.responses == ["utter_anything_else"]
