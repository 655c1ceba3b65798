"""One name per feature in every layer (issue 15).

A feature is one name used everywhere: ``actions/<feature>.py`` ↔ ``domain/<feature>.yml`` ↔
``data/nlu/<feature>.yml`` ↔ ``data/rules/<feature>.yml`` ↔ ``data/stories/<feature>.yml`` ↔
``tests/actions/test_<feature>.py`` ↔ ``tests/stories/<feature>.yml``. What every feature
shares (greetings, yes/no, "stop", the answers inside any flow) is ``_shared``. A feature
with actions has its domain file, its rules and its tests; a feature without actions (only
domain responses) has at least its domain file. Stories and NLU examples exist where the
feature has them (a reminder-only feature has no NLU).
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Set, Tuple

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
SHARED = "_shared"
# Action modules that are not a feature: helpers the feature modules import.
SHARED_MODULES = {
    "common": "store calls, slot events and the content library, used by every action module",
}
# Files named after a feature but not the feature's own name, each with its reason.
GENERATED = {
    "domain/crisis_responses.yml": "the crisis feature's localized answers, rendered from "
    "bot/safety/resources.yml (tests/safety/test_render_domain.py keeps it current)",
}
DATA_DIRS = ("data/nlu", "data/rules", "data/stories", "tests/stories")
# Intents no one types: the crisis detector sets these two, reminders push EXTERNAL_*.
UNTYPED = {"crisis", "crisis_check"}


def action_modules() -> List[str]:
    """Feature names that have an action module."""
    names = [p.stem for p in (ROOT / "actions").glob("*.py") if p.stem != "__init__"]
    return sorted(n for n in names if n not in SHARED_MODULES)


def features() -> Set[str]:
    """Every feature: the action modules and the domain files."""
    domain = {p.stem for p in (ROOT / "domain").glob("*.yml")}
    domain -= {Path(g).stem for g in GENERATED if g.startswith("domain/")}
    return set(action_modules()) | domain


def load(rel: str) -> Dict:
    path = ROOT / rel
    return (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}


def declared_actions(module: str) -> Set[str]:
    """Names returned by ``def name(self)`` in ``actions/<module>.py``."""
    tree = ast.parse((ROOT / "actions" / f"{module}.py").read_text(encoding="utf-8"))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef) and node.name == "name":
            for ret in ast.walk(node):
                if isinstance(ret, ast.Return) and isinstance(ret.value, ast.Constant):
                    names.add(ret.value.value)
    return names


def intents_with_examples(rel: str) -> Set[str]:
    return {item["intent"] for item in load(rel).get("nlu", []) if "intent" in item}


def feature_files() -> Iterator[Tuple[str, str]]:
    """(path, stem) of every per-feature file in domain/, data/ and tests/."""
    for folder in ("domain", *DATA_DIRS):
        for path in sorted((ROOT / folder).glob("*.yml")):
            yield f"{folder}/{path.name}", path.stem
    for path in sorted((ROOT / "tests/actions").glob("test_*.py")):
        yield f"tests/actions/{path.name}", path.stem[len("test_"):]


def test_the_layout_is_what_this_test_expects() -> None:
    modules = action_modules()
    assert len(modules) >= 8, modules  # the glob found the action modules
    assert "relapse" in modules and (ROOT / "domain/relapse.yml").exists()


@pytest.mark.parametrize("feature", action_modules())
def test_an_action_module_has_its_domain_rules_and_tests(feature: str) -> None:
    for rel in (f"domain/{feature}.yml", f"data/rules/{feature}.yml",
                f"tests/actions/test_{feature}.py"):
        assert (ROOT / rel).exists(), f"actions/{feature}.py has no {rel}"


@pytest.mark.parametrize("path,stem", list(feature_files()))
def test_every_file_is_named_after_a_feature(path: str, stem: str) -> None:
    if path in GENERATED:
        return
    known = features() | {SHARED} | set(SHARED_MODULES)
    assert stem in known, (
        f"{path} is named after no feature: name it after its actions/ module or domain/ file "
        f"({sorted(features())}), or {SHARED}"
    )


@pytest.mark.parametrize("feature", action_modules())
def test_a_feature_declares_exactly_its_own_actions(feature: str) -> None:
    domain = load(f"domain/{feature}.yml")
    in_domain = {a for a in domain.get("actions", []) if a.startswith(("action_", "validate_"))}
    in_module = declared_actions(feature)
    assert in_module == in_domain, (
        f"actions/{feature}.py runs {sorted(in_module)}, "
        f"domain/{feature}.yml declares {sorted(in_domain)}"
    )


@pytest.mark.parametrize("feature", sorted(features() | {SHARED}))
def test_a_feature_keeps_the_examples_of_its_own_intents(feature: str) -> None:
    declared = set(load(f"domain/{feature}.yml").get("intents", []))
    examples = intents_with_examples(f"data/nlu/{feature}.yml")
    assert examples <= declared, (
        f"data/nlu/{feature}.yml has examples of {sorted(examples - declared)}, "
        f"declared elsewhere than domain/{feature}.yml"
    )
    typed = {i for i in declared if i not in UNTYPED and not i.startswith("EXTERNAL_")}
    assert typed <= examples, (
        f"{sorted(typed - examples)} of domain/{feature}.yml have no examples in "
        f"data/nlu/{feature}.yml"
    )
