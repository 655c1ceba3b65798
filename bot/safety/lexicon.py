"""Which words are real English, and which unknown words are misspelt trigger words.

The screen's patterns are written with correctly spelt words ("suicide", "myself", "kill").
People at 2 a.m. type "sucide", "myslef", "kil", "diiie". A word that is *not* a known
English word is mapped back to a trigger word when it is a stretched or slightly misspelt
form of one; a known word is never touched (so "subside" never becomes "suicide").

Known words come from the WordNet word lists shipped in ``spacy-lookups-data`` (already a
Harbor dependency, nothing is downloaded) plus the function words and chat forms below.
"""

from __future__ import annotations

import gzip
import importlib.resources
import json
import re
from functools import lru_cache
from typing import Dict, FrozenSet, Iterable, Optional

# Function words and chat forms the WordNet lists lack (they hold content words only).
FUNCTION_WORDS = frozenset(
    """
    a an the i me my mine myself you your yours yourself yourselves he him his himself she
    her hers herself it its itself we us our ours ourselves they them their theirs
    themselves themself one ones someone somebody anyone anybody everyone everybody
    no_one nobody nothing something anything everything this that these those who whom
    whose which what when where why how am is are was were be been being do does did done
    have has had having will would shall should can could may might must ought to of in
    on at by for with about against between into through during before after above below
    from up down out off over under again further then once here there all any both each
    few more most other some such no nor not only own same so than too very just also
    and but or if because as until while although though unless since whether
    i'm i've i'd i'll you're you've you'd you'll he's he'd he'll she's she'd she'll it's
    we're we've we'd we'll they're they've they'd they'll that's there's what's who's
    don't doesn't didn't can't couldn't won't wouldn't shouldn't isn't aren't wasn't
    weren't haven't hasn't hadn't mustn't ain't let's
    lol lmao lmfao rofl omg omfg ok okay okk yeah yea yep yup nope nah hey hi hello bye
    pls plz idk idc imo tbh ngl fr rn btw brb irl smh ty thx haha hahaha hehe ugh ew
    shh shhh hmm hmmm mm mhm oof bruh fam bestie dm dms ig insta snap tiktok
    """.split()
)


def skeleton(word: str) -> str:
    """Collapses every run of a repeated letter: ``"diiie"`` and ``"die"`` → ``"die"``."""
    return re.sub(r"(.)\1+", r"\1", word)


def damerau_levenshtein(a: str, b: str, limit: int) -> int:
    """Edit distance with adjacent swaps; stops early and returns ``limit + 1`` past ``limit``."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] = []
    previous = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = 0 if a[i - 1] == b[j - 1] else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if (
                i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], previous_previous[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def _load_json(name: str) -> object:
    path = importlib.resources.files("spacy_lookups_data").joinpath("data", name)
    with gzip.open(str(path), "rt", encoding="utf8") as f:
        return json.load(f)


@lru_cache(maxsize=1)
def _lemma_lookup() -> Dict[str, str]:
    table = _load_json("en_lemma_lookup.json.gz")
    return {form.lower(): lemma.lower() for form, lemma in table.items()}  # type: ignore[union-attr]


def _wordnet_words() -> FrozenSet[str]:
    words: set[str] = set()
    for forms in _load_json("en_lemma_index.json.gz").values():  # type: ignore[union-attr]
        words.update(word.lower() for word in forms)
    lookup = _lemma_lookup()
    words.update(lookup)
    words.update(lookup.values())
    return frozenset(words)


def inflections(lemmas: Iterable[str]) -> FrozenSet[str]:
    """Every form the lemma table maps to one of ``lemmas`` ("killing" for "kill")."""
    wanted = frozenset(lemmas)
    return frozenset(form for form, lemma in _lemma_lookup().items() if lemma in wanted)


class Lexicon:
    """Tells known words from unknown ones and maps unknown ones to trigger words.

    Args:
        known_words: Real words that must never be rewritten.
        trigger_words: The words the screen's patterns are written with.
        fuzzy_targets: The long, distinctive trigger words worth a fuzzy match
            ("suicide", "myself", "overdose", ...).
    """

    def __init__(
        self,
        known_words: Iterable[str],
        trigger_words: Iterable[str],
        fuzzy_targets: Iterable[str],
    ) -> None:
        self._triggers = frozenset(trigger_words)
        self._known = frozenset(known_words) | FUNCTION_WORDS | self._triggers
        self._by_skeleton: Dict[str, str] = {}
        for word in sorted(self._triggers, key=len):
            self._by_skeleton.setdefault(skeleton(word), word)
        self._fuzzy = tuple(sorted(fuzzy_targets))

    def is_known(self, word: str) -> bool:
        """True for real words and for the trigger words themselves."""
        return word in self._known

    def correct(self, word: str) -> Optional[str]:
        """Returns the trigger word an unknown ``word`` is a variant of, or None.

        Known words are returned unchanged. Stretched words ("diiie", "kil") map through
        their skeleton; long distinctive words also through a small edit distance
        ("sucide", "myslef").
        """
        if word in self._known:
            return word
        by_skeleton = self._by_skeleton.get(skeleton(word))
        if by_skeleton is not None:
            return by_skeleton
        if word.endswith("in") and word + "g" in self._known:
            return word + "g"  # a dropped g: "cuttin", "killin"
        return self._fuzzy_match(skeleton(word) if len(word) > 12 else word)

    def _fuzzy_match(self, word: str) -> Optional[str]:
        if len(word) < 4:
            return None
        best: Optional[str] = None
        best_distance = 99
        for target in self._fuzzy:
            if target[0] != word[0]:
                continue
            limit = 2 if len(target) >= 7 else 1
            distance = damerau_levenshtein(word, target, limit)
            if distance <= limit and distance < best_distance:
                best, best_distance = target, distance
        return best


@lru_cache(maxsize=1)
def default_lexicon() -> Lexicon:
    """The lexicon built from WordNet and the screen's own patterns (loaded once)."""
    from bot.safety.patterns import trigger_lemmas, trigger_words, vocabulary

    words = vocabulary()
    known = _wordnet_words() | words.protected_words
    triggers = trigger_words() | inflections(trigger_lemmas())
    return Lexicon(known, triggers, words.fuzzy_targets)
