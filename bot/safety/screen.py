"""The crisis screen: spaCy Matcher rules over normalised text, checked in context.

The spaCy pipeline (``en_harbor``: blank English tokenizer + lookup lemmatizer) and the
Matcher are built on first use and then reused; nothing is loaded at import time.
"""

from __future__ import annotations

import logging
import os
import re
import threading
from typing import Dict, FrozenSet, List, Optional, Sequence, Set, Tuple

from bot.safety.assessment import CATEGORIES, NO_CRISIS, Assessment
from bot.safety.lexicon import Lexicon, default_lexicon
from bot.safety.normalise import normalise
from bot.safety.patterns import (
    Rule,
    Vocabulary,
    anchor_words,
    compiled,
    matcher_patterns,
    rules,
    vocabulary,
    words_in,
)

logger = logging.getLogger(__name__)

DEFAULT_SPACY_MODEL = "en_harbor"
# spaCy refuses texts over nlp.max_length; long journal entries are screened in pieces.
CHUNK_CHARS = 50_000

NEGATIONS = frozenset({"not", "n't", "never", "nt", "no"})
# Words that may sit between a negation and what it negates: "i'm *not* really going to
# hurt myself", "i *never* said i wanted to die". Anything else ends the negation's reach,
# so "i can't stop thinking about killing myself" is not negated.
NEGATION_REACH = frozenset(
    """
    i 'm m am be is was were are 's 're been being really actually even ever that so too
    feeling feel felt going to want wanted wanting wanna planning plan plans trying try
    would will 'd 'll do does did could can ca wo might should must definitely totally
    like literally seriously about thinking think thought said say saying it a
    any of have has had intention intentions desire urge thoughts go gon na again anymore
    gonna ever just anything something do
    """.split()
)
MAX_NEGATION_REACH = 6
ANSWER_AFTER_NO = frozenset({"i", "but", "and", "just", "really", "seriously", "honestly", "like"})
SENTENCE_ENDS = frozenset({".", "!", "?", ";", "...", "..", "!!", "??", "?!", "!?"})
DEPENDENCY_RE = re.compile(r"without (him|her|them|you|my (ex|boyfriend|girlfriend|partner))\b")
SELF_REFERENCE = re.compile(r"\b(i|i'm|i've|i'd|i'll|me|my|myself|mine)\b")


