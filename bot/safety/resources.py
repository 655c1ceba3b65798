"""Loads and checks the crisis resource directory (``bot/safety/resources.yml``).

The directory is data: crisis, domestic-violence and emergency numbers by country, each
with its source, the date it was last checked and how confident that check is. Loading
validates every entry, so a malformed number or a missing source fails loudly in tests
and at render time instead of reaching someone in crisis.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Dict, Mapping, Optional, Tuple

import yaml

DIRECTORY_PATH = Path(__file__).with_name("resources.yml")
# The words around the numbers (how a line reads, the crisis answers, the page's card).
WORDS_PATH = Path(__file__).resolve().parents[1] / "content" / "data" / "crisis.yml"

# Countries the answers are localized for; the CountryExtractor emits these codes (or OTHER).
COUNTRY_CODES: Tuple[str, ...] = ("US", "CA", "GB", "IE", "AU", "NZ", "DE", "FR", "IN")
OTHER_COUNTRY = "OTHER"

CONFIDENCE_LEVELS = frozenset({"verified-from-provider", "secondary source"})
CHANNELS = frozenset({"call", "text", "call or text", "web"})
PHONE = re.compile(r"^\+?[0-9]+([ \-][0-9]+)*$")
WEB = re.compile(r"^[a-z0-9][a-z0-9.\-]*\.[a-z]{2,}(/[\w\-./]*)?$")
KEYWORD = re.compile(r"^[A-Z]{2,12}$")
TEXT_TO = re.compile(r"^([A-Z]{2,12} to )?\+?[0-9]+([ \-][0-9]+)*$")


@lru_cache(maxsize=1)
def crisis_words() -> Dict[str, Any]:
    """The crisis wording file (``bot/content/data/crisis.yml``), read once, on first use."""
    return yaml.safe_load(WORDS_PATH.read_text(encoding="utf-8"))


class ResourceError(ValueError):
    """The directory file is malformed; the message says where."""


@dataclass(frozen=True)
class Line:
    """One service people can reach.

    Attributes:
        service: Its name as people know it ("Samaritans").
        how: ``call``, ``text``, ``call or text`` or ``web``.
        contact: The number, short code or web address.
        keyword: The word to text first, for text lines that need one ("SHOUT").
        also_call: A second number to call, if the service has one.
        also_text: A way to text the same service ("START to 88788").
        hours: When it answers, and whether it is free ("free, 24/7").
        source: Where the number was checked.
        last_verified: When it was last checked.
        confidence: ``verified-from-provider`` or ``secondary source``.
        note: Anything a reviewer should know.
        for_women: The line serves women only; answers then also name findahelpline.com.
        availability: Where it does not answer, in words people read ("not in West Bengal").
    """

    service: str
    how: str
    contact: str
    source: str
    last_verified: dt.date
    confidence: str
    keyword: Optional[str] = None
    also_call: Optional[str] = None
    also_text: Optional[str] = None
    hours: Optional[str] = None
    note: Optional[str] = None
    for_women: bool = False
    availability: Optional[str] = None

    def display(self) -> str:
        """One short line for a chat answer, e.g. ``Samaritans: call 116 123 (free, 24/7)``."""
        if self.how == "web":
            return f"{self.service}: {self.contact}"
        words = crisis_words()["line"]
        if self.how == "text":
            action = (
                words["text_keyword"].format(keyword=self.keyword, contact=self.contact)
                if self.keyword
                else words["text"].format(contact=self.contact)
            )
        else:
            action = f"{self.how} {self.contact}"
        if self.also_call:
            action += words["also_call"].format(number=self.also_call)
        if self.also_text:
            action += words["also_text"].format(number=self.also_text)
        details = [part for part in (self.hours, self.availability) if part]
        if self.for_women:
            details.insert(0, words["for_women"])
        hours = f" ({'; '.join(details)})" if details else ""
        return f"{self.service}: {action}{hours}"

    def numbers(self) -> Tuple[str, ...]:
        """Every phone number or short code in the entry (web addresses excluded)."""
        found = [] if self.how == "web" else [self.contact]
        if self.also_call:
            found.append(self.also_call)
        if self.also_text:
            found.append(self.also_text.split(" to ")[-1])
        return tuple(found)


@dataclass(frozen=True)
class Emergency:
    """A country's emergency number (``also`` lists alternatives in words)."""

    number: str
    source: str
    last_verified: dt.date
    confidence: str
    also: Optional[str] = None


@dataclass(frozen=True)
class Country:
    """Everything the answers show for one country."""

    code: str
    name: str
    emergency: Emergency
    crisis: Tuple[Line, ...]
    dv: Tuple[Line, ...]


@dataclass(frozen=True)
class Directory:
    """The whole directory: an international fallback and the countries."""

    last_reviewed: dt.date
    international: Line
    countries: Mapping[str, Country]

    def numbers(self) -> Tuple[str, ...]:
        """Every number in the directory, emergency numbers included."""
        found = list(self.international.numbers())
        for country in self.countries.values():
            found.append(country.emergency.number)
            for line in country.crisis + country.dv:
                found.extend(line.numbers())
        return tuple(found)


def _require(mapping: Mapping[str, Any], key: str, where: str) -> Any:
    value = mapping.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        raise ResourceError(f"{where}: '{key}' is missing")
    return value


