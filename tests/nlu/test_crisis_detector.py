"""The CrisisDetector component on Rasa Message objects, as the NLU pipeline runs it.

The server end to end (REST, action server down) is tested with the trained model in the
lead's server tests; here the component is built and called directly.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message

from bench.safety import load_corpus
from bot.nlu.crisis_detector import CrisisDetector, is_plan_command, is_sos

MAX_FALSE_ALARM_RATE = 0.03


@pytest.fixture(scope="module")
def detector(tmp_path_factory: pytest.TempPathFactory) -> CrisisDetector:
    """Built the way Rasa builds it when a model is loaded."""
    return CrisisDetector.create(
        {**CrisisDetector.get_default_config()},
        LocalModelStorage(tmp_path_factory.mktemp("model")),
        Resource("crisis_detector"),
        ExecutionContext(GraphSchema({}), "test"),
    )


def _parsed(
    detector: CrisisDetector,
    text: Optional[str],
    intent: str = "craving_contact",
    entities: Optional[List[Dict[str, Any]]] = None,
) -> Message:
    """A message as it arrives from DIET and the extractors, after the detector ran."""
    classified = {"name": intent, "confidence": 0.61}
    message = Message(
        data={
            "text": text,
            "intent": classified,
            "intent_ranking": [classified, {"name": "greet", "confidence": 0.2}],
            "entities": list(entities or []),
        },
        output_properties={"intent", "intent_ranking", "entities"},
    )
    detector.process([message])
    return message


def test_a_crisis_message_gets_the_crisis_intent_category_and_kind(
    detector: CrisisDetector,
) -> None:
    message = _parsed(detector, "he said he'd kill me if i leave")
    assert message.get("intent") == {"name": "crisis", "confidence": 1.0}
    assert message.get("intent_ranking")[0] == {"name": "crisis", "confidence": 1.0}
    assert [r["name"] for r in message.get("intent_ranking")] == [
        "crisis", "craving_contact", "greet"
    ]
    entities = {e["entity"]: e for e in message.get("entities")}
    assert entities["crisis_category"]["value"] == "danger"
    assert entities["crisis_kind"]["value"] == "danger"
    assert entities["crisis_kind"]["extractor"] == "CrisisDetector"


def test_the_evidence_reaches_the_parse_output(detector: CrisisDetector) -> None:
    message = _parsed(detector, "i want to die", intent="feeling_lonely")
    output = message.as_dict(only_output_properties=True)
    assert output["crisis"] == {
        "tier": "crisis",
        "category": "suicide",
        "kind": "distress",
        "imminent": False,
        "risk": 0.0,
        "evidence": ["suicide.want_die: want to die"],
        "classifier_intent": "feeling_lonely",
    }
    assert output["intent"]["name"] == "crisis"
    assert {e["entity"] for e in output["entities"]} == {"crisis_category", "crisis_kind"}


def test_other_entities_are_kept_and_stale_crisis_entities_replaced(
    detector: CrisisDetector,
) -> None:
    country = {"entity": "country", "value": "GB", "start": 11, "end": 13}
    stale = {"entity": "crisis_category", "value": "danger"}
    text = "i'm in the UK and i want to kill myself"
    message = _parsed(detector, text, entities=[country, stale])
    values = [(e["entity"], e["value"]) for e in message.get("entities")]
    assert values == [
        ("country", "GB"), ("crisis_category", "suicide"), ("crisis_kind", "distress")
    ]


def test_an_ordinary_message_is_left_exactly_as_classified(detector: CrisisDetector) -> None:
    message = _parsed(detector, "i want to text him so bad", entities=[{"entity": "x", "value": 1}])
    assert message.get("intent") == {"name": "craving_contact", "confidence": 0.61}
    assert message.get("entities") == [{"entity": "x", "value": 1}]
    assert message.get("crisis") is None


@pytest.mark.parametrize("text", ["sos", "SOS", "SOS!!", "/sos", "sos please", " s.o.s "])
def test_sos_always_asks_for_the_resources(detector: CrisisDetector, text: str) -> None:
    assert is_sos(text)
    message = _parsed(detector, text, intent="nlu_fallback")
    assert message.get("intent") == {"name": "request_resources", "confidence": 1.0}


@pytest.mark.parametrize("text", ["an sos song", "sostenuto", "so"])
def test_sos_inside_other_words_is_not_a_request(detector: CrisisDetector, text: str) -> None:
    assert not is_sos(text)
    assert _parsed(detector, text).get("intent")["name"] == "craving_contact"


def test_a_crisis_wins_over_sos(detector: CrisisDetector) -> None:
    assert _parsed(detector, "sos i want to die").get("intent")["name"] == "crisis"


@pytest.mark.parametrize("text", [None, "", "   ", "/inform_country{\"country\":\"GB\"}"])
def test_empty_and_payload_messages_pass_through(detector: CrisisDetector, text: Any) -> None:
    assert _parsed(detector, text).get("intent")["name"] == "craving_contact"


@pytest.mark.parametrize(
    "text",
    ["help me make a safety plan", "show my safety plan", "change my safety plan", "safety plan"],
)
def test_a_safety_plan_command_is_not_met_with_the_direct_question(
    detector: CrisisDetector, text: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 14: "safety plan" is a danger word for the rules; the command itself is not.

    With the trained screen these commands come out as unclear (the direct question); that
    question is waived for them. A crisis verdict never is (see the next tests).
    """
    import bot.safety

    unclear = bot.safety.Assessment(None, ("rule: danger.violence_words",), bot.safety.TIER_CHECK,
                                    False, 0.3)
    monkeypatch.setattr(bot.safety, "assess", lambda *args, **kwargs: unclear)
    assert is_plan_command(text)
    message = _parsed(detector, text, intent="request_safety_plan")
    assert message.get("intent")["name"] == "request_safety_plan"
    other = _parsed(detector, "what's the point of any of it", intent="out_of_scope")
    assert other.get("intent")["name"] == "crisis_check"


