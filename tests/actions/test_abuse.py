"""Abuse awareness: named kindly, the country's line, one question about safety, a plan."""

from __future__ import annotations

from actions.abuse import ActionAbuseAwareness, ActionAbuseSafetyPlanning
from bot.content import abuse
from tests.fixtures.trackers import run, tracker

CONTENT = abuse.load()


async def test_a_controlling_partner_is_named_kindly_with_the_line_for_the_country():
    state = tracker("fresh", text="he checks my phone and takes my money",
                    intent="abuse_disclosure", slots={"country": "GB"})
    outcome = await run(ActionAbuseAwareness(), state)
    text = outcome.all_text
    assert "isn't your fault" in text and "attachment style" in text
    assert "0808 2000 247" in text
    assert "Quick exit" in text
    assert outcome.texts[-1] == CONTENT.text("ask_safe")
    assert [b["payload"] for b in outcome.buttons][:2] == ["/affirm", "/deny"]
    assert outcome.slot("abuse_safety_asked") is True


async def test_the_safety_question_is_asked_once():
    state = tracker("fresh", text="he takes my money", intent="abuse_disclosure",
                    slots={"country": "US", "abuse_safety_asked": True})
    outcome = await run(ActionAbuseAwareness(), state)
    assert CONTENT.text("ask_safe") not in outcome.all_text
    assert "1-800-799-7233" in outcome.all_text


async def test_moving_back_in_gets_the_same_gentle_check_without_judgement():
    state = tracker("fresh", text="i moved back in with him", intent="back_with_partner",
                    slots={"country": "AU"})
    outcome = await run(ActionAbuseAwareness(), state)
    assert outcome.texts[0] == CONTENT.text("back")
    assert "1800 737 732" in outcome.all_text
    assert outcome.texts[-1] == CONTENT.text("ask_safe")


async def test_he_is_coming_over():
    state = tracker("fresh", text="he's coming over tonight", intent="back_with_partner")
    outcome = await run(ActionAbuseAwareness(), state)
    assert outcome.texts[0] == CONTENT.text("coming_over")
    assert CONTENT.text("line_unknown") in outcome.all_text


async def test_nothing_tells_them_to_leave_confront_or_report():
    words = " ".join([*CONTENT.messages.values(), *(t for _, t in CONTENT.steps)]).lower()
    for advice in ("you should leave", "leave him", "confront", "report him", "call the police",
                   "you need to leave"):
        assert advice not in words


async def test_the_walk_through_covers_contacts_code_word_documents_and_tech():
    texts = []
    for number in range(1, len(CONTENT.steps) + 2):
        state = tracker("fresh", text="/abuse_safety_planning", intent="abuse_safety_planning",
                        entities=[{"entity": "abuse_step", "value": str(number)}])
        texts.append((await run(ActionAbuseSafetyPlanning(), state)).all_text)
    joined = " ".join(texts).lower()
    for topic in ("safe people", "code word", "documents", "location", "passwords", "spyware",
                  "clear this chat"):
        assert topic in joined
    assert texts[-1] == CONTENT.text("plan_end")
