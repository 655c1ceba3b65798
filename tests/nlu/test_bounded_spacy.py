"""spaCy reads a bounded prefix; the message text (what the crisis screen reads) stays whole."""

from __future__ import annotations

import pytest
from rasa.nlu.constants import SPACY_DOCS, TOKENS_NAMES
from rasa.nlu.tokenizers.spacy_tokenizer import SpacyTokenizer
from rasa.shared.nlu.constants import TEXT
from rasa.shared.nlu.training_data.message import Message

from bot.nlu.bounded_spacy import MAX_RUN_CHARS, MAX_WORDS, BoundedSpacyNLP, bounded_prefix


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("i want to text him so bad", "i want to text him so bad"),
        ("", ""),
        ("😭" * 4000, "😭" * MAX_RUN_CHARS),
        ("so sad " + "x" * 5000 + " really", "so sad " + "x" * MAX_RUN_CHARS),
        ("hi " * 1300, ("hi " * MAX_WORDS).rstrip()),
    ],
)
def test_the_prefix_is_bounded_and_never_rewritten(text: str, expected: str) -> None:
    prefix = bounded_prefix(text)
    assert prefix == expected
    assert text.startswith(prefix), "token offsets must still point into the message"


@pytest.fixture(scope="module")
def pipeline():
    nlp = BoundedSpacyNLP.create(
        {**BoundedSpacyNLP.get_default_config(), "model": "en_harbor"}, None, None, None
    )
    tokenizer = SpacyTokenizer.create(SpacyTokenizer.get_default_config(), None, None, None)
    return nlp, tokenizer


@pytest.mark.parametrize(
    "flood", ["😭" * 3990, "😭 " * 1995, "a" * 3990, "🙂🙃" * 1000 + " " + "😭" * 1000]
)
def test_a_flood_gives_spacy_a_bounded_number_of_tokens(pipeline, flood: str) -> None:
    nlp, tokenizer = pipeline
    text = flood + " i want to die"
    message = Message(data={TEXT: text})
    nlp.process([message], nlp.provide())
    tokenizer.process([message])
    assert len(message.get(SPACY_DOCS[TEXT])) <= MAX_WORDS * 4
    assert len(message.get(TOKENS_NAMES[TEXT])) <= MAX_WORDS * 4
    # The components after the featurizers (the crisis detector) read all of it.
    assert message.get(TEXT) == text


def test_ordinary_messages_are_tokenized_as_before(pipeline) -> None:
    nlp, tokenizer = pipeline
    message = Message(data={TEXT: "I can't stop checking his Instagram, day 3 no contact"})
    nlp.process([message], nlp.provide())
    tokenizer.process([message])
    words = [token.text for token in message.get(TOKENS_NAMES[TEXT])]
    assert words[:4] == ["i", "ca", "n't", "stop"] or "instagram" in words
    assert words[-2:] == ["no", "contact"]