class CrisisScreen:
    """Screens texts for suicide, self-harm and danger.

    Args:
        nlp: A spaCy pipeline that sets lemmas (``en_harbor``).
        rules: The rules to match (defaults to the shipped ones, ``bot/safety/data/rules/``).
        lexicon: Known and trigger words for normalisation.
        words: The rules' shared vocabulary (defaults to the shipped one).
    """

    def __init__(
        self,
        nlp: "object",
        rules: Optional[Sequence[Rule]] = None,
        lexicon: Optional[Lexicon] = None,
        words: Optional[Vocabulary] = None,
    ) -> None:
        from spacy.matcher import Matcher

        rules = default_rules() if rules is None else rules
        self._nlp = nlp
        self._words = words if words is not None else vocabulary()
        context = self._words.fragments
        self._past = re.compile(context["PAST"])
        self._present = re.compile(context["PRESENT"])
        self._partner = re.compile(context["PARTNER_ONLY"])
        self._everyone = re.compile(context["EVERYONE"])
        self._lexicon = lexicon if lexicon is not None else default_lexicon()
        self._rules: Dict[str, Rule] = {rule.id: rule for rule in rules}
        self._rule_words: Dict[str, FrozenSet[str]] = {}
        # One Matcher per rule, run only when the message holds one of the rule's anchor
        # words: most messages hold none, and the Matcher's set predicates are slow.
        self._matchers: Dict[str, "Matcher"] = {}
        self._anchors: Dict[str, Set[str]] = {}
        for rule in rules:
            patterns = matcher_patterns(rule)
            matcher = Matcher(nlp.vocab, validate=True)  # type: ignore[attr-defined]
            matcher.add(rule.id, patterns)
            self._matchers[rule.id] = matcher
            for pattern in patterns:
                for word in anchor_words(pattern):
                    self._anchors.setdefault(word, set()).add(rule.id)
            self._rule_words[rule.id] = frozenset(
                word for pattern in patterns for _, word in words_in(pattern)
            )

    @classmethod
    def load(cls, model: Optional[str] = None) -> "CrisisScreen":
        """Loads the spaCy pipeline (``HARBOR_SPACY_MODEL`` or ``en_harbor``) and builds."""
        import spacy

        name = model or os.environ.get("HARBOR_SPACY_MODEL", DEFAULT_SPACY_MODEL)
        return cls(spacy.load(name))

    def assess(self, text: str) -> Assessment:
        """Screens one text (see :func:`bot.safety.assess`)."""
        normalised = normalise(text, self._lexicon)
        if not normalised:
            return NO_CRISIS
        speaks_of_now = self._present.search(normalised) is not None
        found: Dict[str, str] = {}
        for chunk in _chunks(normalised):
            self._screen_chunk(chunk, speaks_of_now, found)
        if not found:
            return NO_CRISIS
        categories = {rule_id.split(".", 1)[0] for rule_id in found}
        category = next(c for c in CATEGORIES if c in categories)
        evidence = tuple(f"{rule_id}: {words}" for rule_id, words in found.items())
        return Assessment(category=category, evidence=evidence)

    def _screen_chunk(self, text: str, speaks_of_now: bool, found: Dict[str, str]) -> None:
        doc = self._nlp(text)  # type: ignore[operator]
        active: Set[str] = set()
        backstop_candidates: List[int] = []
        backstop_words = self._words.backstop_words
        for token in doc:  # type: ignore[attr-defined]
            for word in (token.lower_, token.lemma_):
                rule_ids = self._anchors.get(word)
                if rule_ids:
                    active.update(rule_ids)
            if token.lower_ in backstop_words or token.lemma_ in backstop_words:
                backstop_candidates.append(token.i)
        if not active and not backstop_candidates:
            return
        sentences = _sentence_bounds(doc)
        looked_at: Set[int] = set()
        for rule_id in sorted(active):
            rule = self._rules[rule_id]
            for _, start, end in self._matchers[rule_id](doc):
                looked_at.update(range(start, end))
                if rule_id in found:
                    continue
                sent_start, sent_end = sentences[start]
                if self._counts(rule, doc, start, end, sent_start, sent_end, speaks_of_now):
                    found[rule_id] = doc[start:end].text  # type: ignore[index]
        for index in backstop_candidates:
            if index not in looked_at:
                self._backstop(doc, index, sentences[index], speaks_of_now, found)

    def _backstop(
        self,
        doc: "object",
        index: int,
        sentence: Tuple[int, int],
        speaks_of_now: bool,
        found: Dict[str, str],
    ) -> None:
        """Flags a death or self-harm word no rule looked at, when the writer means themself.

        Needs, in the same sentence: "i"/"me"/"my" before the word with nobody else named
        in between, a word of intent ("want", "deserve", "tonight", "keep", ...), no
        negation right before the word, and no sign the sentence is about the past.
        """
        token = doc[index]  # type: ignore[index]
        vocab = self._words
        category = vocab.backstop_words.get(token.lower_) or vocab.backstop_words[token.lemma_]
        rule_id = f"{category}.backstop"
        if rule_id in found:
            return
        start, end = sentence
        words = doc[start:end]  # type: ignore[index]
        intent = vocab.backstop_intent
        if not any(t.lower_ in intent or t.lemma_ in intent for t in words):
            return
        speaker = next(
            (i for i in range(index - 1, start - 1, -1) if doc[i].lower_ in vocab.first_person),  # type: ignore[index]
            None,
        )
        if speaker is None:
            return
        if any(doc[i].lower_ in vocab.other_person for i in range(speaker + 1, index)):  # type: ignore[index]
            return
        if token.lower_ in vocab.life_words or token.lemma_ in vocab.life_words:
            between = doc[speaker + 1 : index]  # type: ignore[index]
            if not any(t.lower_ in vocab.life_negators for t in between):
                return  # "i want to live a quiet life" is the opposite of a death wish
        elif self._negated_before(doc, index, start):
            return
        if DEPENDENCY_RE.match(doc[index + 1 : end].text):  # type: ignore[index]
            return  # "i'll die without him" is attachment pain, as "can't live without him"
        if not speaks_of_now and self._past.search(words.text):
            return
        found[rule_id] = words.text

    def _counts(
        self,
        rule: Rule,
        doc: "object",
        start: int,
        end: int,
        sent_start: int,
        sent_end: int,
        speaks_of_now: bool,
    ) -> bool:
        head = doc[sent_start:start].text  # type: ignore[index]
        tail = doc[end:sent_end].text  # type: ignore[index]
        sentence = doc[sent_start:sent_end].text  # type: ignore[index]
        checks = (
            (rule.tail_unless, lambda rx: rx.match(tail) is None),
            (rule.tail_only, lambda rx: rx.match(tail) is not None),
            (rule.head_unless, lambda rx: rx.search(head) is None),
            (rule.sentence_unless, lambda rx: rx.search(sentence) is None),
            (rule.sentence_requires, lambda rx: rx.search(sentence) is not None),
        )
        for regex, passes in checks:
            pattern = compiled(regex)
            if pattern is not None and not passes(pattern):
                return False
        own_words = self._rule_words[rule.id]
        if any(
            token.lower_ in self._words.wildcard_stop and token.lower_ not in own_words
            for token in doc[start:end]  # type: ignore[index]
        ):
            return False  # a wildcard ran across "it", "and", ...: not one thought
        if rule.partner_only and self._only_partner(sentence):
            return False
        if rule.self_reference and SELF_REFERENCE.search(sentence) is None:
            return False
        if rule.negatable and self._negated(rule, doc, start, end, sent_start):
            return False
        if rule.past_sensitive and not speaks_of_now and self._past.search(sentence):
            return False
        return True

    def _only_partner(self, sentence: str) -> bool:
        """Only a partner is named ("he's better off without me"), nobody wider."""
        return (
            self._partner.search(sentence) is not None
            and self._everyone.search(sentence) is None
        )

    def _negated(self, rule: Rule, doc: "object", start: int, end: int, sent_start: int) -> bool:
        own_words = self._rule_words[rule.id]
        for token in doc[start:end]:  # type: ignore[index]
            if token.lower_ in NEGATIONS and token.lower_ not in own_words:
                return True
        return self._negated_before(doc, start, sent_start)

    @staticmethod
    def _negated_before(doc: "object", start: int, sent_start: int) -> bool:
        position = start - 1
        reach = 0
        while position >= sent_start and reach < MAX_NEGATION_REACH:
            word = doc[position].lower_  # type: ignore[index]
            if word == "no":
                # "no, i want to die" and "no i really want to" answer; "no plans to" negates.
                following = doc[position + 1]  # type: ignore[index]
                return not (following.is_punct or following.lower_ in ANSWER_AFTER_NO)
            if word in NEGATIONS:
                return True
            if word not in NEGATION_REACH:
                return False
            position -= 1
            reach += 1
        return False


