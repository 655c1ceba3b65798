"""The resource directory: complete, sourced, dated, and faithful to crisis-lines.md."""

import datetime as dt
import re
from pathlib import Path
from typing import Any, Dict

import pytest
import yaml

from bot.safety.resources import (
    COUNTRY_CODES,
    DIRECTORY_PATH,
    ResourceError,
    load_directory,
    parse_directory,
)

REVIEW_DATE = dt.date(2026, 11, 25)
PHONE_LIKE = re.compile(r"^\+?[0-9]+([ \-][0-9]+)*$")


def _raw() -> Dict[str, Any]:
    return yaml.safe_load(DIRECTORY_PATH.read_text(encoding="utf8"))


def test_every_country_has_a_crisis_line_a_dv_entry_and_an_emergency_number() -> None:
    directory = load_directory()
    assert tuple(directory.countries) == COUNTRY_CODES
    for country in directory.countries.values():
        assert country.crisis, country.code
        assert country.dv, country.code
        assert PHONE_LIKE.match(country.emergency.number), country.code


def test_every_entry_has_a_source_a_date_and_a_confidence() -> None:
    directory = load_directory()
    for country in directory.countries.values():
        entries = [country.emergency, *country.crisis, *country.dv]
        for entry in entries:
            assert entry.source.strip()
            assert entry.last_verified == REVIEW_DATE
            assert entry.confidence in {"verified-from-provider", "secondary source"}


def test_numbers_are_phone_numbers_and_nothing_else() -> None:
    for number in load_directory().numbers():
        assert PHONE_LIKE.match(number), number


@pytest.mark.parametrize(
    ("code", "expected"),
    [
        ("US", ["988", "1-800-799-7233", "START to 88788", "911"]),
        ("CA", ["988", "sheltersafe.ca", "911"]),
        ("GB", ["116 123", "SHOUT to 85258", "0808 2000 247", "999"]),
        ("IE", ["116 123", "1800 341 900", "112"]),
        ("AU", ["13 11 14", "1800 737 732", "000"]),
        ("NZ", ["1737", "0800 733 843", "111"]),
        ("DE", ["0800 111 0 111", "116 016", "112"]),
        ("FR", ["3114", "3919", "112"]),
        ("IN", ["14416", "181", "112"]),
    ],
)
def test_each_country_lists_the_lines_from_the_reference(code: str, expected: list) -> None:
    country = load_directory().countries[code]
    shown = " ".join(
        [country.emergency.number, *(line.display() for line in country.crisis + country.dv)]
    )
    for fact in expected:
        assert fact in shown, (code, fact)


def test_the_notes_for_the_bot_are_followed() -> None:
    text = DIRECTORY_PATH.read_text(encoding="utf8")
    body = "\n".join(line for line in text.splitlines() if not line.lstrip().startswith("#"))
    directory = load_directory()
    # KIRAN (India) could not be verified: never shown.
    assert "1800-599-0019" not in body and "1800-500-0019" not in body
    assert "kiran" not in body.lower()
    # 988 "press 3" ended in July 2025.
    assert "press 3" not in body.lower()
    # Replaced numbers from code lists.
    for old in ("08000 116 016", "1-833-456-4566", "1-800-273-8255"):
        assert old not in body
    # Germany: the 0800 TelefonSeelsorge numbers lead; 113 was only planned.
    germany = directory.countries["DE"]
    assert germany.crisis[0].contact.startswith("0800")
    assert "113" not in [germany.emergency.number, *load_directory().numbers()]
    # Canada has no national DV hotline: no phone number is invented for it.
    assert all(line.how == "web" for line in directory.countries["CA"].dv)
    # Canada's adults get 988; Kids Help Phone is texted with CONNECT, and comes second.
    canada = directory.countries["CA"].crisis
    assert canada[0].contact == "988"
    assert canada[1].keyword == "CONNECT"


def test_the_international_fallback_is_findahelpline() -> None:
    assert load_directory().international.contact == "findahelpline.com"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda raw: raw["countries"]["GB"]["crisis"][0].pop("source"), "source"),
        (lambda raw: raw["countries"]["GB"]["crisis"][0].update(contact="call me"), "phone"),
        (lambda raw: raw["countries"]["GB"]["crisis"][0].update(last_verified="soon"), "date"),
        (
            lambda raw: raw["countries"]["GB"]["crisis"][0].update(confidence="could-not-verify"),
            "confidence",
        ),
        (lambda raw: raw["countries"].pop("IN"), "missing"),
        (lambda raw: raw["countries"]["FR"].update(crisis=[]), "crisis line"),
        (lambda raw: raw["countries"]["DE"]["emergency"].update(number="one one two"), "phone"),
        (lambda raw: raw["countries"]["GB"]["crisis"][1].update(keyword="shout"), "CAPITALS"),
        (lambda raw: raw["countries"]["CA"]["dv"][0].update(contact="not a site"), "web"),
    ],
)
def test_a_malformed_directory_is_refused(change: Any, message: str) -> None:
    raw = _raw()
    change(raw)
    with pytest.raises(ResourceError, match=message):
        parse_directory(raw)


def test_a_directory_file_can_be_loaded_from_a_path(tmp_path: Path) -> None:
    copy = tmp_path / "resources.yml"
    copy.write_text(DIRECTORY_PATH.read_text(encoding="utf8"), encoding="utf8")
    assert load_directory(copy).countries["NZ"].emergency.number == "111"
