"""What Harbor says lives in data, not in Python (issue 15).

Every user-facing text is keyed in ``bot/content/data/`` (``messages.yml``, ``crisis.yml``,
the exercise and topic files) or is a domain response, and code reads it from there. This
test walks the string constants of every ``.py`` file under ``bot/``, ``actions/`` and
``scripts/`` (what runs, and what renders what runs) and fails on one that reads like an
English sentence or a button title. ``bench/`` and ``tests/`` are for developers.

The heuristic, kept simple on purpose:

* A **sentence** is a string constant (an f-string's literal parts too) whose first word is
  capitalised (``Got``, ``I'm``; not ``SELECT`` or ``TELEGRAM_TOKEN``) and that has at least
  three words: ``"Got it: day 12."``. Identifiers, payloads, patterns, SQL, paths and
  lower-case fragments are not sentences.
* A **button title** is a literal first argument of ``button(...)`` or a literal ``"title"``
  value in a dict: ``button("Skip", ...)``, ``{"title": "Yes", ...}``.
* Not user-facing, so not counted: docstrings; the arguments of log calls (``logger.info``
  and friends), ``print`` (console output for the operator) and ``warnings.warn``; what is
  raised or asserted (messages to developers); argparse ``help``/``description`` and other
  ``"description"`` values; the arguments of HTTP refusals to API clients
  (:data:`HTTP_REFUSALS`).
* :data:`ALLOWED` names the few places that keep words in code, each with its reason. The
  first is the one the brief asks for: the last-resort crisis text that must exist when
  nothing else loads.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path
from typing import Iterator, List, Set, Tuple

import pytest

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("bot", "actions", "scripts")
# A capitalised first word ("Got", "I'm"; not "SELECT" or "TELEGRAM_TOKEN"), two more words.
SENTENCE = re.compile(r"^(?:[A-Z][a-z'’]+|I|A)\b[’']?\w*[ ,:;!?.—-]+\S+\s+\S+")
LOG_CALLS = {"debug", "info", "warning", "error", "exception", "critical", "log", "warn", "print"}
# Answers to HTTP API clients (operators and developers), not to people in a chat.
HTTP_REFUSALS = {"BadRequest", "Refusal", "_answer"}
DEVELOPER_KEYS = {"help", "description"}
# (file, name of the constant or function) -> why the words stay in code.
ALLOWED = {
    ("bot/safety/fallback.py", "FALLBACK_CRISIS_REPLY"): (
        "the last-resort crisis text: sent when nothing else loads (messages.yml included)"
    ),
    ("bot/server/guard.py", "*"): "refusals to HTTP API clients (operators), not to people",
    ("bot/server/rasa_server.py", "*"): "start-up errors for the operator's console",
}


def _skipped_nodes(tree: ast.AST) -> Set[int]:
    """Ids of the nodes whose strings are not user-facing (see the module docstring)."""
    skip: Set[int] = set()

    def mark(node: ast.AST) -> None:
        skip.update(id(sub) for sub in ast.walk(node))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr):
            if isinstance(body[0].value, ast.Constant):
                skip.add(id(body[0].value))  # a docstring
        if isinstance(node, ast.Raise) and node.exc is not None:
            mark(node.exc)
        elif isinstance(node, ast.Assert) and node.msg is not None:
            mark(node.msg)
        elif isinstance(node, ast.Call) and _call_name(node) in LOG_CALLS | HTTP_REFUSALS:
            mark(node)
        elif isinstance(node, ast.keyword) and node.arg in DEVELOPER_KEYS:
            mark(node.value)
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value in DEVELOPER_KEYS:
                    mark(value)
        elif isinstance(node, ast.Assign) and _is_developer_target(node.targets):
            mark(node.value)
    return skip


def _call_name(call: ast.Call) -> str:
    func = call.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")


def _is_developer_target(targets: List[ast.expr]) -> bool:
    """``meta["description"] = ...``: package metadata, not a chat line."""
    for target in targets:
        if isinstance(target, ast.Subscript) and isinstance(target.slice, ast.Constant):
            if target.slice.value in DEVELOPER_KEYS:
                return True
    return False


def _owner(tree: ast.AST, line: int) -> str:
    """The name of the top-level constant or function that holds ``line``."""
    for node in getattr(tree, "body", []):
        end = getattr(node, "end_lineno", node.lineno)
        if node.lineno <= line <= end:
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
                return node.name
            if isinstance(node, ast.Assign) and isinstance(node.targets[0], ast.Name):
                return node.targets[0].id
    return ""


def _button_titles(tree: ast.AST) -> Iterator[ast.Constant]:
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and _call_name(node) == "button" and node.args:
            if isinstance(node.args[0], ast.Constant) and isinstance(node.args[0].value, str):
                yield node.args[0]
        if isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "title":
                    if isinstance(value, ast.Constant) and isinstance(value.value, str):
                        yield value


def words_in(source: str, rel: str) -> List[Tuple[int, str]]:
    """(line, text) of each user-facing string in ``source`` that is not allowed."""
    tree = ast.parse(source)
    skip = _skipped_nodes(tree)
    found = {
        id(node): node
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and id(node) not in skip and SENTENCE.match(node.value.strip())
    }
    found.update({id(node): node for node in _button_titles(tree)})
    return sorted(
        (node.lineno, node.value)
        for node in found.values()
        if (rel, "*") not in ALLOWED and (rel, _owner(tree, node.lineno)) not in ALLOWED
    )


def python_files() -> List[str]:
    return sorted(
        str(path.relative_to(ROOT))
        for folder in SCANNED
        for path in (ROOT / folder).rglob("*.py")
    )


@pytest.mark.parametrize("rel", python_files())
def test_no_user_facing_words_in_code(rel: str) -> None:
    found = words_in((ROOT / rel).read_text(encoding="utf-8"), rel)
    assert not found, (
        f"{rel} says these in code; key them in bot/content/data/messages.yml (or the "
        f"domain) and read them from there: {found}"
    )


def test_the_allowed_places_exist() -> None:
    for rel, name in ALLOWED:
        source = (ROOT / rel).read_text(encoding="utf-8")
        assert name == "*" or re.search(rf"^{name}\b", source, re.MULTILINE), (rel, name)


@pytest.mark.parametrize(
    "source",
    [
        'REPLY = "That button has expired, could you type it?"\n',
        'def f():\n    return f"Got it: day {n} of no contact."\n',
        'buttons = [button("Skip", "/next")]\n',
        'BUTTON = {"title": "Yes", "payload": "/affirm"}\n',
        'def f(d):\n    d.utter_message(text="I hear you. Take your time.")\n',
        'LINE = "I\'m here whenever you\'re ready."\n',
    ],
)
def test_the_check_finds_words_in_code(source: str) -> None:
    assert words_in(source, "bot/example.py")


@pytest.mark.parametrize(
    "source",
    [
        '"""A module docstring with Several words in it."""\n',
        'logger.warning("Store unavailable in %s: %s", name, error)\n',
        'raise ValueError("Expected a mapping at the top level")\n',
        'parser.add_argument("--check", help="Exit 1 if the file is stale")\n',
        'PAYLOAD = "/request_grounding"\nKEY = "craving.ask_urge_before"\n',
        'PATTERN = r"(suicid|kill(ing)? ?my ?self)"\n',
        'SQL = "SELECT tablename FROM pg_tables WHERE x = 1"\n',
        'ERRORS = {"token": "TELEGRAM_TOKEN does not look like a token"}\n',
        'text = say("channel.empty")\n',
    ],
)
def test_the_check_leaves_developer_text_alone(source: str) -> None:
    assert not words_in(source, "bot/example.py")
