"""Every intent has a rule that answers it in any context.

Harbor's dialogue runs on RulePolicy and MemoizationPolicy only (config.yml: TEDPolicy was
dropped for speed, docs/bench.md). Without a learned policy, an intent that only a story or
a conditional rule handles would, in any other context, end in the fallback ("sorry, I
didn't get that") and the person's message would be reverted. This keeps that from
slipping in with a new intent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Set

import yaml

ROOT = Path(__file__).resolve().parents[2]


def _domain_intents() -> Set[str]:
    intents: Set[str] = set()
    for path in (ROOT / "domain").glob("*.yml"):
        for intent in (yaml.safe_load(path.read_text()) or {}).get("intents") or []:
            intents.add(intent if isinstance(intent, str) else next(iter(intent)))
    return intents


def _context_free_rule_intents() -> Set[str]:
    """Intents that open a rule with no condition and no earlier step."""
    covered: Set[str] = set()
    for path in (ROOT / "data" / "rules").glob("*.yml"):
        for rule in (yaml.safe_load(path.read_text()) or {}).get("rules") or []:
            steps = rule.get("steps") or []
            if rule.get("condition") or not steps or "intent" not in steps[0]:
                continue
            covered.add(steps[0]["intent"])
    return covered


def test_every_intent_is_answered_by_a_rule_in_any_context() -> None:
    missing = sorted(_domain_intents() - _context_free_rule_intents())
    assert not missing, f"intents without a context-free rule: {missing}"


def test_no_learned_dialogue_policy_is_configured() -> None:
    config = yaml.safe_load((ROOT / "config.yml").read_text())
    names = [policy["name"] for policy in config["policies"]]
    assert names == ["RulePolicy", "MemoizationPolicy"], (
        "a learned policy changes what the rule-coverage test above guarantees; "
        "update it and docs/bench.md together"
    )
