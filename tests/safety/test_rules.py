"""The crisis rules, checked with Rasa's own RulePolicy on all of Harbor's rules.

A RulePolicy trained on data/ (rules of every feature, in memory, in seconds; no model
is written) must answer crisis turns exactly as designed. Training it also runs Rasa's
contradiction check, so a rule elsewhere that fights a crisis rule fails here.
"""

from pathlib import Path
from typing import Any, List, Sequence, Tuple

import pytest
from rasa.core.policies.rule_policy import RulePolicy
from rasa.engine.graph import ExecutionContext, GraphSchema
from rasa.engine.storage.local_model_storage import LocalModelStorage
from rasa.engine.storage.resource import Resource
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa.shared.core.generator import TrainingDataGenerator
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.importers.importer import TrainingDataImporter

ROOT = Path(__file__).resolve().parents[2]
Step = Tuple[str, Any]


@pytest.fixture(scope="module")
def trained(tmp_path_factory: pytest.TempPathFactory) -> Tuple[RulePolicy, Domain]:
    importer = TrainingDataImporter.load_from_dict(
        domain_path=str(ROOT / "domain"), training_data_paths=[str(ROOT / "data")]
    )
    domain = importer.get_domain()
    trackers = TrainingDataGenerator(
        importer.get_stories(), domain, augmentation_factor=0, use_story_concatenation=False
    ).generate()
    policy = RulePolicy.create(
        {**RulePolicy.get_default_config(), "restrict_rules": False},
        LocalModelStorage(tmp_path_factory.mktemp("rules")),
        Resource("rule_policy"),
        ExecutionContext(GraphSchema({}), "crisis-rules"),
    )
    policy.train(trackers, domain)
    return policy, domain


def _user(intent: str, **slots: Any) -> List[Step]:
    return [("user", intent), *(("slot", (name, value)) for name, value in slots.items())]


def _play(trained: Tuple[RulePolicy, Domain], turns: Sequence[List[Step]]) -> List[List[str]]:
    policy, domain = trained
    tracker = DialogueStateTracker.from_events("t", [ActionExecuted("action_listen")], domain.slots)
    replies: List[List[str]] = []
    for turn in turns:
        for kind, value in turn:
            if kind == "user":
                tracker.update(UserUttered(value, {"name": value, "confidence": 1.0}), domain)
            else:
                tracker.update(SlotSet(*value))
        said: List[str] = []
        for _ in range(6):
            prediction = policy.predict_action_probabilities(tracker, domain)
            scores = prediction.probabilities
            best = max(range(len(scores)), key=scores.__getitem__)
            action = domain.action_names_or_texts[best]
            tracker.update(ActionExecuted(action))
            if action == "action_listen":
                break
            said.append(action)
        replies.append(said)
    return replies


CRISIS = _user("crisis", crisis_category="suicide", crisis_kind="distress", crisis_active=True)
OFFER = "utter_safety_plan_offer"
# The same message from a person who has made a safety plan (the slot the plan actions set).
PLANNER_CRISIS = [*CRISIS, ("slot", ("safety_plan_saved", True))]


@pytest.mark.parametrize(
    ("turns", "expected"),
    [
        ([CRISIS], [["utter_crisis"]]),
        ([_user("greet"), CRISIS], [["action_welcome_back"], ["utter_crisis"]]),
        ([CRISIS, _user("greet")], [["utter_crisis"], ["utter_crisis_checkin"]]),
        ([CRISIS, _user("affirm")], [["utter_crisis"], ["utter_crisis_grounding"]]),
        ([CRISIS, _user("request_grounding")], [["utter_crisis"], ["utter_crisis_grounding"]]),
        ([CRISIS, _user("deny")], [["utter_crisis"], ["utter_crisis_checkin"]]),
        ([CRISIS, _user("thanks")], [["utter_crisis"], ["utter_crisis_checkin"]]),
        ([CRISIS, _user("nlu_fallback")], [["utter_crisis"], ["utter_crisis_checkin"]]),
        ([CRISIS, _user("goodbye")], [["utter_crisis"], ["utter_crisis_goodbye"]]),
        (
            [CRISIS, _user("greet"), _user("affirm")],
            [["utter_crisis"], ["utter_crisis_checkin"], ["utter_crisis_checkin"]],
        ),
        (
            [CRISIS, _user("false_alarm", crisis_active=False), _user("greet")],
            [
                ["utter_crisis"],
                ["utter_false_alarm", "action_record_false_alarm"],
                ["action_welcome_back"],
            ],
        ),
        (
            [CRISIS, _user("feeling_safe", crisis_active=False), _user("greet")],
            [["utter_crisis"], ["utter_feeling_safe"], ["action_welcome_back"]],
        ),
        ([_user("request_resources")], [["utter_resources"]]),
        ([_user("inform_country", country="GB")], [["utter_country_saved"]]),
        (
            [CRISIS, _user("inform_country", country="GB")],
            [["utter_crisis"], ["utter_resources"]],
        ),
        # A second crisis answer is still the crisis answer first; a safety plan is then
        # offered, once, without pressure (issue 14).
        ([CRISIS, _user("crisis")], [["utter_crisis"], ["utter_crisis", OFFER]]),
        (
            [CRISIS, _user("greet"), _user("crisis")],
            [["utter_crisis"], ["utter_crisis_checkin"], ["utter_crisis", OFFER]],
        ),
        # With a plan: SOS and the crisis answer lead with it (the action stands in for the
        # domain response when the action server is down: bot/runtime/outage_guard.py).
        ([_user("request_resources", safety_plan_saved=True)], [["action_safety_plan_sos"]]),
        ([PLANNER_CRISIS], [["action_safety_plan_crisis"]]),
        (
            [PLANNER_CRISIS, _user("crisis")],
            [["action_safety_plan_crisis"], ["action_safety_plan_crisis"]],
        ),
    ],
)
def test_crisis_turns_get_the_designed_answers(
    trained: Tuple[RulePolicy, Domain], turns: List[List[Step]], expected: List[List[str]]
) -> None:
    assert _play(trained, turns) == expected


def test_outside_a_crisis_small_talk_is_unchanged(trained: Tuple[RulePolicy, Domain]) -> None:
    assert _play(trained, [_user("greet"), _user("goodbye")]) == [
        ["action_welcome_back"], ["utter_goodbye"]
    ]


def test_no_crisis_answer_needs_the_action_server(trained: Tuple[RulePolicy, Domain]) -> None:
    _policy, domain = trained
    for response in ("utter_crisis", "utter_resources", "utter_crisis_checkin",
                     "utter_crisis_grounding", "utter_crisis_goodbye", "utter_feeling_safe"):
        assert response in domain.responses, response

