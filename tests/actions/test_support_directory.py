"""Beyond the bot: "i think i need a therapist" gets a short list for the country."""

from __future__ import annotations

from actions.support_directory import ActionSupportOptions
from tests.fixtures.trackers import run, tracker


async def test_a_known_country_gets_its_own_options_and_the_peer_group():
    outcome = await run(ActionSupportOptions(), tracker(
        "fresh", text="i think i need a therapist", intent="ask_support_options",
        slots={"country": "AU"}))
    assert "Better Access" in outcome.all_text
    assert "coda.org" in outcome.all_text
    assert "Tell me your country" not in outcome.all_text


async def test_an_unknown_country_gets_the_peer_group_and_a_question():
    outcome = await run(ActionSupportOptions(), tracker(
        "fresh", text="is there a support group", intent="ask_support_options"))
    assert "coda.org" in outcome.all_text
    assert "Tell me your country" in outcome.all_text
