"""Action server answers are checked against Rasa's schema exactly as before, only cheaper."""

from __future__ import annotations

import jsonschema
import pytest
from rasa.core.actions.action import RemoteAction

from bot.runtime import action_validation

GOOD = {
    "events": [{"event": "slot", "name": "country", "value": "GB"}],
    "responses": [{"text": "hi"}],
}
BAD = [
    {"events": [{"event": "no-such-event"}]},
    {"events": "not a list"},
    {"responses": [1, 2]},
    {"events": [{"event": "slot"}]},  # a slot event without its name
]


def _stock(result: dict) -> bool:
    """What Rasa 3.6 does on every call."""
    jsonschema.validate(result, RemoteAction.action_response_format_spec())
    return True


def test_a_valid_response_passes() -> None:
    assert action_validation.validate_action_result(GOOD) is True
    assert _stock(GOOD)


@pytest.mark.parametrize("result", BAD)
def test_what_rasa_rejects_is_still_rejected(result: dict) -> None:
    with pytest.raises(jsonschema.ValidationError) as stock:
        _stock(result)
    with pytest.raises(jsonschema.ValidationError) as cached:
        action_validation.validate_action_result(result)
    assert cached.value.message.startswith(stock.value.message)
    assert "Failed to validate Action server response" in cached.value.message


def test_installed_once_on_remote_action() -> None:
    action_validation.install()
    first = RemoteAction._validate_action_result
    action_validation.install()  # a second model load must not wrap twice
    assert RemoteAction._validate_action_result is first
    action = RemoteAction("action_x", None)
    assert action._validate_action_result(GOOD) is True
    with pytest.raises(jsonschema.ValidationError):
        action._validate_action_result(BAD[0])
