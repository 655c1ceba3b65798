"""Harbor's content library: exercises, explanations, relapse plans and flow messages.

The YAML files in ``bot/content/data/`` are read on first use, validated once and cached.
A missing or malformed file, a dangling reference or an over-long message fails loudly
with :class:`ContentError`; asking for an id that doesn't exist raises
:class:`UnknownContentId`. Nothing is read at import time.
"""

from __future__ import annotations

import logging
import random
import re
import string
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

import yaml

from bot.safety.fallback import FALLBACK_CRISIS_REPLY

DATA_DIR = Path(__file__).parent / "data"
logger = logging.getLogger(__name__)
EXERCISE_FILES = ("grounding.yml", "reparenting.yml", "urge_surfing.yml", "wind_down.yml")
EXERCISE_KINDS = ("grounding", "reparenting", "urge_surfing", "wind_down")
MAX_MESSAGE_CHARS = 600
MAX_SHORT_SENTENCES = 3

_SENTENCE_END = re.compile(r"[.!?](?:[\"')\]]*)(?=\s+[\"'(\[]?[A-Z0-9]|\s*$)")


class ContentError(ValueError):
    """A content file is missing, malformed or inconsistent."""


class UnknownContentId(KeyError):
    """An exercise, topic, trigger or message id that the library doesn't have."""


@dataclass(frozen=True)
class Exercise:
    """A sequence the bot walks through one step per message.

    Attributes:
        id: Stable id (stored with the person's history, used in button payloads).
        kind: ``grounding``, ``reparenting``, ``urge_surfing`` or ``wind_down``.
        title: Short name for buttons and headings.
        label: Finishes "last time ___ took you from 8 to 4".
        intro: Sent before the first step.
        steps: One message each.
        outro: Sent after the last step.
    """

    id: str
    kind: str
    title: str
    label: str
    intro: str
    steps: Tuple[str, ...]
    outro: str


@dataclass(frozen=True)
class Topic:
    """A psychoeducation topic: a short answer, a deeper layer and a practice.

    Attributes:
        id: Stable id.
        title: Short name for buttons.
        intents: The intents this topic answers.
        short: At most three sentences.
        more: The "tell me more" layer.
        next_step: Id of the exercise to offer afterwards.
        related: Id of a related topic, or None.
    """

    id: str
    title: str
    intents: Tuple[str, ...]
    short: str
    more: str
    next_step: str
    related: Optional[str]


@dataclass(frozen=True)
class Trigger:
    """Something that often leads up to a slip, with one small plan for next time."""

    id: str
    label: str
    keywords: Tuple[str, ...]
    plan: str


@dataclass(frozen=True)
class Library:
    """All content, validated. Look-ups by unknown id raise :class:`UnknownContentId`."""

    exercises: Mapping[str, Exercise]
    topics: Mapping[str, Topic]
    triggers: Mapping[str, Trigger]
    messages: Mapping[str, Tuple[str, ...]]

    def exercise(self, exercise_id: str) -> Exercise:
        """Returns the exercise with this id."""
        try:
            return self.exercises[exercise_id]
        except KeyError:
            raise UnknownContentId(f"no exercise with id {exercise_id!r}") from None

    def exercises_of(self, kind: str) -> List[Exercise]:
        """Returns the exercises of one kind, in file order."""
        if kind not in EXERCISE_KINDS:
            raise UnknownContentId(f"no exercise kind {kind!r}")
        return [item for item in self.exercises.values() if item.kind == kind]

    def topic(self, topic_id: str) -> Topic:
        """Returns the topic with this id."""
        try:
            return self.topics[topic_id]
        except KeyError:
            raise UnknownContentId(f"no topic with id {topic_id!r}") from None

    def topic_for_intent(self, intent: str) -> Topic:
        """Returns the topic that answers ``intent``."""
        for topic in self.topics.values():
            if intent in topic.intents:
                return topic
        raise UnknownContentId(f"no topic answers intent {intent!r}")

    def trigger(self, trigger_id: str) -> Trigger:
        """Returns the slip trigger with this id."""
        try:
            return self.triggers[trigger_id]
        except KeyError:
            raise UnknownContentId(f"no trigger with id {trigger_id!r}") from None

    def text(self, key: str, rng: Optional[random.Random] = None, **fields: Any) -> str:
        """Returns one variation of message ``key`` with ``fields`` filled in.

        Args:
            key: Message key, e.g. ``"craving.ask_urge_before"``.
            rng: Picks the variation (the first one when None, so tests are stable).
            **fields: Values for the ``{placeholders}``.
        """
        try:
            variations = self.messages[key]
        except KeyError:
            raise UnknownContentId(f"no message with key {key!r}") from None
        chosen = rng.choice(variations) if rng is not None else variations[0]
        return chosen.format(**fields)


