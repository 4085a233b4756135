"""The set-up: runtime and development apart, and every package pinned.

`make site` (and the deploy) install the runtime set alone, from requirements/runtime.txt
and the production Node packages; `make test` adds the test extras from
requirements/dev.txt and axe-core. The code imports only what its group declares.
"""

from __future__ import annotations

import ast
import json
import re
import shutil
import subprocess
import sys
import tomllib
from importlib import metadata
from pathlib import Path

import pytest

from .sites import ROOT

PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
RUNTIME_LOCK = ROOT / "requirements" / "runtime.txt"
DEV_LOCK = ROOT / "requirements" / "dev.txt"
PLUGINS = ROOT / "plugins"
DEVTOOLS = PLUGINS / "papershelf" / "devtools"
DEV_ONLY = ["pytest", "ruff", "playwright", "pagefind", "pagefind-bin-extended", "ftfy"]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?==([^\s;]+)$")


def canonical(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(requirements: list[str]) -> dict[str, str]:
    """name -> version of exact pins; anything else fails the test."""
    found = {}
    for requirement in requirements:
        match = PIN.match(requirement.strip())
        assert match, f"{requirement!r} is not an exact pin (name==version)"
        found[canonical(match[1])] = match[3]
    return found


def lock(path: Path) -> tuple[dict[str, str], list[str]]:
    """The pins of a lock file and the files it includes with -r."""
    lines = [line.strip() for line in path.read_text(encoding="utf-8").splitlines()]
    lines = [line for line in lines if line and not line.startswith("#")]
    includes = [line.split(None, 1)[1] for line in lines if line.startswith("-r ")]
    return pins([line for line in lines if not line.startswith("-")]), includes


RUNTIME = pins(PYPROJECT["project"]["dependencies"])
TEST_EXTRAS = pins(PYPROJECT["project"]["optional-dependencies"]["test"])
RUNTIME_PINS, RUNTIME_INCLUDES = lock(RUNTIME_LOCK)
DEV_PINS, DEV_INCLUDES = lock(DEV_LOCK)


def test_every_direct_dependency_is_an_exact_pin_in_one_group():
    assert RUNTIME and TEST_EXTRAS  # pins() already failed on anything but name==version
    assert not RUNTIME.keys() & TEST_EXTRAS.keys()
    assert set(PYPROJECT["project"]["optional-dependencies"]) == {"test"}


def test_the_runtime_lock_pins_every_runtime_dependency_at_its_version():
    assert RUNTIME_INCLUDES == []
    for name, version in RUNTIME.items():
        assert RUNTIME_PINS.get(name) == version, f"{name}=={version} is not in runtime.txt"
    assert {"pip", "setuptools"} <= RUNTIME_PINS.keys()  # the set-up's tools, pinned too


def test_the_runtime_lock_holds_no_development_package():
    for name in DEV_ONLY:
        assert name not in RUNTIME_PINS, f"{name} is development only"
    assert not RUNTIME_PINS.keys() & TEST_EXTRAS.keys()


def test_the_dev_lock_is_the_runtime_lock_and_the_test_extras():
    assert DEV_INCLUDES == ["runtime.txt"]
    assert not DEV_PINS.keys() & RUNTIME_PINS.keys()  # one version per package
    for name, version in TEST_EXTRAS.items():
        assert DEV_PINS.get(name) == version, f"{name}=={version} is not in dev.txt"
    assert set(DEV_ONLY) <= DEV_PINS.keys()


def test_this_environment_is_installed_from_the_locks():
    if sys.prefix == sys.base_prefix:
        pytest.skip("not run from a virtual environment (make test uses .venv)")
    for name, version in {**RUNTIME_PINS, **DEV_PINS}.items():
        try:
            installed = metadata.version(name)
        except metadata.PackageNotFoundError:
            pytest.fail(f"{name} is pinned but not installed: run make setup-dev")
        assert installed == version, f"{name} {installed} installed, {version} pinned"


def first_party() -> set[str]:
    return {path.name for path in PLUGINS.iterdir() if (path / "__init__.py").is_file()} | {
        "tests",
        "pelicanconf",
        "publishconf",
    }


def imported(files) -> dict[str, set[str]]:
    """Top-level third-party module -> the files importing it (absolute imports only)."""
    found: dict[str, set[str]] = {}
    ours = first_party()
    for path in files:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if (path.parent / f"{top}.py").is_file():
                    continue  # a script's own helper beside it (tests/fuzz/)
                if top not in sys.stdlib_module_names and top not in ours:
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def distributions(modules: dict[str, set[str]]) -> dict[str, set[str]]:
    """Canonical distribution name -> the files importing a module it provides."""
    providers = metadata.packages_distributions()
    found: dict[str, set[str]] = {}
    for module, files in modules.items():
        assert module in providers, f"{module} (imported by {sorted(files)}) is not installed"
        for dist in providers[module]:
            found.setdefault(canonical(dist), set()).update(files)
    return found


def runtime_files():
    return [path for path in PLUGINS.rglob("*.py") if DEVTOOLS not in path.parents]


def test_runtime_code_imports_only_runtime_dependencies_it_declares():
    used = distributions(imported(runtime_files()))
    assert {"urllib3", "requests", "nh3", "pelican", "pyyaml"} <= used.keys()
    for dist, files in sorted(used.items()):
        assert dist in RUNTIME, f"{dist} (imported by {sorted(files)}) is no runtime dependency"


def test_tests_and_devtools_import_only_declared_packages():
    files = [*DEVTOOLS.rglob("*.py"), *(ROOT / "tests").rglob("*.py")]
    used = distributions(imported(files))
    assert {"pytest", "playwright", "ftfy"} <= used.keys()
    for dist, files in sorted(used.items()):
        assert dist in RUNTIME or dist in TEST_EXTRAS, f"{dist} ({sorted(files)}) is undeclared"


def test_the_build_uses_only_production_node_packages():
    package = json.loads((ROOT / "package.json").read_text(encoding="utf-8"))
    production, development = package["dependencies"], package["devDependencies"]
    assert "axe-core" in development and not production.keys() & development.keys()
    used = set()
    for path in runtime_files():
        used.update(re.findall(r'"node_modules"\s*/\s*"([^"]+)"', path.read_text("utf-8")))
    assert used == {"katex", "lunr"} and used <= production.keys()
    locked = json.loads((ROOT / "package-lock.json").read_text(encoding="utf-8"))["packages"]
    assert locked[""].get("dependencies") == production
    assert locked[""].get("devDependencies") == development
    for name in development:
        assert locked[f"node_modules/{name}"].get("dev") is True
    for name in production:
        assert not locked[f"node_modules/{name}"].get("dev")


MAKE = shutil.which("make")
needs_make = pytest.mark.skipif(MAKE is None, reason="make is not installed")


def dry_run(target: str, venv: Path) -> str:
    """The commands `make TARGET` would run with a fresh venv at ``venv`` (nothing runs)."""
    result = subprocess.run(
        [MAKE, "--no-print-directory", "-n", "-B", target, f"VENV={venv}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return result.stdout


@needs_make
@pytest.mark.parametrize("target", ["setup", "site", "serve"])
def test_make_site_installs_the_runtime_set_alone(target, tmp_path):
    commands = dry_run(target, tmp_path / "venv")
    assert "-r requirements/runtime.txt" in commands
    assert "npm ci --no-audit --no-fund --omit=dev" in commands
    for dev in ("dev.txt", "[test]", "bin/pytest", "bin/ruff", "apt-get"):
        assert dev not in commands, f"make {target} would run {dev!r}"


@needs_make
def test_make_test_adds_the_dev_set(tmp_path):
    commands = dry_run("test", tmp_path / "venv").splitlines()
    runtime = commands.index(next(c for c in commands if "-r requirements/runtime.txt" in c))
    dev = commands.index(next(c for c in commands if "-r requirements/dev.txt" in c))
    assert runtime < dev
    assert any(c.endswith("npm ci --no-audit --no-fund; fi") for c in commands[dev:])
    assert any(c.endswith("/pytest") for c in commands[dev:])


@needs_make
def test_make_test_installs_debians_chromium_and_java_before_the_dev_node_packages(tmp_path):
    # vnu-jar's install script downloads a Java runtime when it finds none: Debian's first.
    commands = dry_run("test", tmp_path / "venv")
    apt = commands.index("apt-get install")
    assert 'missing="$missing chromium"' in commands[:apt]
    assert 'missing="$missing default-jre-headless"' in commands[:apt]
    assert apt < commands.index("npm ci --no-audit --no-fund; fi")


@needs_make
def test_a_runtime_set_up_after_make_test_keeps_the_dev_set(tmp_path):
    (tmp_path / "venv").mkdir()
    (tmp_path / "venv" / ".installed-dev").touch()
    commands = dry_run("setup", tmp_path / "venv")
    assert "-r requirements/dev.txt" in commands  # refreshed, not uninstalled
    assert "--omit=dev" not in commands


@needs_make
def test_the_site_target_does_not_depend_on_the_dev_stamp():
    database = subprocess.run(
        [MAKE, "--no-print-directory", "-p", "-q", "-r", "-R", "__no_such_target__"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout
    rules: dict[str, list[str]] = {}
    for line in database.splitlines():
        match = re.match(r"^([^\s#:=][^:=]*?):(?!=)\s*(.*)$", line)
        if match and not re.match(r"\.[A-Z_]+$", match[1]):  # .PHONY, ...
            rules.setdefault(match[1], []).extend(match[2].replace("|", " ").split())
    assert "site" in rules and ".venv/.installed-dev" in rules["test"]
    seen, todo = set(), ["site"]
    while todo:
        target = todo.pop()
        if target not in seen:
            seen.add(target)
            todo.extend(rules.get(target, []))
    assert ".venv/.installed-runtime" in seen
    assert ".venv/.installed-dev" not in seen and "requirements/dev.txt" not in seen
