"""Rasa component that screens every message for a crisis and overrides the intent.

It runs last in the NLU pipeline (see ``config.yml``), so nothing after it can undo it.
:func:`bot.safety.assess` reads each message with the rules and the trained screen (learned
here, at ``rasa train``, from ``data/safety/``), and with the person's last few messages
from the tracker. A message gets:

- a crisis: intent ``crisis`` with confidence 1.0, first in the intent ranking, and the
  entities ``crisis_category`` (``suicide``/``self_harm``/``danger``) and ``crisis_kind``
  (``distress``/``danger``/``urgent_distress``/``urgent_danger``) that fill the slots the
  crisis answer is chosen by;
- an unclear message ("what's the point"): intent ``crisis_check`` (1.0), answered with a
  direct question; "yes" or "not sure" to that question becomes a crisis here;
- a ``crisis`` entry in the parse data with the tier, the evidence (rule ids, model score,
  context) and the intent the classifier had predicted; Rasa keeps it in the tracker.

A message that is only a request for the resources ("sos", "SOS!", "/sos") gets the intent
``request_resources`` with confidence 1.0, so the advertised "type SOS any time" never
depends on the trained classifier. Everything here runs inside the Rasa server: no action
server and no database is needed for any of it.
"""

from __future__ import annotations

import logging
import re
import time
from pathlib import Path
from typing import Any, Dict, List, Optional, Text

from rasa.engine.graph import ExecutionContext, GraphComponent
from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.engine.storage.resource import Resource
from rasa.engine.storage.storage import ModelStorage
from rasa.nlu.classifiers.classifier import IntentClassifier
from rasa.shared.core.events import ActionExecuted, Restarted, SessionStarted, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker
from rasa.shared.nlu.constants import (
    ENTITIES,
    ENTITY_ATTRIBUTE_CONFIDENCE,
    ENTITY_ATTRIBUTE_END,
    ENTITY_ATTRIBUTE_START,
    ENTITY_ATTRIBUTE_TYPE,
    ENTITY_ATTRIBUTE_VALUE,
    EXTRACTOR,
    INTENT,
    INTENT_NAME_KEY,
    INTENT_RANKING_KEY,
    PREDICTED_CONFIDENCE_KEY,
    TEXT,
)
from rasa.shared.nlu.training_data.message import Message
from rasa.shared.nlu.training_data.training_data import TrainingData

import bot.safety
from bot.safety import corpus
from bot.safety.classifier import FORMAT, CrisisClassifier
from bot.safety.decision import Thresholds

logger = logging.getLogger(__name__)

CRISIS_KEY = "crisis"
CATEGORY_ENTITY = "crisis_category"
KIND_ENTITY = "crisis_kind"
OWN_ENTITIES = frozenset({CATEGORY_ENTITY, KIND_ENTITY})
CHECK_QUESTION = "utter_crisis_check"
# After these, the earlier messages have had their safety answer: they are not read again.
ANSWERED_INTENTS = frozenset(
    {"crisis", "crisis_check", "false_alarm", "feeling_safe", "request_resources"}
)
# The direct question never talks over someone telling us we misread them or that they are
# okay now: the dialogue answers those (and the crisis check-in follows up if needed).
SAFETY_REPLIES = frozenset({"false_alarm", "feeling_safe"})

# "sos", "SOS!!", "/sos", "sos please", "s.o.s" — the whole message, nothing else.
SOS_PATTERN = re.compile(
    r"^\W*/?\s*s\.?\s*o\.?\s*s\.?(\s+(please|pls|plz|now|help|help me|me))*\W*$",
    re.IGNORECASE,
)
# Answers to "is that where you are tonight?" that mean yes or not sure: both get the
# crisis answer. A plain "no" is left to the dialogue (thanks, and back to the talk).
CHECK_YES_PATTERN = re.compile(
    r"\b(yes|yeah|yea|yep|yup|ya|yh|ye|yess+|kinda|kind of|sort of|sorta|maybe|not sure|"
    r"unsure|idk|i dont know|i don't know|dunno|i guess|i think so|probably|a bit|a little|"
    r"sometimes|i am|i do|it is|true)\b",
    re.IGNORECASE,
)
CHECK_NO_PATTERN = re.compile(r"^\W*(no+|nope|nah+|not really|no i'?m not|i'?m not)\W*$", re.I)


