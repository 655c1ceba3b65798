"""Harbor says it in its own words: no sentence of the source article is copied.

Every text the bot can send — the content library and every domain response — is
compared with the article after normalising case, punctuation and curly quotes:
no article sentence (of four words or more) may appear inside it, and no run of eight
words may be shared.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
ARTICLE = Path("/work/shared/source/attachment-article.txt")
SHINGLE = 8
MIN_SENTENCE_WORDS = 4


def words(text: str) -> List[str]:
    """Lower-case words with apostrophes kept ("doesn't"), punctuation dropped."""
    text = text.lower().translate(str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"'}))
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text)


def shingles(tokens: List[str], size: int = SHINGLE) -> Set[Tuple[str, ...]]:
    return {tuple(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}


def article_sentences(text: str) -> List[List[str]]:
    parts = re.split(r"(?<=[.!?:\"”])\s+|\n|(?<=[a-z.])(?=[A-Z][a-z]+ [a-z])", text)
    return [w for w in (words(p) for p in parts) if len(w) >= MIN_SENTENCE_WORDS]


def harbor_texts() -> Iterator[Tuple[str, str]]:
    """Every string in the content data and in every domain response."""
    files = sorted((ROOT / "bot/content/data").glob("*.yml"))
    for path in files:
        yield from _strings(yaml.safe_load(path.read_text(encoding="utf-8")), path.name)
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        yield from _strings(data.get("responses") or {}, path.name)


def _strings(node, where: str) -> Iterator[Tuple[str, str]]:
    if isinstance(node, str):
        yield where, node
    elif isinstance(node, dict):
        for key, value in node.items():
            yield from _strings(value, f"{where}:{key}")
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _strings(value, f"{where}[{index}]")


@pytest.fixture(scope="module")
def article() -> str:
    if not ARTICLE.exists():
        pytest.fail(f"the source article is missing at {ARTICLE}")
    return ARTICLE.read_text(encoding="utf-8")


def test_the_checks_would_catch_a_copy(article):
    copied = (
        "As the article says, the nervous system doesn't crave calm; it craves what's familiar."
    )
    sentences = article_sentences(article)
    assert any(_contains(words(copied), s) for s in sentences)
    borrowed = "and your brain keeps chasing the next high even when the relationship hurts"
    assert shingles(words(borrowed)) & shingles(words(article)) or any(
        _contains(words(borrowed), s) for s in sentences
    )


def _contains(haystack: List[str], needle: List[str]) -> bool:
    return f" {' '.join(needle)} " in f" {' '.join(haystack)} "


def test_no_article_sentence_is_copied(article):
    sentences = article_sentences(article)
    copied = [
        (where, " ".join(sentence))
        for where, text in harbor_texts()
        for sentence in sentences
        if _contains(words(text), sentence)
    ]
    assert copied == []


def test_no_eight_word_run_is_shared(article):
    source = shingles(words(article))
    shared = [
        (where, " ".join(run))
        for where, text in harbor_texts()
        for run in shingles(words(text)) & source
    ]
    assert shared == []


def test_there_is_plenty_to_check():
    assert sum(1 for _ in harbor_texts()) > 150
