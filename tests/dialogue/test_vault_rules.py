"""The vault's reminder dialogue with Rasa's own RulePolicy on all of Harbor's rules:
notice → "Show me" → the message → yes/no, and "Not now", each ending by listening."""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from tests.safety.test_rules import trained  # noqa: F401 (the fixture)

# What each custom action sets, as the action server would.
EFFECTS: Dict[str, List[Tuple[str, Any]]] = {
    "action_vault_revisit": [("vault_shown", False)],
}


def _play(trained: Tuple[RulePolicy, Domain], turns: List[Tuple[str, Any]]) -> List[List[str]]:  # noqa: F811
    policy, domain = trained
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen")], domain.slots)
    replies = []
    for intent, shown_after in turns:
        tracker.update(UserUttered(intent, {"name": intent, "confidence": 1.0}), domain)
        said = []
        for _ in range(4):
            scores = policy.predict_action_probabilities(tracker, domain).probabilities
            action = domain.action_names_or_texts[max(range(len(scores)), key=scores.__getitem__)]
            tracker.update(ActionExecuted(action))
            if action == "action_listen":
                break
            said.append(action)
            for name, value in EFFECTS.get(action, []):
                tracker.update(SlotSet(name, value))
            if action == "action_vault_answer":
                tracker.update(SlotSet("vault_shown", shown_after))
        replies.append(said)
    return replies


@pytest.mark.parametrize(
    "turns",
    [
        [("EXTERNAL_vault_revisit", None), ("affirm", True), ("deny", None)],
        [("EXTERNAL_vault_revisit", None), ("affirm", True), ("affirm", None)],
        [("EXTERNAL_vault_revisit", None), ("deny", None)],
    ],
)
def test_every_vault_answer_goes_to_the_vault_action_and_then_listens(trained, turns) -> None:  # noqa: F811
    expected = [["action_vault_revisit"]] + [["action_vault_answer"]] * (len(turns) - 1)
    assert _play(trained, turns) == expected
