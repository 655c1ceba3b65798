"""What the simulated people say, to Harbor and to Rasa's starter bot.

Harbor's conversation is the 2 a.m. path the issue names: a craving message, then a number
(the urge's strength), which runs custom actions and writes to the database. The starter
bot's conversation walks its own happy path (greet, mood, affirm, goodbye), so both bots
answer every turn with what they were built for.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Sequence, Tuple

import yaml

ROOT = Path(__file__).resolve().parent.parent
HELDOUT = ROOT / "tests" / "nlu" / "heldout.yml"

HARBOR_CONVERSATION: Tuple[str, ...] = (
    "hey",
    "i want to text him so bad right now",
    "7",
    "thank you",
)

STARTER_CONVERSATION: Tuple[str, ...] = (
    "hello there",
    "i am very sad",
    "yes",
    "bye",
)

# Parsed by both bots for /model/parse latency; everyday sentences, no crisis wording.
PARSE_TEXTS: Tuple[str, ...] = (
    "hi",
    "i want to text him so bad right now",
    "i texted her last night and now i feel awful",
    "why cant i let go of someone who hurt me",
    "my chest is tight and i cant breathe properly",
    "its 3am and i cant sleep again",
    "i feel like i'm not enough for anyone",
    "are you a real person",
    "what can you do",
    "thanks, that helped",
    "bye",
    "i am very sad",
)


def heldout_examples(path: Path = HELDOUT) -> List[Tuple[str, str]]:
    """``(text, intent)`` pairs from a Rasa NLU YAML file (the held-out set)."""
    document = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in document.get("nlu", []):
        intent = block.get("intent")
        if not intent:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- ") and line[2:].strip():
                pairs.append((line[2:].strip(), intent))
    return pairs


def split_scenario(value: str) -> Sequence[str]:
    """``"a|b|c"`` from the command line as a conversation."""
    return tuple(part.strip() for part in value.split("|") if part.strip())


def conversations() -> Dict[str, Sequence[str]]:
    """The default conversation of each bot, by bot name."""
    return {"harbor": HARBOR_CONVERSATION, "starter": STARTER_CONVERSATION}
