"""The crisis layer's NLU data: enough examples, none that reads as a crisis."""

from pathlib import Path
from typing import Dict, List

import yaml

from bot.reading.country_names import find_country
from bot.safety import assess

ROOT = Path(__file__).resolve().parents[2]
INTENTS = ("request_resources", "inform_country", "false_alarm", "feeling_safe")


def _examples(path: Path) -> Dict[str, List[str]]:
    found: Dict[str, List[str]] = {}
    for item in (yaml.safe_load(path.read_text(encoding="utf8")) or {}).get("nlu", []):
        if "intent" in item:
            found.setdefault(item["intent"], []).extend(
                line.strip()[2:].strip()
                for line in item["examples"].splitlines()
                if line.strip().startswith("- ")
            )
    return found


def test_each_crisis_layer_intent_has_at_least_15_examples() -> None:
    examples = _examples(ROOT / "data" / "nlu" / "crisis.yml")
    for intent in INTENTS:
        assert len(examples.get(intent, [])) >= 15, intent


def test_the_crisis_intent_is_never_trained() -> None:
    # Only the CrisisDetector sets `crisis`; an example would teach the classifier to
    # guess it (and to overrule the screen's negation and idiom handling).
    for path in (ROOT / "data" / "nlu").glob("*.yml"):
        assert "crisis" not in _examples(path), path.name


def test_no_example_reads_as_a_crisis() -> None:
    examples = _examples(ROOT / "data" / "nlu" / "crisis.yml")
    flagged = [text for texts in examples.values() for text in texts if assess(text).is_crisis]
    assert not flagged


def test_every_country_example_names_a_country_the_extractor_knows() -> None:
    for text in _examples(ROOT / "data" / "nlu" / "crisis.yml")["inform_country"]:
        assert find_country(text) is not None, text


def test_sos_is_among_the_resource_requests() -> None:
    assert {"sos", "SOS", "/sos"} <= set(
        _examples(ROOT / "data" / "nlu" / "crisis.yml")["request_resources"]
    )
