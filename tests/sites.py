"""Helpers for tests that fetch fixtures into an archive and build a real site."""

from __future__ import annotations

import io
import signal
from pathlib import Path

from bs4 import BeautifulSoup

from papershelf.config import load_settings
from papershelf.ingest.fetch import run_fetch
from papershelf.site.build import run_pelican

ROOT = Path(__file__).resolve().parents[1]
FEEDS = Path(__file__).parent / "fixtures" / "feeds"
SHARED = ROOT.parent / "shared"


def site_settings(tmp_path: Path, **overrides) -> dict:
    """The project's pelicanconf.py, writing only under ``tmp_path``.

    The interface is English (``DEFAULT_LANG = "en"``) unless a test overrides it:
    the demo site speaks Chinese, but the tests of what pages say read English
    (tests/test_i18n.py builds both)."""
    (tmp_path / "content").mkdir(exist_ok=True)
    values = {
        "DEFAULT_LANG": "en",
        "PATH": str(tmp_path / "content"),
        "OUTPUT_PATH": str(tmp_path / "output"),
        "CACHE_PATH": str(tmp_path / "cache"),
        "ARXIV_ARCHIVE_PATH": str(tmp_path / "data"),
    }
    values.update(overrides)
    return load_settings(ROOT / "pelicanconf.py", values)


def build_demo_site(tmp_path: Path) -> Path:
    """The demo site: the repository's own ``content/`` and ``data/``, built into
    ``tmp_path`` (nothing is written beside them). Session-wide, through the
    ``demo_site`` fixture: it takes a while (~930 papers)."""
    settings = load_settings(
        ROOT / "pelicanconf.py",
        {
            "PATH": str(ROOT / "content"),
            "ARXIV_ARCHIVE_PATH": str(ROOT / "data"),
            "OUTPUT_PATH": str(tmp_path / "output"),
            "CACHE_PATH": str(tmp_path / "cache"),
            # lunr.py's whole index, beside the output, for the ranking tests.
            "SEARCH_DUMP_INDEX": str(tmp_path / "whole-index.json"),
        },
    )
    return build(settings)


def fetch(settings: dict, *sources, date=None) -> tuple[int, str]:
    out = io.StringIO()
    status = run_fetch(settings["PAPERSHELF_VALIDATED"], [str(s) for s in sources], date, out=out)
    return status, out.getvalue()


def build(settings: dict) -> Path:
    run_pelican(settings)
    return Path(settings["OUTPUT_PATH"])


def page(output: Path, path: str) -> BeautifulSoup:
    return BeautifulSoup((output / path).read_text(encoding="utf-8"), "html.parser")


def tree_bytes(root: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*")) if p.is_file()
    }


def default_sigint() -> None:
    """A child's ``preexec_fn`` for the tests that interrupt it: Ctrl+C's default
    handling, which a child started from a background job would not have (its
    shell ignores SIGINT there, and Python then keeps it ignored)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)
