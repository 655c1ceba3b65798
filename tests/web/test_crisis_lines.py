"""scripts/render_web_lines.py: the page's own copy of the crisis lines (web/js/crisis-lines.js)."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Dict, List

import pytest
import yaml

from bot.safety.resources import COUNTRY_CODES, OTHER_COUNTRY, load_directory

ROOT = Path(__file__).resolve().parents[2]
SCRIPT = ROOT / "scripts" / "render_web_lines.py"
DOMAIN = ROOT / "domain" / "crisis_responses.yml"


def load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("render_web_lines", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


render_web_lines = load_script()


@pytest.fixture(scope="module")
def data() -> Dict[str, Any]:
    return render_web_lines.build(load_directory())


def run_script(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "scripts.render_web_lines", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
    )


def domain_texts() -> Dict[str, str]:
    """Variation id -> text of the generated crisis answers."""
    responses = yaml.safe_load(DOMAIN.read_text(encoding="utf8"))["responses"]
    return {v["id"]: v["text"] for variations in responses.values() for v in variations}


def parsed_module(text: str) -> Dict[str, Any]:
    prefix = "export const CRISIS_LINES = Object.freeze("
    start = text.index(prefix) + len(prefix)
    return json.loads(text[start : text.rindex(");")])


def strip_labels(card: Dict[str, Any]) -> List[Dict[str, str]]:
    return [{k: v for k, v in link.items() if k != "label"} for link in card["links"]]


def test_the_committed_file_is_up_to_date() -> None:
    result = run_script("--check")
    assert result.returncode == 0, result.stdout + result.stderr


def test_check_fails_on_a_stale_file_and_passes_once_written(tmp_path: Path) -> None:
    output = tmp_path / "crisis-lines.js"
    output.write_text("export const CRISIS_LINES = {};\n")
    stale = run_script("--check", "--output", str(output))
    assert stale.returncode == 1 and "stale" in stale.stdout
    assert run_script("--output", str(output)).returncode == 0
    assert run_script("--check", "--output", str(output)).returncode == 0


def test_the_module_holds_what_build_returns(data: Dict[str, Any]) -> None:
    assert parsed_module(render_web_lines.render(load_directory())) == data


def test_every_country_and_the_fallbacks_are_there(data: Dict[str, Any]) -> None:
    assert list(data["countries"]) == [*COUNTRY_CODES, OTHER_COUNTRY]
    directory = load_directory()
    for code in COUNTRY_CODES:
        country, card = directory.countries[code], data["countries"][code]
        assert card["name"] == country.name
        assert card["emergency"] == country.emergency.number
        assert card["text"].endswith(f"call {country.emergency.number}.")
        assert country.crisis[0].display() in card["text"]
        if country.dv:
            assert country.dv[0].display() in card["text"]
        assert {"kind": "call", "number": country.emergency.number} in strip_labels(card)


def test_the_no_country_card_names_988_findahelpline_and_the_local_emergency_number(
    data: Dict[str, Any],
) -> None:
    text = data["fallback"]["text"]
    assert "988: call or text, 24/7 (US and Canada)" in text
    assert "findahelpline.com" in text
    assert "call your local emergency number" in text
    assert strip_labels(data["fallback"])[:2] == [
        {"kind": "call", "number": "988"},
        {"kind": "text", "number": "988"},
    ]
    assert {"kind": "web", "address": "findahelpline.com"} in strip_labels(data["fallback"])
    us, canada = load_directory().countries["US"], load_directory().countries["CA"]
    assert canada.crisis[0].contact == us.crisis[0].contact


def test_uk_card_has_its_call_and_text_buttons(data: Dict[str, Any]) -> None:
    assert data["countries"]["GB"]["links"] == [
        {"kind": "call", "number": "116 123", "label": "Call 116 123"},
        {"kind": "text", "number": "85258", "body": "SHOUT", "label": "Text SHOUT to 85258"},
        {"kind": "call", "number": "0808 2000 247", "label": "Call 0808 2000 247"},
        {"kind": "call", "number": "999", "label": "Call 999"},
    ]


def test_a_dv_line_for_women_only_is_followed_by_findahelpline(data: Dict[str, Any]) -> None:
    directory = load_directory()
    for code in COUNTRY_CODES:
        card = data["countries"][code]
        has_it = {"kind": "web", "address": "findahelpline.com"} in strip_labels(card)
        dv = directory.countries[code].dv
        women_only = bool(dv) and dv[0].for_women
        assert has_it == women_only, code
        assert ("For everyone: findahelpline.com" in card["text"]) == women_only, code


def test_links_are_unique_and_fit_on_the_card(data: Dict[str, Any]) -> None:
    for card in [data["fallback"], *data["countries"].values()]:
        keys = [(link["kind"], link.get("number") or link.get("address")) for link in card["links"]]
        assert len(keys) == len(set(keys)) and 0 < len(keys) <= render_web_lines.MAX_LINKS
        assert {link["kind"] for link in card["links"]} <= {"call", "text", "web"}


def test_also_text_becomes_a_text_button_with_its_keyword() -> None:
    assert render_web_lines.also_text_link("START to 88788") == {
        "kind": "text",
        "number": "88788",
        "body": "START",
        "label": "Text START to 88788",
    }
    assert render_web_lines.also_text_link("0477 13 11 14")["label"] == "Text 0477 13 11 14"


def test_too_many_buttons_are_refused() -> None:
    links = [render_web_lines.call_link(f"11{i}") for i in range(render_web_lines.MAX_LINKS + 1)]
    with pytest.raises(ValueError, match="at most"):
        render_web_lines.unique(links)


def test_the_wording_follows_the_servers_sos_answer(data: Dict[str, Any]) -> None:
    texts = domain_texts()
    server = texts["utter_resources.none.unknown"]
    for line in data["fallback"]["text"].splitlines():
        if "Domestic Violence" not in line:  # the server's has no hours; ours does
            assert line in server, line
    for code in COUNTRY_CODES:
        server = texts[f"utter_resources.{code}.unknown"]
        ours = data["countries"][code]["text"].splitlines()
        assert ours[:3] == server.splitlines()[:3], code
        assert ours[-1] in server, code


def test_markers_name_the_country_the_server_saved(data: Dict[str, Any]) -> None:
    texts = domain_texts()
    for code, card in data["countries"].items():
        saved = texts[f"utter_country_saved.{code}"]
        assert card["markers"][0] in saved, code
        if code != OTHER_COUNTRY:
            assert card["markers"][1] in texts[f"utter_resources.{code}.unknown"], code
        for other_id, text in texts.items():
            if f".{code}" not in other_id:
                assert not any(marker in text for marker in card["markers"]), (code, other_id)
