"""The linear intent model and its blend with DIET's ranking."""

import pickle

import joblib
import numpy as np
import pytest
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


def _three_intents() -> TrainingData:
    texts = {
        "craving_contact": ["i want to text him", "so close to calling her", "need to message him"],
        "share_win": ["i didn't text him today", "day 5 no contact", "deleted her number"],
        "greet": ["hi", "hello there", "hey harbor"],
    }
    return TrainingData(
        [Message(data={"text": t, "intent": i}) for i, ts in texts.items() for t in ts]
    )


@pytest.mark.parametrize("examples", [_examples, _three_intents])
def test_the_stored_model_answers_exactly_as_the_fitted_one(tmp_path, examples) -> None:
    storage = LocalModelStorage(tmp_path)
    component = LinearIntentClassifier({}, storage, Resource("linear"))
    component.train(examples())
    loaded = LinearIntentClassifier.load({}, storage, Resource("linear"), None)
    texts = ["i want to text her so bad", "hello", "three weeks no contact!", ""]
    assert list(loaded.pipeline.classes_) == list(component.pipeline.classes_)
    assert np.allclose(
        loaded.pipeline.predict_proba(texts), component.pipeline.predict_proba(texts), atol=1e-9
    )


def test_loading_a_model_never_unpickles(tmp_path, monkeypatch: pytest.MonkeyPatch) -> None:
    storage = LocalModelStorage(tmp_path)
    LinearIntentClassifier({}, storage, Resource("linear")).train(_three_intents())
    stored = sorted(p.name for p in tmp_path.rglob("*") if p.is_file())
    assert stored == ["linear_intent.json", "linear_intent.npz"], stored

    def refuse(*args, **kwargs):
        raise AssertionError("a model file was unpickled")

    for name in ("load", "loads", "Unpickler"):
        monkeypatch.setattr(pickle, name, refuse)
    monkeypatch.setattr(joblib, "load", refuse)
    loaded = LinearIntentClassifier.load({}, storage, Resource("linear"), None)
    message = Message(data={"text": "hey harbor"})
    loaded.process([message])
    assert message.get("intent")["name"] == "greet"


def test_a_planted_pickle_is_never_run(tmp_path) -> None:
    """A model archive whose arrays file is a pickle (code) is refused, not executed."""
    storage = LocalModelStorage(tmp_path)
    LinearIntentClassifier({}, storage, Resource("linear")).train(_three_intents())
    [arrays] = list(tmp_path.rglob("linear_intent.npz"))
    marker = tmp_path / "pwned"

    class Payload:
        def __reduce__(self):
            return (open, (str(marker), "w"))

    np.save(arrays.open("wb"), np.array([Payload()], dtype=object), allow_pickle=True)
    loaded = LinearIntentClassifier.load({}, storage, Resource("linear"), None)
    assert loaded.pipeline is None, "the broken model is ignored (DIET decides alone)"
    assert not marker.exists(), "the pickle in the model file was executed"
