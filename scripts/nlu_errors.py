"""Breaks down a labelled set's intent errors: the crisis screen's overrides and confused pairs.

    .venv/bin/python scripts/nlu_errors.py FILE [MODEL.tar.gz] [--messages]

FILE is ``intent<TAB>message`` lines (``.tsv``) or a Rasa NLU file (``.yml``). Each message is
parsed twice with the same model: as served (the CrisisDetector last) and with the
CrisisDetector left out, so the screen's share of the errors is counted apart from the
classifier's. Prints accuracy and macro-F1 both ways, how many errors are the screen
overriding a correct or wrong classifier answer, and the commonest confused pairs.
``--messages`` also prints each wrong message: never use it on a blind set (docs/nlu.md).
"""

from __future__ import annotations

import asyncio
import sys
from collections import Counter
from pathlib import Path
from typing import Dict, List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# What the CrisisDetector can set in place of the classifier's intent.
SCREEN_INTENTS = ("crisis", "crisis_check", "request_resources")


def read_examples(path: Path) -> List[Tuple[str, str]]:
    """``(message, intent)`` pairs from a ``.tsv`` (intent<TAB>message) or Rasa ``.yml`` file."""
    if path.suffix == ".tsv":
        from scripts.score_nlu import read_tsv

        return read_tsv(path)
    import yaml

    pairs = []
    for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
        for line in (block.get("examples") or "").splitlines():
            if line.strip().startswith("- "):
                pairs.append((line.strip()[2:].strip(), block["intent"]))
    return pairs


async def _parse_all(model: Path, texts: List[str]) -> Tuple[List[str], List[str]]:
    """The served intent and the intent without the CrisisDetector, per text."""
    import logging

    import structlog
    from rasa.core.agent import Agent

    import bot.nlu.crisis_detector as crisis_detector

    logging.disable(logging.CRITICAL)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
    agent = Agent.load(str(model))
    served = [(await agent.parse_message(text))["intent"]["name"] for text in texts]
    # Rasa's graph keeps the component's method when the model loads: patch, then load again.
    screen = crisis_detector.CrisisDetector.process
    crisis_detector.CrisisDetector.process = lambda self, messages, tracker=None: messages
    try:
        agent = Agent.load(str(model))
        alone = [(await agent.parse_message(text))["intent"]["name"] for text in texts]
    finally:
        crisis_detector.CrisisDetector.process = screen
    return served, alone


def breakdown(expected: List[str], served: List[str], alone: List[str]) -> Dict[str, int]:
    """Counts of the served errors by cause (see the module docstring)."""
    counts: Counter = Counter()
    for want, got, classifier in zip(expected, served, alone, strict=True):
        if got == want:
            counts["right"] += 1
        elif got in SCREEN_INTENTS and got != classifier:
            counts["screen over a right answer" if classifier == want else
                   "screen over a wrong answer"] += 1
        else:
            counts["classifier"] += 1
    return dict(counts)


def main() -> None:
    """Prints both scores, the error causes and the confused pairs."""
    from bench.nlu_eval import score
    from tests.servers import newest_model

    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    examples = read_examples(Path(args[0]))
    model = Path(args[1]) if len(args) > 1 else newest_model()
    texts, expected = [t for t, _ in examples], [i for _, i in examples]
    served, alone = asyncio.run(_parse_all(model, texts))
    for name, predicted in (("served", served), ("without the crisis screen", alone)):
        result = score(expected, predicted)
        print(f"{name}: {result['examples']} examples, accuracy {result['accuracy']:.3f}, "
              f"macro-F1 {result['macro_f1']:.3f}")
    print("errors by cause:", breakdown(expected, served, alone))
    pairs = Counter((w, g) for w, g, c in zip(expected, served, alone, strict=True)
                    if w != g and not (g in SCREEN_INTENTS and g != c))
    print("classifier confusions (expected -> predicted):")
    for (want, got), count in pairs.most_common(40):
        print(f"  {count:3d}  {want} -> {got}")
    screen = Counter((w, g) for w, g, c in zip(expected, served, alone, strict=True)
                     if w != g and g in SCREEN_INTENTS and g != c)
    print("screen overrides (expected -> set by the screen):")
    for (want, got), count in screen.most_common(40):
        print(f"  {count:3d}  {want} -> {got}")
    if "--messages" in sys.argv:
        for text, want, got, classifier in zip(texts, expected, served, alone, strict=True):
            if want != got:
                print(f"{want}\t{got}\t{classifier}\t{text}")


if __name__ == "__main__":
    main()
