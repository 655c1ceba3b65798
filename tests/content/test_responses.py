"""Every domain response variation is present and phone-sized (issue 5's content test)."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
MAX_CHARS = 600


def variations():
    for path in sorted((ROOT / "domain").glob("*.yml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for name, items in (data.get("responses") or {}).items():
            assert items, f"{path.name}: {name} has no variations"
            for index, item in enumerate(items):
                yield f"{path.name}:{name}[{index}]", item


def test_no_variation_is_empty_or_too_long():
    problems = []
    for where, item in variations():
        text = (item.get("text") or "").strip()
        if not text and not item.get("custom") and not item.get("image"):
            problems.append(f"{where}: empty")
        elif len(text) > MAX_CHARS:
            problems.append(f"{where}: {len(text)} characters")
    assert problems == []


def test_buttons_have_titles_and_payloads():
    for where, item in variations():
        for button in item.get("buttons") or []:
            assert button.get("title") and button.get("payload"), where


def test_flow_responses_exist_with_variations():
    names = {where.split(":")[1].split("[")[0] for where, _ in variations()}
    for name in ("utter_craving_contact", "utter_relapsed_contact", "utter_feeling_unworthy",
                 "utter_feeling_lonely", "utter_share_win"):
        assert name in names
