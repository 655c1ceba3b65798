"""The country and number components add entities to Rasa messages."""

from rasa.shared.nlu.training_data.message import Message

from bot.nlu.country_extractor import CountryExtractor
from bot.nlu.number_extractor import NumberExtractor


def _entities(component, text: str) -> list:
    message = Message(data={"text": text})
    component.process([message])
    return message.get("entities", [])


def test_country_entity_is_added() -> None:
    entities = _entities(CountryExtractor(), "I'm in the UK")
    assert [(e["entity"], e["value"]) for e in entities] == [("country", "GB")]


def test_number_entity_keeps_existing_entities() -> None:
    message = Message(data={"text": "like a 7", "entities": [{"entity": "x", "value": "y"}]})
    NumberExtractor().process([message])
    assert [(e["entity"], e["value"]) for e in message.get("entities")] == [
        ("x", "y"), ("number", 7)
    ]


def test_no_entity_without_a_match() -> None:
    assert _entities(CountryExtractor(), "i miss him") == []
    assert _entities(NumberExtractor(), "i miss him") == []
