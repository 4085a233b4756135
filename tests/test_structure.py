"""The shape of the code: no import cycle in the core, and small modules.

Imports are read with ``ast`` (nothing is imported), inside functions too: a
cycle hidden in a function is still a cycle of concepts.
"""

from __future__ import annotations

import ast
from pathlib import Path

PLUGINS = Path(__file__).resolve().parents[1] / "plugins"
MAX_LINES = 300
# Over MAX_LINES; each entry is a candidate for splitting, not a licence to grow.
LONG_MODULES: set[str] = set()
# The packages of the core in the order of the data flow: each may import from the
# top level and from the layers before its own, never after (the README's *Design*).
LAYERS = (
    {"ingest", "search"},
    {"notes"},
    {"importers", "summaries"},
    {"site"},
    {"devtools"},
)
# Top-level modules that stand above the packages: the command line runs them all.
TOP_OF_THE_HOUSE = {"papershelf.cli", "papershelf.cli_parser"}


def module_files() -> dict[str, Path]:
    """``papershelf.ingest.client`` -> its file; a package is its ``__init__.py``."""
    modules = {}
    for path in sorted((PLUGINS / "papershelf").rglob("*.py")):
        parts = list(path.relative_to(PLUGINS).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def imported_names(module: str, path: Path) -> set[str]:
    """Every ``papershelf`` name ``module`` imports, relative imports made absolute."""
    package = module.split(".") if path.name == "__init__.py" else module.split(".")[:-1]
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                base = ".".join(package[: len(package) - node.level + 1] + [base]).strip(".")
            # ``from papershelf.ingest import client`` imports the module client.
            names.update(f"{base}.{alias.name}" for alias in node.names)
            names.add(base)
    return {name for name in names if name.split(".")[0] == "papershelf"}


def import_graph() -> dict[str, set[str]]:
    modules = module_files()

    def owner(name: str) -> str:
        """The module a name lives in: ``papershelf.errors.FetchError`` -> ``papershelf.errors``."""
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or "papershelf"

    return {
        module: {owner(name) for name in imported_names(module, path)} - {module}
        for module, path in modules.items()
    }


def find_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan's algorithm,
    iterative), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles = []
    for start in sorted(graph):
        if start in index:
            continue
        work = [(start, iter(sorted(graph[start])))]
        index[start] = low[start] = len(index)
        stack.append(start)
        on_stack.add(start)
        while work:
            node, edges = work[-1]
            for target in edges:
                if target not in index:
                    index[target] = low[target] = len(index)
                    stack.append(target)
                    on_stack.add(target)
                    work.append((target, iter(sorted(graph.get(target, ())))))
                    break
                if target in on_stack:
                    low[node] = min(low[node], index[target])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    group = []
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        group.append(member)
                        if member == node:
                            break
                    if len(group) > 1:
                        cycles.append(sorted(group))
    return cycles


def test_the_cycle_finder_finds_cycles():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a", "d"}, "d": set(), "e": {"e", "d"}}
    assert find_cycles(graph) == [["a", "b", "c"]]


def test_the_graph_sees_every_kind_of_import():
    graph = import_graph()
    assert "papershelf.ingest.client" in graph["papershelf.summaries.chat"]  # from x import y
    assert "papershelf.ingest.capped" in graph["papershelf.ingest.client"]
    assert "papershelf.files" in graph["papershelf.archive"]


def test_no_import_cycle_in_the_core():
    assert find_cycles(import_graph()) == []


def test_modules_stay_small():
    sizes = {
        str(path.relative_to(PLUGINS)): len(path.read_text(encoding="utf-8").splitlines())
        for path in PLUGINS.rglob("*.py")
    }
    over = {name: lines for name, lines in sizes.items() if lines > MAX_LINES}
    assert set(over) <= LONG_MODULES, f"over {MAX_LINES} lines: {over}"


def layer_of(module: str) -> int | None:
    """The layer of a module of a package of the core; None for the top level."""
    parts = module.split(".")
    if len(parts) < 3 and module not in {f"papershelf.{p}" for layer in LAYERS for p in layer}:
        return None
    return next(i for i, layer in enumerate(LAYERS) if parts[1] in layer)


def layering_breaks(graph: dict[str, set[str]]) -> list[str]:
    breaks = []
    for module, targets in sorted(graph.items()):
        if module in TOP_OF_THE_HOUSE:
            continue
        mine = layer_of(module)
        for target in sorted(targets):
            theirs = layer_of(target)
            if theirs is None:
                continue  # the top level is shared by every stage
            if mine is None or (theirs > mine):
                breaks.append(f"{module} -> {target}")
            elif theirs == mine and module.split(".")[1] != target.split(".")[1]:
                breaks.append(f"{module} -> {target}")  # siblings stay apart
    return breaks


def test_packages_import_only_along_the_flow():
    assert layering_breaks(import_graph()) == []


def test_the_layering_check_finds_an_import_against_the_flow():
    graph = {
        "papershelf.ingest.fetch": {"papershelf.site.build"},  # upstream imports downstream
        "papershelf.archive": {"papershelf.notes.format"},  # the top level imports a stage
        "papershelf.importers.writing": {"papershelf.summaries.short"},  # siblings
        "papershelf.site.build": {"papershelf.notes.render", "papershelf.errors"},  # fine
    }
    assert layering_breaks(graph) == [
        "papershelf.archive -> papershelf.notes.format",
        "papershelf.importers.writing -> papershelf.summaries.short",
        "papershelf.ingest.fetch -> papershelf.site.build",
    ]
