"""spaCy on a bounded prefix of each message, so no message can stall the server.

spaCy's tokenizer peels prefixes and suffixes off a whitespace-free run one character at a
time: a 4,000-emoji message costs it about two seconds, during which every other person's
message waits (Rasa serves one process's turns on one thread). Intent needs far less text
than that, so this component gives spaCy (and through its ``Doc`` the tokenizer, the
featurizers and DIET) at most ``MAX_WORDS`` whitespace-separated words, each cut at
``MAX_RUN_CHARS`` characters.

The text is cut, never rewritten: spaCy reads a *prefix* of the message, so token offsets
still point into the original text. The message's own ``text`` is untouched, so components
that read it (the crisis detector above all, which must see every word) get all of it.
"""

from __future__ import annotations

import re
from typing import Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.utils.spacy_utils import SpacyNLP

# Far above what a chat message needs for its intent (the held-out messages average ~12).
MAX_WORDS = 200
# Longer whitespace-free runs (emoji floods, pasted hashes) are cut here.
MAX_RUN_CHARS = 64

_WORD = re.compile(r"\S+")


def bounded_prefix(text: str, max_words: int = MAX_WORDS, max_run: int = MAX_RUN_CHARS) -> str:
    """The longest prefix of ``text`` with at most ``max_words`` words of ``max_run`` chars.

    The cost is proportional to the prefix, not to ``text``.
    """
    for count, word in enumerate(_WORD.finditer(text)):
        if count >= max_words:
            return text[: word.start()].rstrip()
        if word.end() - word.start() > max_run:
            return text[: word.start() + max_run]
    return text


@DefaultV1Recipe.register(
    [
        DefaultV1Recipe.ComponentType.MODEL_LOADER,
        DefaultV1Recipe.ComponentType.MESSAGE_FEATURIZER,
    ],
    is_trainable=False,
    # Its own provider node: Rasa finds it by class name (SpacyTokenizer needs no model).
    model_from="BoundedSpacyNLP",
)
class BoundedSpacyNLP(SpacyNLP):
    """Rasa's ``SpacyNLP`` reading at most a bounded prefix of each text (see module doc)."""

    def _preprocess_text(self, text: Optional[Text]) -> Text:
        """Lower-cases as configured, after cutting the text to its bounded prefix."""
        return super()._preprocess_text(bounded_prefix(text or ""))
