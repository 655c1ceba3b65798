"""The CrisisDetector with a model and a tracker: the direct question, its answers, context.

A stub stands in for the trained model so that each test says exactly what the model
"thinks"; the real model is measured on blind sets (make bench) and end to end in tests/e2e.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.events import ActionExecuted, Event, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.crisis_detector import CrisisDetector
from bot.safety.classifier import Scores

UNCLEAR = {"none": 0.45, "unclear": 0.45, "suicide": 0.1, "self_harm": 0.0, "danger": 0.0}
RISKY = {"none": 0.7, "unclear": 0.1, "suicide": 0.2, "self_harm": 0.0, "danger": 0.0}
CRISIS = {"none": 0.1, "unclear": 0.1, "suicide": 0.8, "self_harm": 0.0, "danger": 0.0}
SAFE = {"none": 0.98, "unclear": 0.01, "suicide": 0.01, "self_harm": 0.0, "danger": 0.0}


class StubModel:
    """Scores by exact text; a text joined from several messages scores as ``joined``."""

    def __init__(self, table: Dict[str, Dict[str, float]], joined: Optional[Dict] = None):
        self.table, self.joined = table, joined or SAFE

    def score(self, text: str, rules: Any = None) -> Scores:
        if " ... " in text:
            return Scores(self.joined)
        return Scores(self.table.get(text, SAFE))


def _detector(model: StubModel) -> CrisisDetector:
    return CrisisDetector({}, classifier=model)  # type: ignore[arg-type]


def _tracker(*events: Event) -> DialogueStateTracker:
    return DialogueStateTracker.from_events("someone", [SessionStarted(), *events])


def _user(text: str, intent: str = "feeling_lonely", ago: float = 10.0) -> UserUttered:
    return UserUttered(text, {"name": intent, "confidence": 0.9}, timestamp=time.time() - ago)


def _parse(detector: CrisisDetector, text: str, tracker: Optional[DialogueStateTracker] = None,
           intent: str = "feeling_lonely") -> Dict:
    message = Message(
        data={"text": text, "intent": {"name": intent, "confidence": 0.5}, "entities": []},
        output_properties={"intent", "intent_ranking", "entities"},
    )
    detector.process([message], tracker)
    return message.as_dict(only_output_properties=True)


def test_an_unclear_message_gets_the_check_intent_without_crisis_entities() -> None:
    parsed = _parse(_detector(StubModel({"whats the point": UNCLEAR})), "whats the point")
    assert parsed["intent"] == {"name": "crisis_check", "confidence": 1.0}
    assert parsed["crisis"]["tier"] == "check"
    assert not parsed["entities"]


def test_the_model_alone_can_make_a_crisis() -> None:
    text = "gave my dog to my sister and wrote everyone a letter"
    parsed = _parse(_detector(StubModel({text: CRISIS})), text)
    assert parsed["intent"]["name"] == "crisis"
    assert {e["entity"]: e["value"] for e in parsed["entities"]} == {
        "crisis_category": "suicide", "crisis_kind": "distress"}


def test_an_imminent_crisis_gets_the_urgent_kind() -> None:
    text = "sitting in the car in the garage with the engine on"
    parsed = _parse(_detector(StubModel({text: CRISIS})), text)
    assert {e["entity"]: e["value"] for e in parsed["entities"]}["crisis_kind"] == (
        "urgent_distress")


@pytest.mark.parametrize("answer", ["yes", "yeah kinda", "not sure", "idk", "maybe"])
def test_yes_or_not_sure_after_the_question_is_a_crisis(answer: str) -> None:
    tracker = _tracker(_user("whats the point", "crisis_check"),
                       ActionExecuted("utter_crisis_check"), ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({})), answer, tracker, intent="affirm")
    assert parsed["intent"]["name"] == "crisis"
    assert parsed["crisis"]["evidence"] == ["check: answered yes or not sure"]


@pytest.mark.parametrize("answer", ["no", "nope", "no i'm not", "nah"])
def test_no_after_the_question_is_left_to_the_dialogue(answer: str) -> None:
    tracker = _tracker(_user("whats the point", "crisis_check"),
                       ActionExecuted("utter_crisis_check"), ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({})), answer, tracker, intent="deny")
    assert parsed["intent"]["name"] == "deny"


def test_yes_elsewhere_is_just_yes() -> None:
    tracker = _tracker(_user("hi", "greet"), ActionExecuted("utter_greet"),
                       ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({})), "yes", tracker, intent="affirm")
    assert parsed["intent"]["name"] == "affirm"


def test_button_payloads_are_left_to_rasa() -> None:
    tracker = _tracker(ActionExecuted("utter_crisis_check"), ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({})), "/deny", tracker, intent="deny")
    assert parsed["intent"]["name"] == "deny"


@pytest.mark.parametrize(
    ("alone", "alone_intent"),
    [(RISKY, None), (UNCLEAR, "crisis_check")],
    ids=["some risk alone", "the question alone"],
)
def test_risk_across_turns_becomes_a_crisis(alone: Any, alone_intent: Any) -> None:
    first, second = "what's the point of anything", "how long does it take to bleed out"
    model = StubModel({first: RISKY, second: alone}, joined=CRISIS)
    tracker = _tracker(_user(first), ActionExecuted("utter_default"),
                       ActionExecuted("action_listen"))
    if alone_intent:
        assert _parse(_detector(model), second)["intent"]["name"] == alone_intent
    parsed = _parse(_detector(model), second, tracker)
    assert parsed["intent"]["name"] == "crisis"
    assert parsed["crisis"]["evidence"][-1] == "context: 1 earlier message(s)"


def test_context_never_lowers_the_answer() -> None:
    first, second = "hmm", "whats the point"
    model = StubModel({first: SAFE, second: UNCLEAR}, joined=SAFE)
    tracker = _tracker(_user(first), ActionExecuted("action_listen"))
    assert _parse(_detector(model), second, tracker)["intent"]["name"] == "crisis_check"


def test_alone_the_same_message_is_not_a_crisis() -> None:
    second = "how long does it take to bleed out"
    model = StubModel({second: RISKY}, joined=CRISIS)
    assert _parse(_detector(model), second, _tracker())["intent"]["name"] != "crisis"


def test_a_harmless_message_after_a_risky_one_does_not_reopen_anything() -> None:
    model = StubModel({"whats the point": RISKY}, joined=CRISIS)
    tracker = _tracker(_user("whats the point"), ActionExecuted("action_listen"))
    assert _parse(_detector(model), "ok thanks", tracker)["intent"]["name"] == "feeling_lonely"


def test_messages_that_had_their_safety_answer_are_not_read_again() -> None:
    model = StubModel({"hmm": RISKY}, joined=CRISIS)
    tracker = _tracker(_user("i want to die", "crisis"), ActionExecuted("utter_crisis"),
                       ActionExecuted("action_listen"))
    assert _parse(_detector(model), "hmm", tracker)["intent"]["name"] != "crisis"


def test_old_messages_are_not_context() -> None:
    model = StubModel({"hmm": RISKY}, joined=CRISIS)
    tracker = _tracker(_user("whats the point", ago=3 * 3600), ActionExecuted("action_listen"))
    assert _parse(_detector(model), "hmm", tracker)["intent"]["name"] != "crisis"


def test_a_broken_model_leaves_the_rules_answering() -> None:
    class Broken:
        def score(self, text: str, rules: Any = None) -> Scores:
            raise RuntimeError("boom")

    detector = CrisisDetector({}, classifier=Broken())  # type: ignore[arg-type]
    assert _parse(detector, "i want to kill myself")["intent"]["name"] == "crisis"
    assert _parse(detector, "hello")["intent"]["name"] == "feeling_lonely"


def test_trained_and_loaded_through_rasa_model_storage(tmp_path: Path, monkeypatch) -> None:
    corpus = tmp_path / "data" / "safety" / "train"
    corpus.mkdir(parents=True)
    lines: List[str] = [f"suicide\t0\ti want to die {n}" for n in range(5)]
    lines += [f"none\t0\tlovely weather {n}" for n in range(5)]
    (corpus / "a.tsv").write_text("\n".join(lines))
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model").mkdir()
    storage = LocalModelStorage(tmp_path / "model")
    resource = Resource("crisis_detector")
    context = ExecutionContext(GraphSchema({}), "test")
    trained = CrisisDetector.create({}, storage, resource, context)
    trained.train(TrainingData())
    loaded = CrisisDetector.load({}, storage, resource, context)
    assert loaded.classifier is not None
    assert loaded.classifier.score("i want to die 3") == trained.classifier.score("i want to die 3")
    assert CrisisDetector.fingerprint_addon({}) != CrisisDetector.fingerprint_addon(
        {"corpus": "elsewhere"})


def test_a_model_without_the_trained_screen_still_loads(tmp_path: Path) -> None:
    storage = LocalModelStorage(tmp_path)
    loaded = CrisisDetector.load({}, storage, Resource("missing"),
                                 ExecutionContext(GraphSchema({}), "test"))
    assert loaded.classifier is None
    assert _parse(loaded, "i want to kill myself")["intent"]["name"] == "crisis"


def test_the_question_does_not_talk_over_a_false_alarm_reply() -> None:
    model = StubModel({"that's not what i meant": UNCLEAR})
    parsed = _parse(_detector(model), "that's not what i meant", intent="false_alarm")
    assert parsed["intent"]["name"] == "false_alarm"


def test_some_risk_right_after_the_crisis_card_gets_the_card_again_not_the_question() -> None:
    from rasa.shared.core.events import SlotSet

    tracker = _tracker(_user("i want to die", "crisis"), SlotSet("crisis_active", True),
                       ActionExecuted("utter_crisis"), ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({"whats the point": UNCLEAR})), "whats the point", tracker)
    assert parsed["intent"]["name"] == "crisis"
    assert parsed["crisis"]["evidence"][0] == "risk right after a crisis answer"


def test_no_risk_after_the_crisis_card_is_answered_as_itself() -> None:
    from rasa.shared.core.events import SlotSet

    tracker = _tracker(_user("i want to die", "crisis"), SlotSet("crisis_active", True),
                       ActionExecuted("utter_crisis"), ActionExecuted("action_listen"))
    parsed = _parse(_detector(StubModel({})), "thank you", tracker, intent="thanks")
    assert parsed["intent"]["name"] == "thanks"


def test_a_crisis_still_wins_after_the_crisis_card() -> None:
    from rasa.shared.core.events import SlotSet

    tracker = _tracker(SlotSet("crisis_active", True), ActionExecuted("action_listen"))
    text = "he's back and banging on the door"
    assert _parse(_detector(StubModel({text: CRISIS})), text, tracker)["intent"]["name"] == "crisis"


def test_a_model_only_crisis_in_confident_ordinary_traffic_gets_the_question() -> None:
    text = "put my phone in another room and the urge went away"
    message = Message(
        data={"text": text, "intent": {"name": "share_win", "confidence": 0.78}, "entities": []},
        output_properties={"intent", "intent_ranking", "entities"},
    )
    _detector(StubModel({text: CRISIS})).process([message], None)
    parsed = message.as_dict(only_output_properties=True)
    assert parsed["intent"]["name"] == "crisis_check"
    assert parsed["crisis"]["evidence"][-1] == "intent: share_win 0.78"


def test_a_rule_crisis_is_never_doubted_by_the_intent_classifier() -> None:
    message = Message(
        data={"text": "i want to kill myself", "intent": {"name": "share_win", "confidence": 0.99},
              "entities": []},
        output_properties={"intent", "intent_ranking", "entities"},
    )
    _detector(StubModel({"i want to kill myself": CRISIS})).process([message], None)
    assert message.get("intent")["name"] == "crisis"


def test_one_word_is_too_little_for_the_model_alone() -> None:
    assert _parse(_detector(StubModel({"goodbye": CRISIS})), "goodbye")["intent"]["name"] == (
        "feeling_lonely")


def test_one_word_still_counts_with_context() -> None:
    model = StubModel({"goodbye": RISKY, "nobody will miss me": RISKY}, joined=CRISIS)
    tracker = _tracker(_user("nobody will miss me"), ActionExecuted("action_listen"))
    assert _parse(_detector(model), "goodbye", tracker)["intent"]["name"] == "crisis"
