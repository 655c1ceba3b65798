"""Writes the localized crisis answers into ``domain/crisis_responses.yml``.

The crisis answer must arrive even when the action server and the database are down, so
it is a plain domain response picked by a rule. Rasa chooses among *conditional response
variations* by slot values; this module renders one variation per (``country``,
``crisis_kind``) pair from the resource directory, with mutually exclusive conditions
(Rasa picks at random among all variations whose conditions match).

Run ``python -m bot.safety.render_domain`` after changing ``resources.yml`` or the words
in ``bot/content/data/crisis.yml``; ``--check`` exits non-zero when the committed file is
stale (CI uses it through ``tests/safety/test_render_domain.py``).
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
    crisis_words,
    load_directory,
)

REPO_ROOT = Path(__file__).resolve().parents[2]
OUTPUT_PATH = REPO_ROOT / "domain" / "crisis_responses.yml"

# (country slot value, crisis_kind slot value); None means "not set".
COUNTRY_VALUES: Tuple[Optional[str], ...] = (None, OTHER_COUNTRY, *COUNTRY_CODES)
KIND_VALUES: Tuple[Optional[str], ...] = (
    KIND_DISTRESS, KIND_DANGER, KIND_URGENT_DISTRESS, KIND_URGENT_DANGER, None
)
URGENT = {KIND_URGENT_DISTRESS: KIND_DISTRESS, KIND_URGENT_DANGER: KIND_DANGER}

# --- the copy ------------------------------------------------------------------------------
# The words live in bot/content/data/crisis.yml (its `domain` section, read by
# resources.crisis_words); the numbers and lines in resources.yml. Read when rendering.
def words(key: str, **fields: Any) -> str:
    """One text of the crisis answers' copy, with ``fields`` filled in."""
    return str(crisis_words()["domain"][key]).format(**fields)


def validation(kind: Optional[str]) -> str:
    """The first words of a crisis answer for ``kind`` (None: the kind is not known)."""
    return str(crisis_words()["domain"]["validation"][kind or "unknown"])


def grounding_button() -> Dict[str, str]:
    """The "ground with me" button under the crisis answers."""
    return {"title": words("grounding_button"), "payload": "/request_grounding"}


def _country_payload(code: str) -> str:
    # Double braces: Rasa's response interpolation turns {{ }} into { } (single braces
    # would be read as a slot placeholder and logged as an error on every answer).
    return '/inform_country{{"country":"' + code + '"}}'


def country_buttons() -> List[Dict[str, str]]:
    """The country picker: one button per country in the directory."""
    return [
        {"title": title, "payload": _country_payload(code)}
        for title, code in crisis_words()["domain"]["country_buttons"]
    ]


def _no_country_lines(keys: Sequence[str]) -> List[str]:
    return [words(key) for key in keys]


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
        shown.append(words("for_everyone_else"))
    return shown


def _urgent_text(country: Optional[Country], other: bool, kind: str) -> str:
    """Imminent risk: the emergency number first, then one or two lines, then the bot note."""
    if country is not None:
        first = str(crisis_words()["domain"]["urgent_local"][kind]).format(
            number=country.emergency.number
        )
        lines = _local_lines(country, kind, crisis_count=1)
    else:
        first = words("urgent_unknown")
        lines = [words("other_country_line")] if other else _no_country_lines(
            ["no_country_crisis", "no_country_elsewhere"] if kind == KIND_URGENT_DISTRESS
            else ["no_country_dv", "no_country_crisis", "no_country_elsewhere"]
        )
    parts = [first, "", validation(kind), words("reach_now"), *lines, "", words("stay_urgent")]
    if country is None and not other:
        parts.append(words("ask_country"))
    return "\n".join(parts)


def crisis_text(country: Optional[Country], other: bool, kind: Optional[str]) -> str:
    """The crisis answer for one country (None: unknown) and kind (None: unknown)."""
    if kind in URGENT:
        return _urgent_text(country, other, kind)
    parts = [validation(kind), ""]
    if country is not None:
        emergency = words("emergency_local", number=country.emergency.number)
        lines = _local_lines(country, kind, crisis_count=2)
        reach = words("reach_now")
        body = [emergency, *lines] if kind != KIND_DISTRESS else [reach, *lines, emergency]
    elif other:
        body = _no_country_lines(["reach_now", "other_country_line", "emergency_unknown"])
    elif kind == KIND_DISTRESS:
        body = _no_country_lines(
            ["reach_now", "no_country_crisis", "no_country_elsewhere", "emergency_unknown"]
        )
    else:
        body = _no_country_lines(
            ["emergency_unknown_danger", "no_country_dv", "no_country_crisis",
             "no_country_elsewhere"]
        )
    parts += [*body, "", words("stay")]
    if country is None and not other:
        parts.append(words("ask_country"))
    return "\n".join(parts)


def resources_text(country: Optional[Country], other: bool, kind: Optional[str]) -> str:
    """The answer to "sos" / "give me a hotline": validation, lines, and the offer to stay."""
    if kind in URGENT:
        return _urgent_text(country, other, kind)
    if country is not None:
        intro = words("resources_intro_in", country=country.name)
        crisis = [line.display() for line in country.crisis]
        dv = country.dv[:1]
        if kind == KIND_DISTRESS:
            shown = _bullets(crisis[:2])
        elif kind == KIND_DANGER:
            shown = _local_lines(country, kind, crisis_count=1)
        else:
            shown = _bullets(crisis[:1] + [line.display() for line in dv])
            if dv and dv[0].for_women:
                shown.append(words("for_everyone_else"))
        lines = [words("resources_validation"), intro, *shown]
        lines.append(words("emergency_local", number=country.emergency.number))
        return "\n".join([*lines, "", words("stay")])
    intro = words("resources_intro")
    if other:
        body = _no_country_lines(["other_country_line", "emergency_unknown"])
    elif kind == KIND_DISTRESS:
        body = _no_country_lines(["no_country_crisis", "no_country_elsewhere", "emergency_unknown"])
    else:
        body = _no_country_lines(
            ["no_country_crisis", "no_country_dv", "no_country_elsewhere", "emergency_unknown"]
        )
    lines = [words("resources_validation"), intro, *body, "", words("stay")]
    if not other:
        lines.append(words("ask_country"))
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
            buttons = [grounding_button()] if with_grounding else []
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
        "buttons": ([grounding_button()] if with_grounding else []) + country_buttons(),
    }
    return [*variations, fallback]


def _country_saved(directory: Directory) -> List[Dict[str, Any]]:
    variations: List[Dict[str, Any]] = [
        {
            "id": f"utter_country_saved.{code}",
            "condition": [{"type": "slot", "name": "country", "value": code}],
            "text": words("country_saved", name=directory.countries[code].name),
        }
        for code in COUNTRY_CODES
    ]
    variations.append(
        {
            "id": "utter_country_saved.OTHER",
            "condition": [{"type": "slot", "name": "country", "value": OTHER_COUNTRY}],
            "text": words("country_saved_other"),
        }
    )
    variations.append(
        {
            "id": "utter_country_saved.none",
            "text": words("country_not_caught"),
            "buttons": country_buttons(),
        }
    )
    return variations


HEADER = """\
# GENERATED by `python -m bot.safety.render_domain` from bot/safety/resources.yml (the lines)
# and bot/content/data/crisis.yml (the words). Do not edit by hand: tests fail when it is stale.
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
    return write_or_check(argv, render, OUTPUT_PATH, "python -m bot.safety.render_domain",
                          __doc__.splitlines()[0])


if __name__ == "__main__":
    sys.exit(main())
