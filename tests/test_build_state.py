"""What a build learns inside Pelican travels in its settings, never in module globals."""

from __future__ import annotations

import ast
import pickle
from pathlib import Path

from papershelf.build_state import BUILD_STATE, BuildState, build_state
from papershelf.site.fingerprint import code_digest, package_files

from .search_helpers import build_search_site
from .sites import ROOT, build

PLUGINS = ROOT / "plugins"
MUTABLE_CALLS = {"dict", "list", "set", "defaultdict", "Counter", "OrderedDict", "deque"}
# Set only inside a forked worker process by its initializer, never in the build's own.
CHILD_PROCESS_STATE = {("papershelf/search/shards.py", "_CHILD_ENCODING")}


def _is_mutable(value: ast.expr) -> bool:
    if isinstance(value, ast.Dict | ast.List | ast.Set | ast.DictComp | ast.ListComp):
        return True
    return (
        isinstance(value, ast.Call)
        and isinstance(value.func, ast.Name)
        and value.func.id in MUTABLE_CALLS
    )


def module_state(path: Path) -> list[str]:
    """Module-level names bound to mutable containers, and ``global`` statements."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in tree.body:
        targets = []
        if isinstance(node, ast.Assign) and _is_mutable(node.value):
            targets = [t.id for t in node.targets if isinstance(t, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and node.value and _is_mutable(node.value):
            targets = [node.target.id] if isinstance(node.target, ast.Name) else []
        # UPPER_CASE tables are constants by convention (and nothing mutates them).
        found += [n for n in targets if not n.isupper() and not n.startswith("__")]
    for node in ast.walk(tree):
        if isinstance(node, ast.Global):
            found += node.names
    return found


def test_no_module_of_the_plugins_keeps_build_state():
    offenders = []
    for path in sorted(PLUGINS.rglob("*.py")):
        relative = path.relative_to(PLUGINS).as_posix()
        for name in module_state(path):
            if (relative, name) not in CHILD_PROCESS_STATE:
                offenders.append(f"{relative}: {name}")
    assert offenders == []


def test_the_scan_finds_module_state(tmp_path):
    # The check above can fail: a module with a cache dict and a global is caught.
    module = tmp_path / "stateful.py"
    module.write_text("_seen = {}\nLIMITS = {}\n\ndef f():\n    global _seen\n")
    assert module_state(module) == ["_seen", "_seen"]


def test_build_state_pickles_blank():
    # Pelican's content cache pickles articles with their settings: the state of
    # a build (a KaTeX process, open writers) must not travel with them.
    state = BuildState(previous_output="out", kept={"a.html"})
    state.writers.append(object())
    copy = pickle.loads(pickle.dumps(state))
    assert copy == BuildState()


def test_each_build_has_its_own_state(tmp_path):
    output, settings = build_search_site(tmp_path)
    first = settings.get(BUILD_STATE)
    # run_pelican stages a copy of the settings with a state of its own.
    assert first is None or first.kept == set()
    before = {p: p.read_bytes() for p in output.rglob("*.html")}
    build(settings)  # a rebuild keeps unchanged pages in place
    assert {p: p.read_bytes() for p in output.rglob("*.html")} == before
    fresh: dict = {}
    assert build_state(fresh) is build_state(fresh)
    assert build_state(fresh) is not build_state({})


def test_code_digest_follows_named_packages(tmp_path, monkeypatch):
    package = tmp_path / "pkgdemo"
    (package / "inner").mkdir(parents=True)
    (package / "__init__.py").write_text("")
    (package / "core.py").write_text("X = 1\n")
    (package / "inner" / "__init__.py").write_text("")
    (package / "inner" / "tool.py").write_text("Y = 1\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    names = [name for name, _ in package_files("pkgdemo")]
    assert names == [
        "pkgdemo.__init__.py",
        "pkgdemo.core.py",
        "pkgdemo.inner.__init__.py",
        "pkgdemo.inner.tool.py",
    ]
    whole = code_digest(["pkgdemo"])
    without_inner = code_digest(["pkgdemo"], exclude=["pkgdemo.inner"])
    (package / "inner" / "tool.py").write_text("Y = 2\n")
    assert code_digest(["pkgdemo"]) != whole  # an edit counts
    assert code_digest(["pkgdemo"], exclude=["pkgdemo.inner"]) == without_inner
    (package / "core.py").rename(package / "moved.py")
    assert code_digest(["pkgdemo"], exclude=["pkgdemo.inner"]) != without_inner  # a move too
