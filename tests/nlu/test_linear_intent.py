"""The linear intent model and its blend with DIET's ranking."""

from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

from bot.nlu.linear_intent import LinearIntentClassifier, blend


def test_blend_weights_both_rankings() -> None:
    ranking = blend({"a": 1.0}, {"a": 0.0, "b": 1.0}, diet_weight=0.3)
    assert [r["name"] for r in ranking] == ["b", "a"]
    assert abs(ranking[0]["confidence"] - 0.7) < 1e-9


def _examples() -> TrainingData:
    texts = {
        "craving_contact": ["i want to text him", "so close to calling her", "need to message him"],
        "share_win": ["i didn't text him today", "day 5 no contact", "deleted her number"],
    }
    return TrainingData(
        [Message(data={"text": t, "intent": i}) for i, ts in texts.items() for t in ts]
    )


def test_trains_saves_loads_and_classifies(tmp_path) -> None:
    storage = LocalModelStorage(tmp_path)
    resource = Resource("linear")
    component = LinearIntentClassifier({"diet_weight": 0.0}, storage, resource)
    component.train(_examples())
    loaded = LinearIntentClassifier.load({"diet_weight": 0.0}, storage, resource, None)
    message = Message(data={"text": "i want to text her so bad"})
    loaded.process([message])
    assert message.get("intent")["name"] == "craving_contact"
    assert message.get("intent_ranking")[0]["name"] == "craving_contact"


def test_untrained_component_leaves_diet_answer_alone(tmp_path) -> None:
    component = LinearIntentClassifier({}, LocalModelStorage(tmp_path), Resource("x"))
    message = Message(data={"text": "hi", "intent": {"name": "greet", "confidence": 0.9}})
    component.process([message])
    assert message.get("intent")["name"] == "greet"
