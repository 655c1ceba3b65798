"""Hotline numbers appear only in crisis answers and in the answer to "sos".

Everywhere else (greeting, capabilities, "are you a bot", every flow) Harbor says "type
SOS any time" without numbers, so the resources keep their weight and nobody feels flagged.
This scans every response in every domain file, whoever wrote it.
"""

import re
from pathlib import Path
from typing import Dict, Iterator, Tuple

import pytest
import yaml

from bot.safety.resources import load_directory

ROOT = Path(__file__).resolve().parents[2]
CRISIS_ANSWERS = frozenset({"utter_crisis", "utter_resources"})
SOS_MENTIONED_IN = ("utter_greet", "utter_capabilities", "utter_bot_challenge")
# Runs of digits, joined across the spaces and dashes phone numbers are written with.
DIGIT_RUN = re.compile(r"(?<![\w/])\+?\d+(?:[ \-]\d+)*(?![\w/])")


def _responses() -> Iterator[Tuple[str, str, Dict]]:
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf8")) or {}
        for name, variations in (data.get("responses") or {}).items():
            for variation in variations or []:
                yield path.name, name, variation


def _texts(variation: Dict) -> str:
    buttons = " ".join(b.get("title", "") for b in variation.get("buttons", []) or [])
    return f"{variation.get('text', '')} {buttons}"


def phone_numbers_in(text: str) -> list:
    """Digit runs that are a directory number, or long enough to be any phone number."""
    directory = {re.sub(r"\D", "", number) for number in load_directory().numbers()}
    found = []
    for run in DIGIT_RUN.findall(text):
        digits = re.sub(r"\D", "", run)
        if digits in directory or len(digits) >= 7:
            found.append(run)
    return found


def test_the_detector_spots_hotline_numbers() -> None:
    assert phone_numbers_in("call 988 or 1-800-799-7233, text 85258") == [
        "988", "1-800-799-7233", "85258"
    ]
    assert phone_numbers_in("Samaritans 116 123") == ["116 123"]
    assert phone_numbers_in("breathe in for 4, out for 6; 5-4-3-2-1; 24/7; 3 a.m.") == []


def test_no_other_response_contains_a_phone_number() -> None:
    offenders = [
        f"{file}:{name}: {phone_numbers_in(_texts(variation))}"
        for file, name, variation in _responses()
        if name not in CRISIS_ANSWERS and phone_numbers_in(_texts(variation))
    ]
    assert not offenders, offenders


def test_crisis_answers_do_carry_numbers() -> None:
    for _file, name, variation in _responses():
        if name in CRISIS_ANSWERS:
            assert phone_numbers_in(variation["text"]) or "findahelpline.com" in variation["text"]


@pytest.mark.parametrize("name", SOS_MENTIONED_IN)
def test_greeting_capabilities_and_bot_challenge_point_to_sos(name: str) -> None:
    variations = [v for _f, n, v in _responses() if n == name]
    assert variations, f"{name} is missing from domain/"
    for variation in variations:
        assert "SOS" in variation["text"], variation["text"]
