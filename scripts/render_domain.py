"""Writes the localized crisis answers into ``domain/crisis_responses.yml``.

The crisis answer must arrive even when the action server and the database are down, so
it is a plain domain response picked by a rule. Rasa chooses among *conditional response
variations* by slot values; this module renders one variation per (``country``,
``crisis_kind``) pair from the resource directory, with mutually exclusive conditions
(Rasa picks at random among all variations whose conditions match).

Run ``python -m scripts.render_domain`` after changing ``resources.yml`` or the copy
below; ``--check`` exits non-zero when the committed file is stale (CI uses it through
``tests/scripts/test_render_domain.py``).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, Dict, List, Optional, Sequence, Tuple

import yaml

from bot.safety.assessment import (
    KIND_DANGER,
    KIND_DISTRESS,
    KIND_URGENT_DANGER,
    KIND_URGENT_DISTRESS,
)
from bot.safety.resources import (
    COUNTRY_CODES,
    OTHER_COUNTRY,
    Country,
    Directory,
    load_directory,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
OUTPUT_PATH = REPO_ROOT / "domain" / "crisis_responses.yml"

# (country slot value, crisis_kind slot value); None means "not set".
COUNTRY_VALUES: Tuple[Optional[str], ...] = (None, OTHER_COUNTRY, *COUNTRY_CODES)
KIND_VALUES: Tuple[Optional[str], ...] = (
    KIND_DISTRESS, KIND_DANGER, KIND_URGENT_DISTRESS, KIND_URGENT_DANGER, None
)
URGENT = {KIND_URGENT_DISTRESS: KIND_DISTRESS, KIND_URGENT_DANGER: KIND_DANGER}

# --- the copy ------------------------------------------------------------------------------
# Short enough for a phone screen; validation first, then 1-2 people to reach, the
# emergency line, then the offer to stay. Never a method, never a lecture.

VALIDATION = {
    KIND_DISTRESS: (
        "I'm really glad you told me. What you're carrying sounds so heavy, and you don't "
        "have to hold it alone right now."
    ),
    KIND_DANGER: (
        "Thank you for telling me. That sounds frightening, and none of it is your fault. "
        "You deserve to be safe."
    ),
    KIND_URGENT_DISTRESS: (
        "I'm so glad you told me. Your life matters, and right now you need a person with you."
    ),
    KIND_URGENT_DANGER: "Your safety comes first. None of this is your fault.",
    None: (
        "I'm really glad you reached out. Whatever is happening, you deserve support and "
        "you deserve to be safe."
    ),
}
RESOURCES_VALIDATION = "You don't have to get through this alone."
# Imminent risk: the emergency number before anything else.
URGENT_LOCAL = {
    KIND_URGENT_DISTRESS: "Please call {number} now, or ask someone near you to call for you.",
    KIND_URGENT_DANGER: (
        "If you can, call {number} now. Get to a room with a lock, or out of the house if "
        "it's safe to."
    ),
}
URGENT_UNKNOWN = (
    "Please call your local emergency number now (911 in the US and Canada, 999 in the UK, "
    "000 in Australia, 112 in the EU and India)."
)
FOR_EVERYONE_ELSE = "• For everyone: findahelpline.com lists other free lines near you"
REACH_NOW = "You can reach a real person right now:"
RESOURCES_INTRO = "People you can reach right now{where}:"
STAY = (
    "I'm a bot, not an emergency service, but I can stay with you. "
    "Want to do a short grounding exercise together?"
)
STAY_URGENT = "I'm a bot, not an emergency service. I'm right here while you reach them."
ASK_COUNTRY = "Where are you? Tap or type your country for local numbers."
EMERGENCY_LOCAL = "If you're in immediate danger, call {number}."
EMERGENCY_UNKNOWN = "If you're in immediate danger, call your local emergency number."
EMERGENCY_UNKNOWN_DANGER = (
    "If you are in immediate danger, call your emergency number "
    "(911 in the US and Canada, 999 in the UK, 112 in the EU)."
)
NO_COUNTRY_CRISIS = "• 988: call or text, 24/7 (US and Canada)"
NO_COUNTRY_DV = (
    "• US National Domestic Violence Hotline: call 1-800-799-7233 or text START to 88788"
)
NO_COUNTRY_ELSEWHERE = "• Anywhere else: findahelpline.com lists free lines in your country"
OTHER_COUNTRY_LINE = "• findahelpline.com lists free, confidential lines in your country"

GROUNDING_BUTTON = {"title": "Ground with me", "payload": "/request_grounding"}
COUNTRY_BUTTONS = (
    ("US", "US"), ("UK", "GB"), ("Canada", "CA"), ("Ireland", "IE"), ("Australia", "AU"),
    ("New Zealand", "NZ"), ("Germany", "DE"), ("France", "FR"), ("India", "IN"),
)

COUNTRY_SAVED = (
    "Got it: {name}. I'll remember that and show lines for {name} whenever you type SOS. "
    "If you move, just tell me (\"I'm in Ireland\")."
)
COUNTRY_SAVED_OTHER = (
    "Got it. I don't have a local list for where you are, so when you type SOS I'll point "
    "you to findahelpline.com, which lists free lines in most countries."
)
COUNTRY_NOT_CAUGHT = "Sorry, I didn't catch the country. Which one is it?"


def _country_payload(code: str) -> str:
    # Double braces: Rasa's response interpolation turns {{ }} into { } (single braces
    # would be read as a slot placeholder and logged as an error on every answer).
    return '/inform_country{{"country":"' + code + '"}}'


def country_buttons() -> List[Dict[str, str]]:
    """The country picker: one button per country in the directory."""
    return [{"title": title, "payload": _country_payload(code)} for title, code in COUNTRY_BUTTONS]


def _bullets(lines: Sequence[str]) -> List[str]:
    return [f"• {line}" for line in lines]


def _local_lines(country: Country, kind: Optional[str], crisis_count: int) -> List[str]:
    """The 1-2 lines to show: danger leads with the DV line, then one crisis line.

    A domestic-violence line that serves women only is followed by findahelpline.com, so
    nobody is left without a line.
    """
    kind = URGENT.get(kind, kind)
    crisis = [line.display() for line in country.crisis]
    if kind == KIND_DISTRESS:
        return _bullets(crisis[:crisis_count])
    shown = _bullets([line.display() for line in country.dv[:1]] + crisis[:1])
    if country.dv[:1] and country.dv[0].for_women:
        shown.append(FOR_EVERYONE_ELSE)
    return shown


def _urgent_text(country: Optional[Country], other: bool, kind: str) -> str:
    """Imminent risk: the emergency number first, then one or two lines, then the bot note."""
    if country is not None:
        first = URGENT_LOCAL[kind].format(number=country.emergency.number)
        lines = _local_lines(country, kind, crisis_count=1)
    else:
        first = URGENT_UNKNOWN
        lines = [OTHER_COUNTRY_LINE] if other else (
            [NO_COUNTRY_CRISIS, NO_COUNTRY_ELSEWHERE] if kind == KIND_URGENT_DISTRESS
            else [NO_COUNTRY_DV, NO_COUNTRY_CRISIS, NO_COUNTRY_ELSEWHERE]
        )
    parts = [first, "", VALIDATION[kind], REACH_NOW, *lines, "", STAY_URGENT]
    if country is None and not other:
        parts.append(ASK_COUNTRY)
    return "\n".join(parts)


def crisis_text(country: Optional[Country], other: bool, kind: Optional[str]) -> str:
    """The crisis answer for one country (None: unknown) and kind (None: unknown)."""
    if kind in URGENT:
        return _urgent_text(country, other, kind)
    parts = [VALIDATION[kind], ""]
    if country is not None:
        emergency = EMERGENCY_LOCAL.format(number=country.emergency.number)
        lines = _local_lines(country, kind, crisis_count=2)
        body = [emergency, *lines] if kind != KIND_DISTRESS else [REACH_NOW, *lines, emergency]
    elif other:
        body = [REACH_NOW, OTHER_COUNTRY_LINE, EMERGENCY_UNKNOWN]
    elif kind == KIND_DISTRESS:
        body = [REACH_NOW, NO_COUNTRY_CRISIS, NO_COUNTRY_ELSEWHERE, EMERGENCY_UNKNOWN]
    else:
        body = [EMERGENCY_UNKNOWN_DANGER, NO_COUNTRY_DV, NO_COUNTRY_CRISIS, NO_COUNTRY_ELSEWHERE]
    parts += [*body, "", STAY]
    if country is None and not other:
        parts.append(ASK_COUNTRY)
    return "\n".join(parts)


def resources_text(country: Optional[Country], other: bool, kind: Optional[str]) -> str:
    """The answer to "sos" / "give me a hotline": validation, lines, and the offer to stay."""
    if kind in URGENT:
        return _urgent_text(country, other, kind)
    if country is not None:
        intro = RESOURCES_INTRO.format(where=f" in {country.name}")
        crisis = [line.display() for line in country.crisis]
        dv = country.dv[:1]
        if kind == KIND_DISTRESS:
            shown = _bullets(crisis[:2])
        elif kind == KIND_DANGER:
            shown = _local_lines(country, kind, crisis_count=1)
        else:
            shown = _bullets(crisis[:1] + [line.display() for line in dv])
            if dv and dv[0].for_women:
                shown.append(FOR_EVERYONE_ELSE)
        lines = [RESOURCES_VALIDATION, intro, *shown]
        lines.append(EMERGENCY_LOCAL.format(number=country.emergency.number))
        return "\n".join([*lines, "", STAY])
    intro = RESOURCES_INTRO.format(where="")
    if other:
        body = [OTHER_COUNTRY_LINE, EMERGENCY_UNKNOWN]
    elif kind == KIND_DISTRESS:
        body = [NO_COUNTRY_CRISIS, NO_COUNTRY_ELSEWHERE, EMERGENCY_UNKNOWN]
    else:
        body = [NO_COUNTRY_CRISIS, NO_COUNTRY_DV, NO_COUNTRY_ELSEWHERE, EMERGENCY_UNKNOWN]
    lines = [RESOURCES_VALIDATION, intro, *body, "", STAY]
    if not other:
        lines.append(ASK_COUNTRY)
    return "\n".join(lines)


def _condition(country: Optional[str], kind: Optional[str]) -> List[Dict[str, Any]]:
    return [
        {"type": "slot", "name": "country", "value": country},
        {"type": "slot", "name": "crisis_kind", "value": kind},
    ]


def _variation_id(response: str, country: Optional[str], kind: Optional[str]) -> str:
    return f"{response}.{country or 'none'}.{kind or 'unknown'}"


def _variations(
    response: str, render: Any, directory: Directory, with_grounding: bool
) -> List[Dict[str, Any]]:
    variations: List[Dict[str, Any]] = []
    for country_code in COUNTRY_VALUES:
        country = directory.countries.get(country_code) if country_code else None
        other = country_code == OTHER_COUNTRY
        for kind in KIND_VALUES:
            buttons = [GROUNDING_BUTTON] if with_grounding else []
            if country is None and not other:
                buttons += country_buttons()
            variation: Dict[str, Any] = {
                "id": _variation_id(response, country_code, kind),
                "condition": _condition(country_code, kind),
                "text": render(country, other, kind),
            }
            if buttons:
                variation["buttons"] = [dict(b) for b in buttons]
            variations.append(variation)
    # Reached only for a country code the directory does not know: the safest answer is
    # the one that names every line (unknown country, unknown kind).
    fallback: Dict[str, Any] = {
        "id": f"{response}.fallback",
        "text": render(None, False, None),
        "buttons": ([GROUNDING_BUTTON] if with_grounding else []) + country_buttons(),
    }
    return [*variations, fallback]


def _country_saved(directory: Directory) -> List[Dict[str, Any]]:
    variations: List[Dict[str, Any]] = [
        {
            "id": f"utter_country_saved.{code}",
            "condition": [{"type": "slot", "name": "country", "value": code}],
            "text": COUNTRY_SAVED.format(name=directory.countries[code].name),
        }
        for code in COUNTRY_CODES
    ]
    variations.append(
        {
            "id": "utter_country_saved.OTHER",
            "condition": [{"type": "slot", "name": "country", "value": OTHER_COUNTRY}],
            "text": COUNTRY_SAVED_OTHER,
        }
    )
    variations.append(
        {"id": "utter_country_saved.none", "text": COUNTRY_NOT_CAUGHT, "buttons": country_buttons()}
    )
    return variations


HEADER = """\
# GENERATED by `python -m scripts.render_domain` from bot/safety/resources.yml and the
# copy in scripts/render_domain.py. Do not edit by hand: tests fail when it is stale.
#
# One variation per (country, crisis_kind) slot pair, with mutually exclusive conditions,
# so Rasa's random pick among matching variations always has exactly one candidate.
"""


def render(directory: Optional[Directory] = None) -> str:
    """Returns the full text of ``domain/crisis_responses.yml``."""
    directory = directory if directory is not None else load_directory()
    domain = {
        "version": "3.1",
        "responses": {
            "utter_crisis": _variations("utter_crisis", crisis_text, directory, True),
            "utter_resources": _variations("utter_resources", resources_text, directory, True),
            "utter_country_saved": _country_saved(directory),
        },
    }
    body = yaml.dump(
        domain,
        Dumper=_LiteralDumper,
        sort_keys=False,
        allow_unicode=True,
        width=100,
        default_flow_style=False,
    )
    return HEADER + body


class _LiteralDumper(yaml.SafeDumper):
    """Writes multi-line answers as ``|`` blocks, so the file reads like the chat."""


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_LiteralDumper.add_representer(str, _represent_str)


def write_or_check(argv: Optional[Sequence[str]], render_text: Any, output: Path,
                   command: str, description: str) -> int:
    """A generator's command line: write ``output``, or with ``--check`` say if it is stale.

    Args:
        argv: Command-line arguments (None: ``sys.argv``).
        render_text: Returns the file's full text.
        output: The default output path (``--output`` overrides it).
        command: The command that regenerates the file (named when it is stale).
        description: One line for ``--help``.
    """
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--check", action="store_true", help="exit 1 if the file is stale")
    parser.add_argument("--output", type=Path, default=output)
    args = parser.parse_args(argv)
    text = render_text()
    current = args.output.read_text(encoding="utf8") if args.output.exists() else ""
    if args.check:
        if current != text:
            print(f"{args.output} is stale: run {command}")
            return 1
        print(f"{args.output} is up to date")
        return 0
    args.output.write_text(text, encoding="utf8")
    print(f"wrote {args.output}")
    return 0


def main(argv: Optional[Sequence[str]] = None) -> int:
    """Writes the file, or with ``--check`` reports whether it is up to date."""
    return write_or_check(argv, render, OUTPUT_PATH, "python -m scripts.render_domain",
                          __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