def _date(mapping: Mapping[str, Any], where: str) -> dt.date:
    value = _require(mapping, "last_verified", where)
    if not isinstance(value, dt.date):
        raise ResourceError(f"{where}: last_verified must be a date (YYYY-MM-DD), not {value!r}")
    return value


def _confidence(mapping: Mapping[str, Any], where: str) -> str:
    value = _require(mapping, "confidence", where)
    if value not in CONFIDENCE_LEVELS:
        raise ResourceError(
            f"{where}: confidence {value!r} is not one of {sorted(CONFIDENCE_LEVELS)} "
            "(a number that could not be verified is not listed)"
        )
    return value


def _line(raw: Any, where: str) -> Line:
    if not isinstance(raw, Mapping):
        raise ResourceError(f"{where}: expected a mapping")
    how = _require(raw, "how", where)
    if how not in CHANNELS:
        raise ResourceError(f"{where}: how {how!r} is not one of {sorted(CHANNELS)}")
    contact = str(_require(raw, "contact", where))
    if how == "web":
        if not WEB.match(contact):
            raise ResourceError(f"{where}: {contact!r} is not a web address")
    elif not PHONE.match(contact):
        raise ResourceError(f"{where}: {contact!r} is not a phone number or short code")
    keyword = raw.get("keyword")
    if keyword is not None and (how == "call" or not KEYWORD.match(str(keyword))):
        raise ResourceError(f"{where}: keyword {keyword!r} must be CAPITALS on a text line")
    also_call = raw.get("also_call")
    if also_call is not None and not PHONE.match(str(also_call)):
        raise ResourceError(f"{where}: also_call {also_call!r} is not a phone number")
    also_text = raw.get("also_text")
    if also_text is not None and not TEXT_TO.match(str(also_text)):
        raise ResourceError(f"{where}: also_text {also_text!r} must read 'WORD to 12345'")
    return Line(
        service=str(_require(raw, "service", where)),
        how=how,
        contact=contact,
        source=str(_require(raw, "source", where)),
        last_verified=_date(raw, where),
        confidence=_confidence(raw, where),
        keyword=str(keyword) if keyword is not None else None,
        also_call=str(also_call) if also_call is not None else None,
        also_text=str(also_text) if also_text is not None else None,
        hours=str(raw["hours"]) if raw.get("hours") else None,
        note=str(raw["note"]) if raw.get("note") else None,
        for_women=bool(raw.get("for_women", False)),
        availability=str(raw["availability"]) if raw.get("availability") else None,
    )


def _country(code: str, raw: Any) -> Country:
    where = f"countries.{code}"
    if not isinstance(raw, Mapping):
        raise ResourceError(f"{where}: expected a mapping")
    emergency_raw = _require(raw, "emergency", where)
    number = str(_require(emergency_raw, "number", f"{where}.emergency"))
    if not PHONE.match(number):
        raise ResourceError(f"{where}.emergency: {number!r} is not a phone number")
    emergency = Emergency(
        number=number,
        source=str(_require(emergency_raw, "source", f"{where}.emergency")),
        last_verified=_date(emergency_raw, f"{where}.emergency"),
        confidence=_confidence(emergency_raw, f"{where}.emergency"),
        also=emergency_raw.get("also"),
    )
    crisis = tuple(
        _line(item, f"{where}.crisis[{i}]") for i, item in enumerate(raw.get("crisis") or [])
    )
    if not crisis:
        raise ResourceError(f"{where}: needs at least one crisis line")
    dv = tuple(_line(item, f"{where}.dv[{i}]") for i, item in enumerate(raw.get("dv") or []))
    return Country(code, str(_require(raw, "name", where)), emergency, crisis, dv)


def parse_directory(raw: Any) -> Directory:
    """Validates the parsed YAML and returns the directory.

    Raises:
        ResourceError: naming the first problem (missing source, bad number, ...).
    """
    if not isinstance(raw, Mapping):
        raise ResourceError("the directory must be a mapping")
    countries_raw = _require(raw, "countries", "directory")
    missing = [code for code in COUNTRY_CODES if code not in countries_raw]
    if missing:
        raise ResourceError(f"countries missing from the directory: {', '.join(missing)}")
    unknown = [code for code in countries_raw if code not in COUNTRY_CODES]
    if unknown:
        raise ResourceError(
            f"countries {unknown} have no CountryExtractor code; add them to COUNTRY_CODES "
            "and bot/nlu/country_names.py together"
        )
    last_reviewed = _require(raw, "last_reviewed", "directory")
    if not isinstance(last_reviewed, dt.date):
        raise ResourceError("directory: last_reviewed must be a date")
    countries: Dict[str, Country] = {
        code: _country(code, countries_raw[code]) for code in COUNTRY_CODES
    }
    international = _line(_require(raw, "international", "directory"), "international")
    return Directory(last_reviewed, international, countries)


def load_directory(path: Optional[Path] = None) -> Directory:
    """Reads and validates a directory file (the shipped one by default, cached)."""
    if path is None:
        return _default_directory()
    with open(path, encoding="utf8") as f:
        return parse_directory(yaml.safe_load(f))


@lru_cache(maxsize=1)
def _default_directory() -> Directory:
    with open(DIRECTORY_PATH, encoding="utf8") as f:
        return parse_directory(yaml.safe_load(f))