def load_library(directory: Optional[Path] = None) -> Library:
    """Returns the validated library from ``directory`` (default: the packaged data).

    The result is cached per directory, so every call after the first is free.

    Raises:
        ContentError: When any file is missing, malformed or inconsistent.
    """
    return _load(str(Path(directory or DATA_DIR).resolve()))


def say(key: str, **fields: Any) -> str:
    """The first wording of message ``key`` from ``messages.yml``, with ``fields`` filled in.

    For code that says a fixed line and needs nothing else from the library (channels, the
    outage guard): only ``messages.yml`` is read, once. It never raises: when the wording
    cannot be read, the person still gets an answer, the last-resort crisis text that lives
    in code (``bot.safety.fallback``) for exactly this case.
    """
    try:
        return _load_messages(str(DATA_DIR.resolve()))[key][0].format(**fields)
    except (ContentError, LookupError):
        logger.exception("Message %s could not be read; sending the last-resort text.", key)
        return FALLBACK_CRISIS_REPLY


@lru_cache(maxsize=2)
def _load_messages(directory: str) -> Dict[str, Tuple[str, ...]]:
    return _read_messages(Path(directory) / "messages.yml")


@lru_cache(maxsize=4)
def _load(directory: str) -> Library:
    root = Path(directory)
    exercises: Dict[str, Exercise] = {}
    for name in EXERCISE_FILES:
        for exercise in _read_exercises(root / name):
            if exercise.id in exercises:
                raise ContentError(f"{name}: duplicate exercise id {exercise.id!r}")
            exercises[exercise.id] = exercise
    topics = _read_topics(root / "topics.yml", exercises)
    triggers = _read_triggers(root / "relapse.yml")
    messages = _read_messages(root / "messages.yml")
    return Library(exercises, topics, triggers, messages)


def _read_yaml(path: Path) -> Dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as error:
        raise ContentError(f"{path.name}: cannot be read ({error})") from error
    if not isinstance(data, dict):
        raise ContentError(f"{path.name}: expected a mapping at the top level")
    return data


