"""Prompts a person meets several times a night: three wordings, never one twice in a row."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from bot.content.library import load_library
from bot.runtime import variety

ROOT = Path(__file__).resolve().parents[2]
# The prompts of issue 12: "not understood", "anything else", the rating question, "what led
# up to it", "did that help".
DOMAIN_PROMPTS = ["utter_default", "utter_anything_else"]
FLOW_PROMPTS = [
    "craving.ask_urge_before",
    "craving.ask_urge_again",
    "craving.ask_urge_after",
    "relapse.ask_trigger",
    "exercise.ask_helped",
    "resume.offer",
]


def _responses() -> dict:
    merged: dict = {}
    for path in (ROOT / "domain").glob("*.yml"):
        merged.update((yaml.safe_load(path.read_text()) or {}).get("responses") or {})
    return merged


@pytest.mark.parametrize("name", DOMAIN_PROMPTS)
def test_domain_prompts_have_three_wordings(name: str) -> None:
    texts = {variation["text"] for variation in _responses()[name]}
    assert len(texts) >= 3


@pytest.mark.parametrize("key", FLOW_PROMPTS)
def test_flow_prompts_have_three_wordings(key: str) -> None:
    assert len(set(load_library().messages[key])) >= 3


@pytest.mark.parametrize("name", DOMAIN_PROMPTS)
async def test_a_domain_prompt_never_repeats_its_last_wording(name: str) -> None:
    variety.install()
    responses = _responses()
    generator = TemplatedNaturalLanguageGenerator(responses)
    domain = Domain.from_dict({"responses": responses})
    for shown in responses[name]:
        tracker = DialogueStateTracker.from_events(
            "variety",
            [
                ActionExecuted("action_listen"),
                UserUttered("hm", {"name": "nlu_fallback", "confidence": 1.0}),
                ActionExecuted(name),
                BotUttered(shown["text"], metadata={"utter_action": name}),
                ActionExecuted("action_listen"),
            ],
            domain=domain,
        )
        for _ in range(25):
            response = await generator.generate(name, tracker, "rest")
            assert response["text"] != shown["text"]


async def test_crisis_answers_are_never_narrowed() -> None:
    assert not {name for name in variety.ROTATED if "crisis" in name or "resources" in name}
