"""The generated crisis answers: current, one variation per situation, and what they say.

Answers are rendered the way Rasa renders them (TemplatedNaturalLanguageGenerator with
the merged domain), so these are the texts and buttons a person would actually see.
"""

import re
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from rasa.core.nlg.generator import ResponseVariationFilter
from rasa.core.nlg.response import TemplatedNaturalLanguageGenerator
from rasa.shared.core.domain import Domain
from rasa.shared.core.training_data.story_reader.yaml_story_reader import YAMLStoryReader
from rasa.shared.nlu.training_data.message import Message

from bot.safety import render_domain
from bot.safety.render_domain import COUNTRY_VALUES, KIND_VALUES, validation
from bot.safety.resources import COUNTRY_CODES, load_directory

ROOT = Path(__file__).resolve().parents[2]
LOCALIZED = ("utter_crisis", "utter_resources")
# An answer to someone in crisis never names a method or a means.
METHOD_WORDS = re.compile(
    r"\b(pills?|overdos\w*|rope|noose|jump\w*|bridge|knife|knives|blade|razor|gun|hang\w*|"
    r"poison|lethal|dose|wrist)\b",
    re.IGNORECASE,
)


@pytest.fixture(scope="module")
def domain() -> Domain:
    return Domain.load(str(ROOT / "domain"))


def _slots(domain: Domain, country: Optional[str], kind: Optional[str]) -> Dict[str, Any]:
    slots = {slot.name: slot.initial_value for slot in domain.slots}
    slots.update(country=country, crisis_kind=kind, crisis_active=True)
    return slots


def _say(domain: Domain, response: str, country: Optional[str], kind: Optional[str]) -> Dict:
    nlg = TemplatedNaturalLanguageGenerator(domain.responses)
    said = nlg.generate_from_slots(response, _slots(domain, country, kind), "rest")
    assert said is not None
    return said


def test_the_committed_file_is_current() -> None:
    committed = render_domain.OUTPUT_PATH.read_text(encoding="utf8")
    assert committed == render_domain.render(), (
        "domain/crisis_responses.yml is stale: run python -m bot.safety.render_domain"
    )
    assert render_domain.main(["--check"]) == 0


@pytest.mark.parametrize("response", LOCALIZED)
@pytest.mark.parametrize("country", [*COUNTRY_VALUES, "XX"])
@pytest.mark.parametrize("kind", KIND_VALUES)
def test_exactly_one_variation_fits_each_situation(
    domain: Domain, response: str, country: Optional[str], kind: Optional[str]
) -> None:
    # Rasa picks at random among all matching conditional variations: exactly one must match.
    eligible = ResponseVariationFilter(domain.responses).responses_for_utter_action(
        response, "rest", _slots(domain, country, kind)
    )
    assert len(eligible) == 1, [variation.get("id") for variation in eligible]


def test_without_a_country_the_answer_names_988_findahelpline_and_emergency(
    domain: Domain,
) -> None:
    text = _say(domain, "utter_crisis", None, "distress")["text"]
    assert text.startswith(validation("distress"))
    assert "988" in text and "call or text" in text and "US and Canada" in text
    assert "findahelpline.com" in text
    assert "If you're in immediate danger, call your local emergency number." in text
    assert "I'm a bot, not an emergency service" in text
    assert "grounding exercise together" in text
    assert "1-800-799-7233" not in text


def test_danger_adds_the_dv_hotline_and_the_emergency_advice(domain: Domain) -> None:
    text = _say(domain, "utter_crisis", None, "danger")["text"]
    assert text.startswith(validation("danger"))
    assert "If you are in immediate danger, call your emergency number" in text
    assert "1-800-799-7233" in text and "text START to 88788" in text
    assert "988" in text and "findahelpline.com" in text


def test_the_country_is_asked_once_with_buttons_that_set_it(domain: Domain) -> None:
    asked = _say(domain, "utter_crisis", None, "distress")
    payloads = [button["payload"] for button in asked["buttons"]]
    assert payloads[0] == "/request_grounding"
    parsed = YAMLStoryReader.unpack_regex_message(Message({"text": payloads[2]}), domain)
    assert parsed.get("intent")["name"] == "inform_country"
    assert [(e["entity"], e["value"]) for e in parsed.get("entities")] == [("country", "GB")]
    assert {p.split('"country":"')[1][:2] for p in payloads[1:]} == set(COUNTRY_CODES)
    for code in ("GB", "OTHER"):
        localized = _say(domain, "utter_crisis", code, "distress")
        assert all("inform_country" not in b["payload"] for b in localized.get("buttons", []))
        assert "Where are you?" not in localized["text"]