# A message that is only a command for the person's own safety plan ("help me make a safety
# plan", "show my safety plan", "/plan"): "safety plan" is also a domestic-violence word for
# the rules, which would put the direct question in front of the plan itself. Such a message
# never gets the direct question; a crisis found in it still gets the crisis answer.
PLAN_COMMAND_PATTERN = re.compile(
    r"^\W*(please\s+)?((can|could) (you|we|i)\s+|i('d| would)? (like|want|need) to\s+|i need\s+|"
    r"let'?s\s+|help me( to)?\s+|how do i\s+)*"
    r"(make|create|build|start|write|set up|do|show( me)?|see|open|read( me)?|change|edit|"
    r"update|redo|rewrite|delete|remove|erase|clear|walk( me)? through|go through|use)?\s*"
    r"(me\s+)?(my|a|the)?\s*safety plan(\s+(with me|together|again|now|please|thing))*\W*$",
    re.IGNORECASE,
)


def is_plan_command(text: str) -> bool:
    """True when the whole message is a command for the person's own safety plan."""
    return bool(PLAN_COMMAND_PATTERN.match(text or ""))


def is_sos(text: str) -> bool:
    """True when the whole message asks for the resources with the SOS keyword."""
    return bool(SOS_PATTERN.match(text or ""))


