"""A person talking to the running Rasa server over REST, as the README shows."""

from __future__ import annotations

import pytest

from tests.servers import RestClient

pytestmark = [pytest.mark.model, pytest.mark.server]

# The example messages and the intent each must be classified as.
EXAMPLES = {
    "i want to text him so bad": "craving_contact",
    "i texted her again last night": "relapsed_contact",
    "why can't i let go of him": "ask_why_cant_let_go",
    "what is a trauma bond": "ask_trauma_bond",
    "i can't breathe, i'm panicking": "request_grounding",
    "i feel like i'm not enough for anyone": "feeling_unworthy",
    "it's 3am and i can't sleep": "cant_sleep",
    "day 10 of no contact!": "share_win",
    "are you a real person?": "bot_challenge",
    "hi": "greet",
}


@pytest.mark.parametrize(("text", "intent"), EXAMPLES.items())
def test_model_parse_classifies_the_examples(rest: RestClient, text: str, intent: str) -> None:
    assert rest.parse(text)["intent"]["name"] == intent


def test_craving_message_gets_a_caring_relevant_answer(rest: RestClient) -> None:
    replies = rest.send("e2e-craving", "i want to text him so bad")
    assert replies, "the bot answered nothing"
    text = " ".join(reply.get("text", "") for reply in replies).lower()
    assert any(word in text for word in ("urge", "wave", "pull", "text"))


def test_greeting_says_it_is_a_bot_without_hotline_numbers(rest: RestClient) -> None:
    text = rest.texts("e2e-greet", "hello").lower()
    assert "bot" in text and "sos" in text
    assert "988" not in text


def test_unclear_message_gets_a_gentle_question_not_a_wrong_answer(rest: RestClient) -> None:
    replies = rest.send("e2e-unclear", "purple monkey dishwasher gradient")
    assert replies
    assert replies[0].get("buttons"), "the not-sure answer offers buttons"