@pytest.mark.parametrize("code", COUNTRY_CODES)
def test_each_country_gets_its_own_lines(domain: Domain, code: str) -> None:
    country = load_directory().countries[code]
    distress = _say(domain, "utter_crisis", code, "distress")["text"]
    danger = _say(domain, "utter_crisis", code, "danger")["text"]
    assert country.crisis[0].contact in distress
    assert f"call {country.emergency.number}." in distress
    assert country.dv[0].contact in danger and country.crisis[0].contact in danger
    assert f"call {country.emergency.number}." in danger
    if code != "US":
        assert "1-800-799-7233" not in distress + danger


def test_canada_danger_has_911_and_sheltersafe_but_no_invented_hotline(domain: Domain) -> None:
    text = _say(domain, "utter_crisis", "CA", "danger")["text"]
    assert "call 911" in text and "sheltersafe.ca" in text
    assert "1-800-799-7233" not in text


def test_somewhere_else_gets_findahelpline(domain: Domain) -> None:
    text = _say(domain, "utter_crisis", "OTHER", "distress")["text"]
    assert "findahelpline.com" in text and "988" not in text


def test_sos_validates_first_lists_the_lines_and_offers_to_stay(domain: Domain) -> None:
    said = _say(domain, "utter_resources", "GB", None)
    lines = said["text"].splitlines()
    assert lines[0] == render_domain.words("resources_validation")
    assert lines[1] == "People you can reach right now in the UK:"
    assert "116 123" in said["text"] and "0808 2000 247" in said["text"]
    assert "999" in said["text"]
    assert "I can stay with you" in said["text"]
    assert said["buttons"][0]["payload"] == "/request_grounding"


@pytest.mark.parametrize("response", LOCALIZED)
@pytest.mark.parametrize("country", [None, "US", "GB", "AU", "IN", "OTHER"])
def test_imminent_risk_leads_with_the_emergency_number(
    domain: Domain, response: str, country: Optional[str]
) -> None:
    emergency = {None: "911", "US": "911", "GB": "999", "AU": "000", "IN": "112",
                 "OTHER": "local emergency number"}[country]
    for kind in ("urgent_distress", "urgent_danger"):
        first = _say(domain, response, country, kind)["text"].splitlines()[0]
        assert emergency in first and "call" in first.lower(), (kind, first)


def test_without_a_country_imminent_risk_names_the_local_emergency_number(
    domain: Domain,
) -> None:
    first = _say(domain, "utter_crisis", None, "urgent_danger")["text"].splitlines()[0]
    assert "your local emergency number" in first


@pytest.mark.parametrize("country", ["DE", "FR", "IE", "IN"])
def test_a_dv_line_for_women_only_is_followed_by_findahelpline(
    domain: Domain, country: str
) -> None:
    for response in LOCALIZED:
        text = _say(domain, response, country, "danger")["text"]
        assert "for women" in text and "findahelpline.com" in text, (response, text)


def test_ireland_text_line_has_no_unverified_keyword(domain: Domain) -> None:
    text = _say(domain, "utter_crisis", "IE", "distress")["text"]
    assert "text 50808" in text and "TALK" not in text


def test_india_women_helpline_says_where_it_is_not_available(domain: Domain) -> None:
    text = _say(domain, "utter_resources", "IN", None)["text"]
    assert "181" in text and "not in every state" in text


@pytest.mark.parametrize("response", LOCALIZED)
def test_answers_are_short_plain_and_never_name_a_method(domain: Domain, response: str) -> None:
    for variation in domain.responses[response]:
        text = variation["text"]
        assert len(text) <= 750, variation.get("id")
        assert len(text.splitlines()) <= 12, variation.get("id")
        assert not METHOD_WORDS.search(text), (variation.get("id"), METHOD_WORDS.search(text))


def test_country_saved_confirms_without_numbers(domain: Domain) -> None:
    assert "the UK" in _say(domain, "utter_country_saved", "GB", None)["text"]
    assert "findahelpline.com" in _say(domain, "utter_country_saved", "OTHER", None)["text"]
    unknown: List[Dict[str, str]] = _say(domain, "utter_country_saved", None, None)["buttons"]
    assert len(unknown) == len(COUNTRY_CODES)
