"""The crisis screen's rules: read from ``data/rules/*.yml`` and compiled for spaCy's Matcher.

The rules are data (``data/rules/suicide.yml``, ``self_harm.yml``, ``danger.yml``, and the
shared ``vocabulary.yml``); this module reads them, fills in ``${NAME}`` fragments and turns
each pattern into spaCy Matcher patterns. Patterns are written in a small notation so a
reviewer can read them:

- ``word``          the token's lowercase form is ``word``
- ``a|b|c``         its lowercase form is one of these
- ``~kill|hurt``    its lemma is one of these (so "kills", "killed", "killing" all match)
- ``_``             any one token
- ``?`` suffix      the item is optional
- ``@name``         one of the alternatives in the vocabulary's ``macros[name]`` (each may be
                    several tokens)

Every text is normalised first (``bot.safety.normalise``): lowercase, no accents, slang
spelt out ("kms" → "kill myself", "wanna" → "want to"), stretched and misspelt words
repaired ("diiie", "sucide"), emoji that carry meaning turned into words (🔪 → "knife").
Contractions stay split the way spaCy splits them: "don't" is ``do n't``, "he'll" is
``he 'll``, "can't" is ``ca n't``.

A match is then checked against the rule's context (see :class:`Rule`): negation
("i'm not suicidal"), idioms ("my feet are killing me" never matches; "kill myself
laughing" is rejected by ``tail_unless``), accidents ("i cut my finger cooking"), the
past ("i used to cut, 2 years clean") and emotional hurt in a breakup ("he'll hurt me
again if i take him back"). Recall comes first: when in doubt, a rule fires.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, FrozenSet, List, Optional, Pattern, Sequence, Tuple, Union

from bot.safety.assessment import DANGER, SELF_HARM, SUICIDE

Token = Dict[str, object]
TokenPattern = List[Token]


@dataclass(frozen=True)
class Rule:
    """One crisis rule: spaCy patterns and the context a match needs to count.

    Attributes:
        id: Stable name used in evidence, tests and docs, e.g. ``suicide.want_die``.
        category: ``suicide``, ``self_harm`` or ``danger``.
        patterns: Patterns in the notation described in the module docstring.
        tail_unless: Reject when the rest of the sentence (after the match) starts so.
        tail_only: Accept only when the rest of the sentence starts so.
        head_unless: Reject when the sentence before the match contains this.
        sentence_unless: Reject when the sentence contains this.
        sentence_requires: Accept only when the sentence contains this.
        partner_only: Reject when only a partner is named ("he's better off without
            me") and nobody wider ("everyone", "my family").
        self_reference: Accept only when the sentence speaks of the writer
            (i, me, my) — for words like "overdose" that also describe others.
        negatable: A negation right before the match ("not", "never", "n't") cancels it.
            False for rules whose wording already contains the negation
            ("i don't want to live").
        past_sensitive: A match in a sentence about the past ("used to", "2 years
            clean") is cancelled unless the message also speaks of now ("again",
            "tonight", "urges").
    """

    id: str
    category: str
    patterns: Tuple[str, ...]
    tail_unless: Optional[str] = None
    tail_only: Optional[str] = None
    head_unless: Optional[str] = None
    sentence_unless: Optional[str] = None
    sentence_requires: Optional[str] = None
    partner_only: bool = False
    self_reference: bool = False
    negatable: bool = True
    past_sensitive: bool = True


# --- the notation --------------------------------------------------------------------------


def _token(item: str) -> Token:
    optional = item.endswith("?") and len(item) > 1
    if optional:
        item = item[:-1]
    if item == "_":
        # The stop words are checked after matching (bot.safety.screen): a NOT_IN set here
        # would run in Python for every token and double the Matcher's cost.
        token: Token = {"IS_PUNCT": False}
    elif item.startswith("~"):
        token = {"LEMMA": {"IN": item[1:].split("|")}}
    elif "|" in item:
        token = {"LOWER": {"IN": item.split("|")}}
    else:
        token = {"LOWER": item}
    if optional:
        token["OP"] = "?"
    return token


def expand(pattern: str, macros: Optional[Dict[str, Tuple[str, ...]]] = None) -> List[TokenPattern]:
    """Turns one pattern in Harbor's notation into spaCy Matcher patterns.

    Args:
        pattern: Space-separated items (see the module docstring).
        macros: Named alternatives for ``@name`` items (defaults to the vocabulary's).

    Returns:
        One token pattern per combination of macro alternatives.
    """
    macros = vocabulary().macros if macros is None else macros
    sequences: List[TokenPattern] = [[]]
    for item in pattern.split():
        if item.startswith("@"):
            optional = item.endswith("?")
            name = item[1:-1] if optional else item[1:]
            options = [seq for alt in macros[name] for seq in expand(alt, macros)]
            if optional:
                options.append([])
        else:
            options = [[_token(item)]]
        sequences = [seq + option for seq in sequences for option in options]
    return [seq for seq in sequences if any(tok.get("OP") != "?" for tok in seq)]


def matcher_patterns(rule: Rule) -> List[TokenPattern]:
    """All spaCy Matcher patterns of one rule."""
    return [token_pattern for pattern in rule.patterns for token_pattern in expand(pattern)]


def words_in(token_pattern: Sequence[Token]) -> List[Tuple[str, str]]:
    words: List[Tuple[str, str]] = []
    for token in token_pattern:
        for attr in ("LOWER", "LEMMA"):
            value = token.get(attr)
            if isinstance(value, str):
                words.append((attr, value))
            elif isinstance(value, dict) and "IN" in value:
                words.extend((attr, word) for word in value["IN"])  # type: ignore[union-attr]
    return words


# Very frequent words make poor anchors: a pattern is anchored on its rarest required word.
def anchor_words(token_pattern: Sequence[Token]) -> FrozenSet[str]:
    """The words of a pattern's rarest required token: without one of them, no match.

    A required token is one without ``OP: "?"``; its words are its ``LOWER``/``LEMMA``
    value(s). The chosen token avoids common words where it can and has the fewest values.
    """
    candidates: List[Tuple[bool, int, FrozenSet[str]]] = []
    for token in token_pattern:
        if token.get("OP") == "?":
            continue
        values = frozenset(word for _, word in words_in([token]))
        if values:
            candidates.append((bool(values & vocabulary().common_words), len(values), values))
    if not candidates:
        raise ValueError(f"pattern has no required word to anchor on: {token_pattern}")
    return min(candidates, key=lambda c: (c[0], c[1]))[2]


@lru_cache(maxsize=1)
def trigger_words() -> FrozenSet[str]:
    """Every word the patterns are written with (lowercase forms and lemmas)."""
    return frozenset(
        word
        for rule in rules()
        for token_pattern in matcher_patterns(rule)
        for _, word in words_in(token_pattern)
        if re.fullmatch(r"[a-z]+", word)
    )


@lru_cache(maxsize=1)
def trigger_lemmas() -> FrozenSet[str]:
    """The words the patterns match by lemma (their inflected forms are triggers too)."""
    return frozenset(
        word
        for rule in rules()
        for token_pattern in matcher_patterns(rule)
        for attr, word in words_in(token_pattern)
        if attr == "LEMMA" and re.fullmatch(r"[a-z]+", word)
    )


@lru_cache(maxsize=None)
def compiled(regex: Optional[str]) -> Optional[Pattern[str]]:
    """Compiles (once) one of the rules' context expressions."""
    return None if regex is None else re.compile(regex)


# --- the rule files --------------------------------------------------------------------------

RULES_DIR = Path(__file__).resolve().parent / "data" / "rules"
# One file per category, matched in this order.
RULE_FILES = (SUICIDE, SELF_HARM, DANGER)
_FRAGMENT = re.compile(r"\$\{(\w+)\}")
_CONTEXT_FIELDS = (
    "tail_unless", "tail_only", "head_unless", "sentence_unless", "sentence_requires"
)
_FLAG_FIELDS = ("partner_only", "self_reference", "negatable", "past_sensitive")


@dataclass(frozen=True)
class Vocabulary:
    """What the rules share (``vocabulary.yml``), with every ``${NAME}`` filled in.

    Attributes:
        fragments: Named alternatives and context expressions (``PAST``, ``PARTNER_ONLY``...).
        macros: The alternatives of each ``@name`` pattern item.
        fuzzy_targets: Trigger words worth an edit-distance repair.
        protected_words: Words never "repaired".
        backstop_words: Death or self-harm words the backstop looks at, with their category.
        backstop_intent: Words of intent the backstop needs in the sentence.
        life_words: Backstop words that count only after a negation ("don't want to live").
        life_negators: The words that turn a life word into a death wish.
        first_person: Words by which the writer speaks of themself.
        other_person: Words naming someone else.
        wildcard_stop: Words a wildcard (``_``) never stands for.
        common_words: Words too frequent to anchor a pattern on.
    """

    fragments: Dict[str, str]
    macros: Dict[str, Tuple[str, ...]]
    fuzzy_targets: FrozenSet[str]
    protected_words: FrozenSet[str]
    backstop_words: Dict[str, str]
    backstop_intent: FrozenSet[str]
    life_words: FrozenSet[str]
    life_negators: FrozenSet[str]
    first_person: FrozenSet[str]
    other_person: FrozenSet[str]
    wildcard_stop: Tuple[str, ...]
    common_words: FrozenSet[str]


def _read_yaml(path: Path) -> Any:
    import yaml

    with path.open(encoding="utf8") as handle:
        return yaml.safe_load(handle)


def _joined(value: Union[str, List[str]]) -> str:
    """A string written in pieces (a YAML list) is the pieces joined without spaces."""
    return "".join(value) if isinstance(value, list) else value


def _fill(text: str, fragments: Dict[str, str]) -> str:
    def fragment(match: "re.Match[str]") -> str:
        name = match.group(1)
        if name not in fragments:
            raise ValueError(f"unknown fragment ${{{name}}} in {text!r}")
        return fragments[name]

    return _FRAGMENT.sub(fragment, text)


def load_vocabulary(directory: Path = RULES_DIR) -> Vocabulary:
    """Reads ``vocabulary.yml`` from ``directory``."""
    data = _read_yaml(directory / "vocabulary.yml")
    fragments: Dict[str, str] = {}
    for name, value in data["fragments"].items():
        fragments[name] = _fill(_joined(value), fragments)
    backstop = data["backstop"]
    return Vocabulary(
        fragments=fragments,
        macros={
            name: tuple(_fill(_joined(alt), fragments) for alt in alternatives)
            for name, alternatives in data["macros"].items()
        },
        fuzzy_targets=frozenset(data["fuzzy_targets"].split()),
        protected_words=frozenset(data["protected_words"].split()),
        backstop_words={
            word: category
            for category, words in backstop["words"].items()
            for word in words.split()
        },
        backstop_intent=frozenset(backstop["intent"].split()),
        life_words=frozenset(backstop["life_words"].split()),
        life_negators=frozenset(backstop["life_negators"].split()),
        first_person=frozenset(backstop["first_person"].split()),
        other_person=frozenset(backstop["other_person"].split()),
        wildcard_stop=tuple(data["wildcard_stop"].split()),
        common_words=frozenset(data["common_words"].split()),
    )


def _compile_rule(entry: Dict[str, Any], category: str, fragments: Dict[str, str]) -> Rule:
    unknown = set(entry) - {"id", "patterns", *_CONTEXT_FIELDS, *_FLAG_FIELDS}
    if unknown:
        raise ValueError(f"rule {entry.get('id')}: unknown fields {sorted(unknown)}")
    rule_id = entry["id"]
    if rule_id.split(".", 1)[0] != category:
        raise ValueError(f"rule {rule_id} is in the {category} file")
    context: Dict[str, Any] = {
        name: _fill(_joined(entry[name]), fragments) for name in _CONTEXT_FIELDS if name in entry
    }
    context.update({name: bool(entry[name]) for name in _FLAG_FIELDS if name in entry})
    patterns = tuple(_fill(pattern, fragments) for pattern in entry["patterns"])
    return Rule(rule_id, category, patterns, **context)


def load_rules(
    directory: Path = RULES_DIR, vocabulary: Optional[Vocabulary] = None
) -> Tuple[Rule, ...]:
    """Reads and compiles the rules of every category file in ``directory``."""
    vocabulary = vocabulary or load_vocabulary(directory)
    return tuple(
        _compile_rule(entry, category, vocabulary.fragments)
        for category in RULE_FILES
        for entry in _read_yaml(directory / f"{category}.yml")
    )


@lru_cache(maxsize=1)
def vocabulary() -> Vocabulary:
    """The shipped vocabulary (read once)."""
    return load_vocabulary()


@lru_cache(maxsize=1)
def rules() -> Tuple[Rule, ...]:
    """The shipped rules, in matching order (read and compiled once)."""
    return load_rules(vocabulary=vocabulary())