def default_rules() -> Sequence[Rule]:
    """The shipped rules (``bot/safety/data/rules/``)."""
    return rules()


def _sentence_bounds(doc: "object") -> List[Tuple[int, int]]:
    """For every token, the (start, end) token indices of its sentence."""
    bounds: List[Tuple[int, int]] = []
    start = 0
    length = len(doc)  # type: ignore[arg-type]
    for index in range(length):
        if doc[index].text in SENTENCE_ENDS or index == length - 1:  # type: ignore[index]
            bounds.extend([(start, index + 1)] * (index + 1 - start))
            start = index + 1
    return bounds


def _chunks(text: str) -> List[str]:
    if len(text) <= CHUNK_CHARS:
        return [text]
    pieces: List[str] = []
    while len(text) > CHUNK_CHARS:
        cut = text.rfind(" . ", 0, CHUNK_CHARS)
        if cut < CHUNK_CHARS // 2:
            cut = text.rfind(" ", 0, CHUNK_CHARS)
        if cut <= 0:
            cut = CHUNK_CHARS
        pieces.append(text[:cut])
        text = text[cut:]
    pieces.append(text)
    return pieces


_screen: Optional[CrisisScreen] = None
_screen_lock = threading.Lock()


def default_screen() -> CrisisScreen:
    """The process-wide screen, built on first use."""
    global _screen
    if _screen is None:
        with _screen_lock:
            if _screen is None:
                _screen = CrisisScreen.load()
    return _screen