@DefaultV1Recipe.register(
    [DefaultV1Recipe.ComponentType.INTENT_CLASSIFIER], is_trainable=True
)
class CrisisDetector(GraphComponent, IntentClassifier):
    """Sets the ``crisis``/``crisis_check`` intents (and crisis entities) on risky messages."""

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        """The component's default config (see parent class for full docstring)."""
        return {
            # Intent set on messages the safety screen flags as a crisis.
            "crisis_intent": "crisis",
            # Intent set on unclear messages that get the direct question.
            "check_intent": "crisis_check",
            # Intent set on a bare "sos"; None switches the SOS shortcut off.
            "resources_intent": "request_resources",
            # The labelled corpus the trained screen learns from (relative to the project).
            "corpus": "data/safety",
            # Also learn every NLU example as "not a crisis" (the bot's everyday traffic),
            # each counting this many times: without it "goodbye" or "i have nobody" read as
            # crises, because the crisis corpus is full of goodbyes and loneliness.
            "nlu_examples_as_negatives": True,
            "nlu_example_weight": 3.0,
            # How many earlier messages, and how old at most, are read with a new one.
            "context_messages": 3,
            "context_minutes": 30,
            **{f"{name}_threshold": value for name, value in _threshold_defaults().items()},
            "context_floor": Thresholds().context_floor,
            "rules_floor": Thresholds().rules_floor,
            "rules_silence": Thresholds().rules_silence,
            # Each recorded blind round counts this many times in training (they are the
            # closest to what new writers send; chosen by bench/crisis_cv.py).
            "blind_weight": 1.0,
            # A crisis only the model saw, in a message the intent classifier reads as
            # ordinary traffic with at least this confidence ("put my phone in another room
            # and the urge went away" as share_win), gets the direct question instead.
            "intent_doubt": 0.7,
        }

    def __init__(
        self,
        config: Dict[Text, Any],
        model_storage: Optional[ModelStorage] = None,
        resource: Optional[Resource] = None,
        classifier: Optional[CrisisClassifier] = None,
    ) -> None:
        """Creates the component; the rules are built by :meth:`create`/:meth:`load`."""
        self.component_config = {**self.get_default_config(), **config}
        self.thresholds = Thresholds.from_config(self.component_config)
        self.classifier = classifier
        self._model_storage = model_storage
        self._resource = resource

    @classmethod
    def create(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
    ) -> "CrisisDetector":
        """Creates an untrained component and builds the rules now, not on first use."""
        _warm_up()
        return cls(config, model_storage, resource)

    @classmethod
    def fingerprint_addon(cls, config: Dict[str, Any]) -> Optional[str]:
        """Retrains when the safety corpus or the model's code changes (Rasa sees neither)."""
        import hashlib

        import bot.safety.classifier
        import bot.safety.normalise
        import bot.safety.screen

        code = hashlib.sha256()
        # The rules' findings are features of the model: their files count too.
        for module in (bot.safety.classifier, bot.safety.normalise, bot.safety.screen):
            code.update(Path(module.__file__).read_bytes())
        for rules in sorted((Path(bot.safety.classifier.__file__).parent / "data").rglob("*.yml")):
            code.update(rules.read_bytes())
        directory = Path({**cls.get_default_config(), **config}["corpus"])
        data = corpus.fingerprint(directory) if directory.is_dir() else "missing"
        return f"{FORMAT}:{code.hexdigest()[:12]}:{data}"

    def train(self, training_data: TrainingData) -> Resource:
        """Learns the trained screen from the safety corpus and saves it with the model."""
        examples = corpus.read_training(
            Path(self.component_config["corpus"]),
            blind_weight=float(self.component_config["blind_weight"]),
        )
        if self.component_config["nlu_examples_as_negatives"]:
            weight = float(self.component_config["nlu_example_weight"])
            examples += [
                corpus.Example("none", example.get(TEXT), False, "nlu", weight)
                for example in training_data.intent_examples
                if example.get(TEXT)
            ]
        logger.info("Training the crisis screen on %s", corpus.split_counts(examples))
        self.classifier = CrisisClassifier.fit(**corpus.as_columns(examples))
        if self._model_storage is not None and self._resource is not None:
            with self._model_storage.write_to(self._resource) as directory:
                self.classifier.save(directory)
        return self._resource  # type: ignore[return-value]

    @classmethod
    def load(
        cls,
        config: Dict[Text, Any],
        model_storage: ModelStorage,
        resource: Resource,
        execution_context: ExecutionContext,
        **kwargs: Any,
    ) -> "CrisisDetector":
        """Loads the trained screen saved inside the Rasa model (arrays only, no pickle)."""
        _warm_up()
        try:
            with model_storage.read_from(resource) as directory:
                classifier: Optional[CrisisClassifier] = CrisisClassifier.load(directory)
        except Exception:  # noqa: BLE001 - the rules must keep answering
            logger.exception("No usable trained crisis screen in this model; rules only.")
            classifier = None
        return cls(config, model_storage, resource, classifier)

    def process_training_data(self, training_data: TrainingData) -> TrainingData:
        """Leaves training data alone."""
        return training_data

    def process(
        self, messages: List[Message], tracker: Optional[DialogueStateTracker] = None
    ) -> List[Message]:
        """Screens each message, with the person's recent messages as context."""
        for message in messages:
            self._process_one(message, tracker)
        return messages

    def _process_one(self, message: Message, tracker: Optional[DialogueStateTracker]) -> None:
        text = message.get(TEXT)
        if not isinstance(text, str) or not text.strip():
            return
        context = self._context(tracker) if tracker is not None else []
        assessment = bot.safety.assess(text, self.classifier, self.thresholds, context)
        assessment = self._doubted(message, assessment)
        if not assessment.is_crisis and _answers_check(tracker, message, assessment):
            assessment = bot.safety.Assessment(
                bot.safety.SUICIDE, ("check: answered yes or not sure",), risk=assessment.risk
            )
        if assessment.is_check and _after_crisis_answer(message, tracker):
            # Some risk right after the crisis card is read with it: the card again, never
            # an ordinary answer (the direct question would be a step back).
            assessment = bot.safety.Assessment(
                bot.safety.SUICIDE, ("risk right after a crisis answer",), risk=assessment.risk
            )
        if assessment.is_crisis:
            self._mark(message, self.component_config["crisis_intent"], assessment)
        elif assessment.is_check and _check_applies(message, tracker) and not is_plan_command(
            text
        ):
            self._mark(message, self.component_config["check_intent"], assessment)
        elif self.component_config["resources_intent"] and is_sos(text):
            _set_intent(message, self.component_config["resources_intent"])

    def _doubted(
        self, message: Message, assessment: bot.safety.Assessment
    ) -> bot.safety.Assessment:
        """A model-only crisis the intent classifier confidently reads as ordinary: ask."""
        intent = message.get(INTENT) or {}
        name, confidence = intent.get(INTENT_NAME_KEY), intent.get(PREDICTED_CONFIDENCE_KEY, 0)
        model_only = all(item.startswith(("model:", "context:")) for item in assessment.evidence)
        ordinary = name not in (None, "nlu_fallback", *ANSWERED_INTENTS)
        if not (assessment.is_crisis and model_only and ordinary):
            return assessment
        if confidence < float(self.component_config["intent_doubt"]):
            return assessment
        evidence = (*assessment.evidence, f"intent: {name} {confidence:.2f}")
        return bot.safety.Assessment(None, evidence, bot.safety.TIER_CHECK, False, assessment.risk)

    def _context(self, tracker: DialogueStateTracker) -> List[str]:
        """The person's last few messages that have not had a safety answer, oldest first."""
        limit = int(self.component_config["context_messages"])
        oldest = time.time() - 60 * float(self.component_config["context_minutes"])
        texts: List[str] = []
        for event in reversed(tracker.events):
            if isinstance(event, (SessionStarted, Restarted)) or len(texts) >= limit:
                break
            if not isinstance(event, UserUttered):
                continue
            if event.timestamp < oldest or event.intent_name in ANSWERED_INTENTS:
                break
            if event.text and not event.text.startswith("/"):
                texts.append(event.text)
        return texts[::-1]

    def _mark(self, message: Message, intent: Text, assessment: bot.safety.Assessment) -> None:
        previous: Optional[Dict[Text, Any]] = message.get(INTENT)
        _set_intent(message, intent)
        entities = [
            entity
            for entity in message.get(ENTITIES, [])
            if entity.get(ENTITY_ATTRIBUTE_TYPE) not in OWN_ENTITIES
        ]
        if assessment.is_crisis:
            entities += _crisis_entities(assessment, len(message.get(TEXT)), type(self).__name__)
        message.set(ENTITIES, entities, add_to_output=True)
        message.set(
            CRISIS_KEY,
            {
                "tier": assessment.tier,
                "category": assessment.category,
                "kind": assessment.kind,
                "imminent": assessment.imminent,
                "risk": round(assessment.risk, 3),
                "evidence": list(assessment.evidence),
                "classifier_intent": (previous or {}).get(INTENT_NAME_KEY),
            },
            add_to_output=True,
        )


