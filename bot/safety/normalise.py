"""Turns what people type into plain lowercase English the crisis patterns can read.

Order matters: Unicode and emoji first, then letters (accents, leetspeak, censoring),
then whole words (slang, contractions typed without apostrophes, misspellings).
The result is for matching only; it is never shown to anyone.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Callable, Dict, Optional

from bot.safety.lexicon import Lexicon, default_lexicon

# Emoji that carry crisis meaning become words; the patterns decide whether the context
# makes them a crisis ("i want to 🔪 myself") or not ("🔪 cutting the cake").
EMOJI_WORDS: Dict[str, str] = {
    "🔪": "knife", "🗡": "knife", "💊": "pills", "🪦": "grave", "⚰": "coffin",
    "🩸": "blood", "🔫": "gun", "🪢": "rope", "☠": "skull", "💀": "skull",
}
# Marks that change an emoji's look but not its meaning (variation selectors, skin tones,
# zero-width joiners).
_EMOJI_MODIFIERS = re.compile("[\ufe0e\ufe0f\u200d\U0001F3FB-\U0001F3FF]")

_PUNCTUATION = str.maketrans({
    "’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "＇": "'", "′": "'",
    "“": '"', "”": '"', "„": '"', "–": "-", "—": " - ", "…": "...",
})

# Whole-word replacements: slang and contractions typed without the apostrophe.
SLANG: Dict[str, str] = {
    # crisis slang
    "kms": "kill myself", "kmss": "kill myself", "kmsl": "laughing", "kys": "kill yourself",
    "selfharm": "self harm", "selfharming": "self harming", "selfharmed": "self harmed",
    "selfhate": "self hate", "sh'd": "self harmed", "sh'ing": "self harming",
    "od": "overdose", "od'd": "overdosed", "od'ed": "overdosed", "oded": "overdosed",
    "od'ing": "overdosing", "oding": "overdosing", "meself": "myself", "myselfe": "myself",
    # spoken forms
    "wanna": "want to", "gonna": "going to", "gotta": "got to", "tryna": "trying to",
    "hafta": "have to", "outta": "out of", "kinda": "kind of", "sorta": "sort of",
    "lemme": "let me", "gimme": "give me", "dunno": "don't know", "finna": "going to",
    "boutta": "about to", "abt": "about",
    # contractions without apostrophes ("ill", "id", "were", "hell", "shed" are real words)
    "im": "i'm", "ive": "i've", "dont": "don't", "cant": "can't", "wont": "won't",
    "didnt": "didn't", "doesnt": "doesn't", "isnt": "isn't", "wasnt": "wasn't",
    "werent": "weren't", "arent": "aren't", "wouldnt": "wouldn't", "couldnt": "couldn't",
    "shouldnt": "shouldn't", "havent": "haven't", "hasnt": "hasn't", "hadnt": "hadn't",
    "aint": "ain't", "hes": "he's", "shes": "she's", "theyre": "they're",
    "theyll": "they'll", "theyve": "they've", "youre": "you're", "youll": "you'll",
    "thats": "that's", "whats": "what's", "theres": "there's", "itll": "it'll",
    "ill've": "i'll have", "idc": "i don't care",
    # chat spellings
    "u": "you", "ur": "your", "r": "are", "ya": "you", "b4": "before", "bc": "because",
    "cuz": "because", "coz": "because", "cos": "because", "bcuz": "because", "tho": "though",
    "thru": "through", "rn": "right now", "tn": "tonight", "tonite": "tonight",
    "2nite": "tonight", "2night": "tonight", "2day": "today", "tmrw": "tomorrow",
    "tmr": "tomorrow", "tmrow": "tomorrow", "2moro": "tomorrow", "2morrow": "tomorrow",
    "pls": "please", "plz": "please", "ppl": "people", "every1": "everyone",
    "evry1": "everyone", "evryone": "everyone", "some1": "someone", "sum1": "someone",
    "no1": "no one", "noone": "no one", "any1": "anyone", "bf": "boyfriend",
    "gf": "girlfriend", "hubby": "husband", "wud": "would", "cud": "could", "shud": "should",
    "wat": "what", "wen": "when", "prolly": "probably",
    "def": "definitely", "smth": "something", "sth": "something", "nvm": "never mind",
    "srsly": "seriously", "bday": "birthday",
}

_LEET = str.maketrans({"0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t",
                       "@": "a", "$": "s"})
# Numbers with a unit or an ordinal are left alone ("3am", "2nd", "10mg", "24/7").
_NUMBER_WITH_UNIT = re.compile(
    r"\d+(am|pm|st|nd|rd|th|s|x|k|h|hr|hrs|min|mins|mg|ml|yo|yr|yrs|m|d|w|g|kg|lbs?|ft|k)"
)
_MIXED_TOKEN = re.compile(r"[a-z0-9@$]*[a-z][a-z0-9@$]*")
_WORD = re.compile(r"[a-z]+(?:'[a-z]+)*")
_DOTTED = re.compile(r"\b(?:[a-z]\.){2,}[a-z]?\b\.?")
_SPACED = re.compile(r"\b(?:[a-z][ \-_]){3,}[a-z]\b")
# "kill my self" → "kill myself", but "my self-harm" and "my self esteem" stay as they are.
_MY_SELF = re.compile(
    r"\bmy self\b(?!-|\s+(harm|injur|hurt|destruct|care|esteem|worth|love|respect|image|"
    r"confidence|doubt|hat))"
)


def _fold(text: str) -> str:
    """Unicode compatibility forms, typographic punctuation, emoji, accents, case."""
    text = unicodedata.normalize("NFKC", text).translate(_PUNCTUATION)
    text = _EMOJI_MODIFIERS.sub("", text)
    for emoji, word in EMOJI_WORDS.items():
        if emoji in text:
            text = text.replace(emoji, f" {word} ")
    decomposed = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return text.casefold()


def _unleet(match: "re.Match[str]") -> str:
    token = match.group(0)
    if token.isalpha() or token in SLANG or _NUMBER_WITH_UNIT.fullmatch(token):
        return token
    # Only digits inside or at the end of a word are letters in disguise: "su1c1d3".
    if not token[0].isalpha():
        return token
    return token.translate(_LEET)


def _uncensor(text: str) -> str:
    """``k*ll`` and ``k!ll`` → ``kill``: a starred or banged letter is most often an i."""
    return re.sub(r"(?<=[a-z])[*!]+(?=[a-z])", "i", text)


def _join_letters(lexicon: Lexicon) -> Callable[["re.Match[str]"], str]:
    def join(match: "re.Match[str]") -> str:
        word = re.sub(r"[ \-_]", "", match.group(0))
        return word if lexicon.correct(word) == word and lexicon.is_known(word) else match.group(0)

    return join


def _fix_word(lexicon: Lexicon) -> Callable[["re.Match[str]"], str]:
    def fix(match: "re.Match[str]") -> str:
        word = match.group(0)
        if word in SLANG:
            return SLANG[word]
        corrected = lexicon.correct(word)
        return corrected if corrected is not None else word

    return fix


# Floods cost seconds in spaCy's tokenizer (a 4,000-emoji run is one "word" it keeps
# re-scanning) and mean nothing more after a few: a symbol repeated past three times counts
# as three, and a run with no space is broken every 64 characters (no word is that long).
_SYMBOL_RUN = re.compile(r"([^\w\s])\1{3,}")
_LONG_RUN = re.compile(r"\S{64}")


def _bound_runs(text: str) -> str:
    text = _SYMBOL_RUN.sub(r"\1\1\1", text)
    return _LONG_RUN.sub(lambda match: match.group(0) + " ", text)


def normalise(text: str, lexicon: Optional[Lexicon] = None) -> str:
    """Returns ``text`` as lowercase plain words for the crisis patterns.

    Args:
        text: Whatever the person typed (any length; empty is fine).
        lexicon: Known and trigger words (defaults to :func:`default_lexicon`).

    Returns:
        The normalised text, e.g. ``"I WANNA K1LL MYSLEF 🔪"`` →
        ``"i want to kill myself knife"``.
    """
    if not text:
        return ""
    lexicon = default_lexicon() if lexicon is None else lexicon
    text = _fold(_bound_runs(text))
    text = re.sub(r"[\r\n]+", " . ", text)
    text = _uncensor(text)
    text = _MIXED_TOKEN.sub(_unleet, text)
    text = _DOTTED.sub(lambda m: m.group(0).replace(".", ""), text)
    text = _SPACED.sub(_join_letters(lexicon), text)
    text = _WORD.sub(_fix_word(lexicon), text)
    text = _MY_SELF.sub("myself", text)
    return re.sub(r"\s+", " ", text).strip()
