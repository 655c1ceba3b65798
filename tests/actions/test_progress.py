"""Progress: the chart and a summary naming what helped, a kind line when there's nothing."""

from __future__ import annotations

import base64

from actions.progress import ActionShowProgress
from bot.content.library import load_library
from bot.progress import links
from tests.fixtures.trackers import run, tracker, variants

LIB = load_library()
USER = "fixture-user"


def asked(channel: str = "rest"):
    state = tracker("fresh", text="show my progress", intent="show_progress")
    state.events[-1]["input_channel"] = channel
    return state


async def test_nothing_logged_gets_a_kind_line_not_an_empty_chart(store):
    outcome = await run(ActionShowProgress(), asked())
    assert outcome.texts[0] in variants("progress.nothing_yet")
    assert not any(m.get("image") for m in outcome.messages)
    assert [b["payload"] for b in outcome.buttons] == ["/craving_contact", "/request_grounding"]


async def test_the_chart_comes_as_a_private_link_with_a_summary(store):
    store.log_craving(USER, 8, "vault", 3)
    store.log_craving(USER, 7, "reasons", 6)
    store.start_no_contact(USER)
    outcome = await run(ActionShowProgress(), asked())
    [message] = outcome.messages
    assert message["image"].startswith(links.CHART_PATH) and USER not in message["image"]
    png = store.chart_png(links.key_from(message["image"]))
    assert png.startswith(b"\x89PNG") and len(png) > 1024
    summary = message["text"]
    assert "writing the message here" in summary  # the vault: 8 -> 3, the biggest mean drop
    assert "from 8 to 3" in summary
    assert "2 cravings" in summary and "No slips" in summary


async def test_without_a_re_rating_the_summary_says_how_to_get_one(store):
    store.log_craving(USER, 8, "reasons", None)
    outcome = await run(ActionShowProgress(), asked())
    assert LIB.text("progress.not_rated") in outcome.messages[0]["text"]


async def test_when_nothing_lowered_the_urge_it_says_so_kindly(store):
    store.log_craving(USER, 5, "reasons", 7)
    outcome = await run(ActionShowProgress(), asked())
    assert LIB.text("progress.nothing_lowered") in outcome.messages[0]["text"]


async def test_on_telegram_the_picture_itself_goes_with_the_summary_as_caption(store):
    store.log_craving(USER, 9, "box_breathing", 4)
    outcome = await run(ActionShowProgress(), asked("telegram"))
    [message] = outcome.messages
    photo = message["custom"]["harbor_photo"]
    assert base64.b64decode(photo["data"]).startswith(b"\x89PNG")
    assert "from 9 to 4" in photo["caption"]
    assert not message.get("image")


async def test_a_down_store_says_so(broken_store):
    outcome = await run(ActionShowProgress(), asked())
    assert outcome.texts == [LIB.text("progress.unavailable")]