def _threshold_defaults() -> Dict[str, float]:
    defaults = Thresholds()
    return {"crisis": defaults.crisis, "check": defaults.check, "imminent": defaults.imminent}


def _warm_up() -> None:
    try:
        bot.safety.warm_up()
    except Exception:  # noqa: BLE001 - assess() falls back to keywords; keep serving
        logger.exception("Could not build the crisis screen; using the keyword fallback.")


def _last_bot_action(tracker: DialogueStateTracker) -> Optional[Text]:
    for event in reversed(tracker.events):
        if isinstance(event, ActionExecuted) and event.action_name != "action_listen":
            return event.action_name
        if isinstance(event, UserUttered):
            return None
    return None


def _typed_words(message: Message) -> bool:
    """True unless the message is a payload or a confident safety reply ("i'm okay now")."""
    if (message.get(TEXT) or "").lstrip().startswith("/"):
        return False
    intent = message.get(INTENT) or {}
    confident = intent.get(PREDICTED_CONFIDENCE_KEY, 0) >= 0.5
    return not (intent.get(INTENT_NAME_KEY) in SAFETY_REPLIES and confident)


def _crisis_active(tracker: Optional[DialogueStateTracker]) -> bool:
    return tracker is not None and tracker.get_slot("crisis_active") is True


def _after_crisis_answer(message: Message, tracker: Optional[DialogueStateTracker]) -> bool:
    """True for typed words (no payload, no confident safety reply) after a crisis answer."""
    return _crisis_active(tracker) and _typed_words(message)


def _check_applies(message: Message, tracker: Optional[DialogueStateTracker]) -> bool:
    """False for payloads, confident safety replies, and after a crisis answer."""
    # After the crisis card the check-in rules follow up; asking again would be a step back.
    return _typed_words(message) and not _crisis_active(tracker)


def _answers_check(
    tracker: Optional[DialogueStateTracker],
    message: Message,
    assessment: bot.safety.Assessment,
) -> bool:
    """True when this message answers the direct question with yes, not sure, or more risk."""
    text = message.get(TEXT) or ""
    if tracker is None or text.lstrip().startswith("/"):
        return False
    if _last_bot_action(tracker) != CHECK_QUESTION or CHECK_NO_PATTERN.match(text):
        return False
    intent = (message.get(INTENT) or {}).get(INTENT_NAME_KEY)
    return bool(CHECK_YES_PATTERN.search(text)) or intent == "affirm" or assessment.is_check


def _crisis_entities(
    assessment: bot.safety.Assessment, length: int, extractor: Text
) -> List[Dict[Text, Any]]:
    return [
        {
            ENTITY_ATTRIBUTE_TYPE: name,
            ENTITY_ATTRIBUTE_VALUE: value,
            # The whole message is the evidence; a span keeps Rasa's tools happy.
            ENTITY_ATTRIBUTE_START: 0,
            ENTITY_ATTRIBUTE_END: length,
            ENTITY_ATTRIBUTE_CONFIDENCE: 1.0,
            EXTRACTOR: extractor,
        }
        for name, value in ((CATEGORY_ENTITY, assessment.category), (KIND_ENTITY, assessment.kind))
    ]


def _set_intent(message: Message, name: Text) -> None:
    intent = {INTENT_NAME_KEY: name, PREDICTED_CONFIDENCE_KEY: 1.0}
    ranking = [
        entry
        for entry in message.get(INTENT_RANKING_KEY, []) or []
        if entry.get(INTENT_NAME_KEY) != name
    ]
    message.set(INTENT, intent, add_to_output=True)
    message.set(INTENT_RANKING_KEY, [dict(intent), *ranking], add_to_output=True)
