"""The rules' notation, and properties every rule must keep."""

from typing import Any, Dict

import pytest
import spacy
from spacy.matcher import Matcher

from bot.safety.assessment import CATEGORIES
from bot.safety.patterns import anchor_words, expand, matcher_patterns, rules


def test_notation_expands_to_spacy_patterns() -> None:
    macros = {"who": ("he|she", "my ex")}
    assert expand("@who ~hit me", macros) == [
        [{"LOWER": {"IN": ["he", "she"]}}, {"LEMMA": {"IN": ["hit"]}}, {"LOWER": "me"}],
        [{"LOWER": "my"}, {"LOWER": "ex"}, {"LEMMA": {"IN": ["hit"]}}, {"LOWER": "me"}],
    ]
    assert expand("want to? _? die", macros) == [
        [{"LOWER": "want"}, {"LOWER": "to", "OP": "?"}, {"IS_PUNCT": False, "OP": "?"},
         {"LOWER": "die"}]
    ]


def test_rule_ids_are_unique_and_name_their_category() -> None:
    ids = [rule.id for rule in rules()]
    assert len(ids) == len(set(ids))
    for rule in rules():
        assert rule.category in CATEGORIES
        assert rule.id.split(".")[0] == rule.category


@pytest.mark.parametrize("rule", rules(), ids=lambda rule: rule.id)
def test_every_pattern_is_valid_for_spacy(rule: Any) -> None:
    matcher = Matcher(spacy.blank("en").vocab, validate=True)
    matcher.add(rule.id, matcher_patterns(rule))
    for pattern in matcher_patterns(rule):
        assert anchor_words(pattern), pattern


def test_every_rule_catches_something_in_the_corpus(screen: Any, corpus: Dict[str, Any]) -> None:
    fired = set()
    for _category, _group, text in corpus["crisis"]:
        fired.update(screen.assess(text).rule_ids)
    silent = sorted(rule.id for rule in rules() if rule.id not in fired)
    assert not silent, f"rules with no corpus example (add one): {silent}"


@pytest.mark.parametrize(
    ("form", "lemma"),
    [
        ("killing", "kill"), ("killed", "kill"), ("cutting", "cut"), ("hitting", "hit"),
        ("choked", "choke"), ("strangled", "strangle"), ("threatened", "threaten"),
        ("threatening", "threaten"), ("stabbed", "stab"), ("overdosed", "overdose"),
        ("said", "say"), ("burned", "burn"), ("starving", "starve"), ("wished", "wish"),
        ("hoping", "hope"), ("thinking", "think"), ("following", "follow"),
        ("punched", "punch"), ("slapped", "slap"), ("kicked", "kick"), ("pushed", "push"),
        ("grabbed", "grab"), ("beating", "beat"), ("giving", "give"), ("wrote", "write"),
        ("jumping", "jump"), ("hurting", "hurt"), ("wanted", "want"), ("took", "take"),
        ("swallowed", "swallow"), ("locked", "lock"), ("forced", "force"), ("raped", "rape"),
    ],
)
def test_the_lemmatizer_gives_the_lemmas_rules_rely_on(screen: Any, form: str, lemma: str) -> None:
    assert screen._nlp(form)[0].lemma_ == lemma
