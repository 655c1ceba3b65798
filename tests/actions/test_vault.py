"""The vault: a message kept instead of sent comes back later — "still want to send it?"."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from actions.vault import ActionVaultAnswer, ActionVaultRevisit
from bot.content.library import load_library
from tests.fixtures.trackers import run, tracker

LIB = load_library()
USER = "fixture-user"




def reminder_fired(**slots):
    return tracker(
        "fresh",
        slots=slots,
        text="EXTERNAL: EXTERNAL_vault_revisit",
        intent="EXTERNAL_vault_revisit",
    )


async def test_a_due_message_is_offered_back_once(store):
    entry = store.add_vault_entry(USER, "i still love you", revisit_after_hours=0)
    outcome = await run(ActionVaultRevisit(), reminder_fired())
    assert outcome.texts == [LIB.text("vault.revisit", text="i still love you")]
    assert [b["payload"] for b in outcome.buttons] == ["/deny", "/affirm"]
    assert outcome.slot("vault_entry_id") == entry
    assert store.due_vault_entries(USER) == []
    again = await run(ActionVaultRevisit(), reminder_fired())
    assert again.messages == []


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
    state = tracker("fresh", slots={"vault_entry_id": 3}, text="x", intent=intent)
    outcome = await run(ActionVaultAnswer(), state)
    assert outcome.texts == [LIB.text(key)]
    assert outcome.slot("vault_entry_id") is None


async def test_an_answer_without_a_shown_message(store):
    outcome = await run(ActionVaultAnswer(), tracker("fresh", text="yes", intent="affirm"))
    assert outcome.responses == ["utter_anything_else"]
