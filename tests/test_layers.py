"""The import graph of bot/: every import points down the layers, and none goes round in a circle.

The layers, top to bottom (a module may import its own layer and the layers below it):

1. ``server``, ``web``: how the processes start, and the chat page's server.
2. ``channels``, ``nlu``, ``runtime``, ``progress``: what Rasa loads (connectors, graph
   components, patches) and the progress chart.
3. ``reading``: reading what a person typed (ratings, numbers, countries, times, answers).
4. ``content``, ``store``: what Harbor says and does, and what it keeps.
5. ``safety``, ``security``: the ground floor, importing nothing above.

``docs/architecture.md`` states the same order; a test below keeps the two together. Imports
inside functions count too: a late import still ties two modules together. ``bot/`` never
imports ``actions``, ``bench``, ``scripts`` or ``tests``.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Dict, Iterator, List, Optional, Set, Tuple

ROOT = Path(__file__).resolve().parent.parent
BOT = ROOT / "bot"
LAYERS: Tuple[Tuple[str, ...], ...] = (
    ("server", "web"),
    ("channels", "nlu", "runtime", "progress"),
    ("reading",),
    ("content", "store"),
    ("safety", "security"),
)
OUTSIDE = ("actions", "bench", "scripts", "tests")


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def bot_modules() -> Dict[str, Path]:
    """Every module of bot/ by dotted name (Alembic's revision files aside: Alembic runs them)."""
    return {
        module_name(path): path
        for path in BOT.rglob("*.py")
        if "versions" not in path.relative_to(BOT).parts
    }


def imported_names(module: str, path: Path) -> Iterator[str]:
    """The dotted names a module imports, ``from a import b`` given as ``a.b``.

    ``from bot.safety import assess`` then resolves to the package ``bot.safety``, and
    ``from bot.safety import screen`` to the module ``bot.safety.screen``.
    """
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            yield from (f"{base}.{alias.name}" for alias in node.names)


def resolve(name: str, modules: Dict[str, Path]) -> Optional[str]:
    """The bot module a dotted name lives in, or None outside bot/."""
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def import_graph() -> Dict[str, Set[str]]:
    """For every bot module, the bot modules it imports."""
    modules = bot_modules()
    graph: Dict[str, Set[str]] = {}
    for module, path in modules.items():
        targets = {resolve(name, modules) for name in imported_names(module, path)}
        graph[module] = {t for t in targets if t is not None and t not in (module, "bot")}
    return graph


def layer_of(module: str) -> Optional[int]:
    parts = module.split(".")
    if len(parts) < 2:
        return None
    for index, names in enumerate(LAYERS):
        if parts[1] in names:
            return index
    return None


def cycles(graph: Dict[str, Set[str]]) -> List[List[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: Dict[str, int] = {}
    low: Dict[str, int] = {}
    stack: List[str] = []
    on_stack: Set[str] = set()
    found: List[List[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = []
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.append(member)
                if member == node:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def upward_imports(graph: Dict[str, Set[str]]) -> List[str]:
    return sorted(
        f"{module} -> {target}"
        for module, targets in graph.items()
        for target in targets
        if layer_of(target) is not None and layer_of(module) is not None
        and layer_of(target) < layer_of(module)  # type: ignore[operator]
    )


def test_every_package_of_bot_has_a_layer() -> None:
    packages = {p.name for p in BOT.iterdir() if (p / "__init__.py").exists()}
    assert packages == {name for names in LAYERS for name in names}


def test_no_import_goes_up_a_layer() -> None:
    assert upward_imports(import_graph()) == []


def test_no_import_cycle() -> None:
    assert cycles(import_graph()) == []


def test_bot_imports_nothing_outside_it() -> None:
    outside = sorted(
        f"{module} -> {name}"
        for module, path in bot_modules().items()
        for name in imported_names(module, path)
        if name.split(".")[0] in OUTSIDE
    )
    assert outside == []


def test_the_check_sees_an_upward_import_and_a_cycle() -> None:
    graph = {
        "bot.safety.a": {"bot.channels.x"},
        "bot.channels.x": {"bot.channels.y"},
        "bot.channels.y": {"bot.channels.x"},
    }
    assert upward_imports(graph) == ["bot.safety.a -> bot.channels.x"]
    assert cycles(graph) == [["bot.channels.x", "bot.channels.y"]]


def test_docs_state_the_same_layer_order() -> None:
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf8")
    order = " > ".join(" ".join(names) for names in LAYERS)
    assert f"Layers (top > bottom): {order}" in text
