"""Scores a held-out intent file with a trained model, in-process: accuracy and macro-F1 only.

    .venv/bin/python scripts/score_nlu.py FILE.tsv [MODEL.tar.gz]

FILE holds ``intent<TAB>message`` lines. Only the totals are printed, never the messages or
the confusions, so a blind set can be scored once without being read (see docs/nlu.md).
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import List, Tuple

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def read_tsv(path: Path) -> List[Tuple[str, str]]:
    """``(message, intent)`` pairs from an ``intent<TAB>message`` file (blank lines skipped)."""
    pairs = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#") or "\t" not in line:
            continue
        intent, message = line.split("\t", 1)
        pairs.append((message.strip(), intent.strip()))
    return pairs


async def _parse_all(model: Path, texts: List[str]) -> List[str]:
    import logging

    import structlog
    from rasa.core.agent import Agent

    # Rasa's debug log repeats every parsed message: keep the messages unread.
    logging.disable(logging.CRITICAL)
    structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))

    agent = Agent.load(str(model))
    return [(await agent.parse_message(text))["intent"]["name"] for text in texts]


def main() -> None:
    """Prints the example count, accuracy and macro-F1."""
    from bench.nlu_eval import score
    from tests.servers import newest_model

    examples = read_tsv(Path(sys.argv[1]))
    model = Path(sys.argv[2]) if len(sys.argv) > 2 else newest_model()
    predicted = asyncio.run(_parse_all(model, [text for text, _ in examples]))
    result = score([intent for _, intent in examples], predicted)
    print(f"model {model.name}: {result['examples']} examples, "
          f"accuracy {result['accuracy']:.3f}, macro-F1 {result['macro_f1']:.3f}")


if __name__ == "__main__":
    main()
