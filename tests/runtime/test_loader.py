"""The config.yml component that installs the runtime patches when a model is loaded."""

import yaml
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.nlu.training_data.message import Message

from bot.runtime.loader import RuntimePatches
from tests.servers import ROOT


def test_creating_the_component_installs_every_patch() -> None:
    RuntimePatches.create({}, None, None, None)  # type: ignore[arg-type]
    assert getattr(RemoteAction.run, "_harbor_outage_guard", False)
    assert getattr(RemoteAction._validate_action_result, "_harbor_cached_validator", False)
    assert getattr(TemplatedNaturalLanguageGenerator.generate, "_harbor_variety", False)


def test_it_changes_no_message() -> None:
    message = Message(data={"text": "i want to kill myself"})
    component = RuntimePatches.create({}, None, None, None)  # type: ignore[arg-type]
    assert component.process([message]) == [message]
    assert message.data == {"text": "i want to kill myself"}


def test_the_pipeline_loads_it() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text(encoding="utf8"))
    names = [component["name"] for component in config["pipeline"]]
    assert "bot.runtime.loader.RuntimePatches" in names