def _text(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: expected non-empty text")
    if len(value) > MAX_MESSAGE_CHARS:
        raise ContentError(f"{where}: {len(value)} characters (max {MAX_MESSAGE_CHARS})")
    return value.strip()


def _ident(value: Any, where: str) -> str:
    if not isinstance(value, str) or not re.fullmatch(r"[a-z0-9_]+", value):
        raise ContentError(f"{where}: ids are lower_snake_case, got {value!r}")
    return value


def _items(data: Dict[str, Any], key: str, path: Path) -> List[Dict[str, Any]]:
    items = data.get(key)
    if not isinstance(items, list) or not items:
        raise ContentError(f"{path.name}: expected a non-empty list under {key!r}")
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ContentError(f"{path.name}: {key}[{index}] is not a mapping")
    return items


def _read_exercises(path: Path) -> List[Exercise]:
    data = _read_yaml(path)
    kind = data.get("kind")
    if kind not in EXERCISE_KINDS:
        raise ContentError(f"{path.name}: kind must be one of {EXERCISE_KINDS}, got {kind!r}")
    result = []
    for item in _items(data, "exercises", path):
        exercise_id = _ident(item.get("id"), f"{path.name}: exercise id")
        where = f"{path.name}: {exercise_id}"
        steps = item.get("steps")
        if not isinstance(steps, list) or not steps:
            raise ContentError(f"{where}: expected a non-empty list of steps")
        result.append(
            Exercise(
                id=exercise_id,
                kind=kind,
                title=_text(item.get("title"), f"{where}.title"),
                label=_text(item.get("label"), f"{where}.label"),
                intro=_text(item.get("intro"), f"{where}.intro"),
                steps=tuple(_text(step, f"{where}.steps[{i}]") for i, step in enumerate(steps)),
                outro=_text(item.get("outro"), f"{where}.outro"),
            )
        )
    return result


def count_sentences(text: str) -> int:
    """Counts sentences the way a reader would (``5-4-3-2-1`` and ``e.g`` aside)."""
    return max(1, len(_SENTENCE_END.findall(text.strip())))


def _read_topics(path: Path, exercises: Mapping[str, Exercise]) -> Dict[str, Topic]:
    data = _read_yaml(path)
    topics: Dict[str, Topic] = {}
    for item in _items(data, "topics", path):
        topic_id = _ident(item.get("id"), f"{path.name}: topic id")
        where = f"{path.name}: {topic_id}"
        if topic_id in topics:
            raise ContentError(f"{where}: duplicate topic id")
        short = _text(item.get("short"), f"{where}.short")
        if count_sentences(short) > MAX_SHORT_SENTENCES:
            raise ContentError(f"{where}.short: more than {MAX_SHORT_SENTENCES} sentences")
        next_step = _ident(item.get("next_step"), f"{where}.next_step")
        if next_step not in exercises:
            raise ContentError(f"{where}.next_step: unknown exercise {next_step!r}")
        intents = item.get("intents") or []
        if not isinstance(intents, list):
            raise ContentError(f"{where}.intents: expected a list")
        topics[topic_id] = Topic(
            id=topic_id,
            title=_text(item.get("title"), f"{where}.title"),
            intents=tuple(_ident(intent, f"{where}.intents") for intent in intents),
            short=short,
            more=_text(item.get("more"), f"{where}.more"),
            next_step=next_step,
            related=item.get("related"),
        )
    seen: Dict[str, str] = {}
    for topic in topics.values():
        if topic.related is not None and topic.related not in topics:
            raise ContentError(f"{path.name}: {topic.id}.related: unknown topic {topic.related!r}")
        for intent in topic.intents:
            if intent in seen:
                raise ContentError(
                    f"{path.name}: intent {intent!r} in both {seen[intent]} and {topic.id}"
                )
            seen[intent] = topic.id
    return topics


def _read_triggers(path: Path) -> Dict[str, Trigger]:
    data = _read_yaml(path)
    triggers: Dict[str, Trigger] = {}
    for item in _items(data, "triggers", path):
        trigger_id = _ident(item.get("id"), f"{path.name}: trigger id")
        where = f"{path.name}: {trigger_id}"
        keywords = item.get("keywords") or []
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise ContentError(f"{where}.keywords: expected a list of words")
        triggers[trigger_id] = Trigger(
            id=trigger_id,
            label=_text(item.get("label"), f"{where}.label"),
            keywords=tuple(k.lower() for k in keywords),
            plan=_text(item.get("plan"), f"{where}.plan"),
        )
    if "other" not in triggers:
        raise ContentError(f"{path.name}: a trigger with id 'other' is required")
    return triggers


def _read_messages(path: Path) -> Dict[str, Tuple[str, ...]]:
    data = _read_yaml(path).get("messages")
    if not isinstance(data, dict) or not data:
        raise ContentError(f"{path.name}: expected a mapping under 'messages'")
    messages: Dict[str, Tuple[str, ...]] = {}
    for key, value in data.items():
        variations: Sequence[Any] = value if isinstance(value, list) else [value]
        if not variations:
            raise ContentError(f"{path.name}: {key} has no text")
        texts = tuple(_text(v, f"{path.name}: {key}") for v in variations)
        fields = [_fields(t) for t in texts]
        if any(f != fields[0] for f in fields):
            raise ContentError(f"{path.name}: {key}: variations use different {{fields}}")
        messages[str(key)] = texts
    return messages


def _fields(text: str) -> frozenset:
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
