"""Checks the action server's answers against Rasa's schema without rebuilding it every time.

Rasa 3.6 validates every custom action's response with ``jsonschema.validate``, which
first checks the (large, fixed) events schema against the JSON-Schema meta-schema and
builds a new validator — on every action call. Profiling Harbor under load showed about
half of the Rasa server's CPU spent there (~40 ms a call). The schema never changes, so
one validator is built once and reused; what is accepted or rejected stays the same.
"""

from __future__ import annotations

import functools
from typing import Any, Dict

from rasa.core.actions.action import RemoteAction
from rasa.shared.constants import DOCS_BASE_URL

_MARK = "_harbor_cached_validator"


@functools.lru_cache(maxsize=1)
def response_validator() -> Any:
    """The validator for action server responses, built (and its schema checked) once."""
    from jsonschema.validators import validator_for

    schema = RemoteAction.action_response_format_spec()
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate_action_result(result: Dict[str, Any]) -> bool:
    """Validates one response like ``jsonschema.validate`` does, with the cached validator.

    Raises:
        jsonschema.ValidationError: the response does not match Rasa's schema (the same
            error, and message, Rasa raises).
    """
    from jsonschema.exceptions import best_match

    error = best_match(response_validator().iter_errors(result))
    if error is not None:
        error.message += (
            ". Failed to validate Action server response from API, "
            "make sure your response from the Action endpoint is valid. "
            f"For more information about the format visit {DOCS_BASE_URL}/custom-actions"
        )
        raise error
    return True


def install() -> None:
    """Makes ``RemoteAction`` use the cached validator (once per process)."""
    if getattr(RemoteAction._validate_action_result, _MARK, False):
        return

    def cached(self: RemoteAction, result: Dict[str, Any]) -> bool:
        return validate_action_result(result)

    setattr(cached, _MARK, True)
    RemoteAction._validate_action_result = cached  # type: ignore[method-assign]