@pytest.mark.parametrize(
    "text",
    [
        "help me make a safety plan to leave him safely",
        "my safety plan is useless i want to die",
        "i need a safety plan, he hits me",
    ],
)
def test_a_safety_plan_with_more_in_it_is_still_screened(
    detector: CrisisDetector, text: str
) -> None:
    assert not is_plan_command(text)
    message = _parsed(detector, text, intent="request_safety_plan")
    assert message.get("intent")["name"] in ("crisis", "crisis_check")


def test_the_sos_shortcut_can_be_switched_off() -> None:
    detector = CrisisDetector({"resources_intent": None})
    assert _parsed(detector, "sos").get("intent")["name"] == "craving_contact"


def test_it_is_registered_as_a_trainable_intent_classifier() -> None:
    registered = DefaultV1Recipe._from_registry("bot.nlu.crisis_detector.CrisisDetector")
    assert registered.clazz is CrisisDetector
    assert DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER in registered.types
    assert registered.is_trainable


def test_config_places_it_last_in_the_pipeline() -> None:
    import yaml

    config = yaml.safe_load((Path(__file__).resolve().parents[2] / "config.yml").read_text())
    assert config["pipeline"][-1]["name"] == "bot.nlu.crisis_detector.CrisisDetector"


def test_the_corpus_through_the_component(detector: CrisisDetector) -> None:
    corpus = load_corpus()
    missed = [
        text
        for _category, _group, text in corpus["crisis"]
        if _parsed(detector, text).get("intent")["name"] != "crisis"
    ]
    assert not missed
    categories_wrong = [
        text
        for category, _group, text in corpus["crisis"]
        if _parsed(detector, text).get("crisis")["category"] != category
    ]
    assert not categories_wrong
    alarms = [
        text for _group, text in corpus["negative"] if _parsed(detector, text).get("crisis")
    ]
    assert len(alarms) / len(corpus["negative"]) <= MAX_FALSE_ALARM_RATE, alarms
