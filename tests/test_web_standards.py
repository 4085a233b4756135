"""Checked by the web's own tools, on the demo site (the repository's content/ and data/):
the Nu HTML checker (vnu-jar from npm, on Debian's Java) finds no error on any of its
pages, and Lighthouse (from npm, on Debian's Chromium, served with gzip from 127.0.0.1)
scores at least 0.95 for performance, accessibility, best practices and SEO on the
heaviest page of each kind."""

from __future__ import annotations

import json
import shutil
import statistics
import subprocess
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from bs4 import BeautifulSoup

from papershelf.devtools.bench_server import base_url as server_url
from papershelf.devtools.bench_server import counting_server
from papershelf.devtools.chromium import CHROMIUM_ARGS

from .browser import CHROMIUM, requires_chromium
from .sites import ROOT

JAVA = shutil.which("java")
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
requires_vnu = pytest.mark.skipif(
    not JAVA or not VNU.is_file(),
    reason="java or node_modules/vnu-jar is missing (make test installs both)",
)
requires_lighthouse = pytest.mark.skipif(
    not shutil.which("node") or not LIGHTHOUSE.is_file(),
    reason="node or node_modules/lighthouse is missing (make test installs them)",
)

# An element vnu must report, so a run that checked nothing cannot pass.
CANARY = '<!DOCTYPE html><html lang="en"><title>canary</title><img src="a.png">'  # no alt


def html_pages(output: Path) -> list[Path]:
    return sorted(output.rglob("*.html"))


def _where(message: dict, output: Path) -> str:
    path = Path(unquote(urlsplit(message.get("url", "")).path))
    if path.is_relative_to(output):
        path = path.relative_to(output)
    return f"{path}:{message.get('lastLine', '?')}:{message.get('firstColumn', '?')}"


@requires_vnu
def test_the_nu_html_checker_finds_no_error_on_any_page(demo_site, tmp_path):
    canary = tmp_path / "canary.html"
    canary.write_text(CANARY, encoding="utf-8")
    pages = html_pages(demo_site)
    assert len(pages) > 2000  # every paper, listing and index page of ~930 papers
    result = subprocess.run(
        [JAVA, "-jar", str(VNU), "--format", "json", "--errors-only", "--skip-non-html"]
        + [str(demo_site), str(canary)],
        capture_output=True,
        text=True,
        timeout=900,
    )
    messages = json.loads(result.stderr)["messages"]  # vnu reports on stderr
    canary_url = canary.as_uri().replace("file:///", "file:/")
    assert any(m.get("url") == canary_url for m in messages), result.stderr[:2000]
    errors = [
        f"{_where(m, demo_site)}: {m['type']}: {m.get('message', '')}"
        f"\n    {m.get('extract', '').strip()[:200]}"
        for m in messages
        if m.get("url") != canary_url
    ]
    assert not errors, f"{len(errors)} error(s) in {len(pages)} pages:\n" + "\n".join(errors)


# One page of each kind: the heaviest (most bytes of HTML) among the pages of that kind,
# which is the hardest for performance. name: (glob under the output, a query string).
def _is_note(path: Path) -> bool:
    return '<section class="note"' in path.read_text(encoding="utf-8")


def _has_arxiv_id(path: Path) -> bool:
    return "<dt>arXiv</dt>" in path.read_text(encoding="utf-8")


KINDS = {
    "home": ("index.html", None),
    "digest": ("digest/*/index.html", None),
    "digests index": ("digest/index.html", None),
    "paper with a note": ("papers/*/index.html", lambda p: _is_note(p) and _has_arxiv_id(p)),
    "note-only paper": ("papers/*/index.html", lambda p: _is_note(p) and not _has_arxiv_id(p)),
    "paper from a feed": ("papers/[0-9]*/index.html", lambda p: not _is_note(p)),
    "paper from an import": ("papers/pe-*/index.html", None),
    "tag": ("tags/*/index.html", None),
    "tag, best first": ("tags/*/top/index.html", None),
    "tags index": ("tags/index.html", None),
    "category": ("categories/*/index.html", None),
    "categories index": ("categories/index.html", None),
    "topic": ("topics/*/index.html", None),
    "topics index": ("topics/index.html", None),
    "month": ("archive/*/index.html", None),
    "months index": ("archive/index.html", None),
    "best of a week": ("top/week/*/index.html", None),
    "best of a month": ("top/month/*/index.html", None),
    "best of index": ("top/index.html", None),
    "stats": ("stats/index.html", None),
    "search": ("search/index.html", None),
    "about": ("about/index.html", None),
    "not found": ("404.html", None),
}
SEARCH_QUERY = "?q=moe"  # results rendered, with their tag chips
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
MIN_SCORE = 0.95
# The search and 404 pages are noindex on purpose: SEO is scored without the
# crawlability audit.
NOINDEX = {"search": "is-crawlable", "not found": "is-crawlable"}
# Lighthouse's desktop profile: the mobile one (a CPU slowed 4x) on a 2-core machine
# shared with the rest of the suite swung 50-card listings between 0.74 and 1.00. Every
# kind of page, the search page with its results included (its CLS: 0.02), is scored on it.
PRESETS: dict[str, str] = {}
# Performance is timed on a CPU other processes share; a page scoring under the bar is
# measured twice more and judged by the median of its three runs, as Lighthouse's
# documentation advises for variance. The other categories do not vary.
RUNS_WHEN_LOW = 3


def page_of_kind(output: Path, kind: str) -> Path | None:
    pattern, keep = KINDS[kind]
    pages = [p for p in sorted(output.glob(pattern)) if keep is None or keep(p)]
    if not pages:
        return None
    return max(pages, key=lambda p: (p.stat().st_size, str(p)))


@pytest.fixture(scope="module")
def demo_url(demo_site):
    """The demo site served as a static host serves it: gzip, keep-alive."""
    with counting_server(demo_site) as server:
        yield server_url(server)


def other_hosts_urls(path: Path) -> list[str]:
    """What the page would load from other hosts (a note's images): blocked, so that the
    test stays offline and no score depends on another site being up."""
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    urls = {img["src"].strip() for img in soup.find_all("img", src=True)}
    return sorted(url for url in urls if urlsplit(url).scheme in ("http", "https"))


def run_lighthouse(url: str, report: Path, blocked: list[str], preset: str = "desktop") -> dict:
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    command = [
        str(LIGHTHOUSE),
        url,
        f"--chrome-path={CHROMIUM}",
        f"--chrome-flags={flags}",
        "--only-categories=" + ",".join(CATEGORIES),
        *([f"--preset={preset}"] if preset != "mobile" else []),
        "--output=json",
        f"--output-path={report}",
        "--quiet",
    ]
    # Lighthouse does not count these as console errors (net::ERR_BLOCKED_BY_CLIENT.Inspector).
    command += [f"--blocked-url-patterns={blocked_url}" for blocked_url in blocked]
    result = subprocess.run(command, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(report.read_text(encoding="utf-8"))


def category_score(result: dict, category: str, leave_out: str | None = None) -> float:
    """The category's score as Lighthouse weighs it, without ``leave_out``'s audit."""
    if leave_out is None:
        return result["categories"][category]["score"]
    weighted = [
        (ref["weight"], result["audits"][ref["id"]]["score"])
        for ref in result["categories"][category]["auditRefs"]
        if ref["id"] != leave_out and ref["weight"] > 0
    ]
    weighted = [(weight, score) for weight, score in weighted if score is not None]
    return round(sum(w * s for w, s in weighted) / sum(w for w, _ in weighted), 2)


def failing_audits(result: dict, category: str) -> list[str]:
    lines = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if ref["weight"] > 0 and audit["score"] is not None and audit["score"] < 1:
            shown = audit.get("displayValue", "")
            lines.append(f"    {ref['id']}: {audit['score']} {shown} ({audit['title']})")
    return lines


@requires_chromium
@requires_lighthouse
@pytest.mark.parametrize("kind", list(KINDS))
def test_lighthouse_scores_each_kind_of_page_at_least_0_95(demo_site, demo_url, kind, tmp_path):
    path = page_of_kind(demo_site, kind)
    if path is None:
        assert kind == "not found", f"the demo site has no {kind} page"
        pytest.skip("the site has no 404.html yet")
    relative = path.relative_to(demo_site).as_posix().removesuffix("index.html")
    relative += SEARCH_QUERY if kind == "search" else ""
    url = demo_url + relative
    blocked = other_hosts_urls(path)
    preset = PRESETS.get(kind, "desktop")
    results = [run_lighthouse(url, tmp_path / "report-1.json", blocked, preset)]
    scores = {
        c: category_score(results[0], c, NOINDEX.get(kind) if c == "seo" else None)
        for c in CATEGORIES
    }
    if scores["performance"] < MIN_SCORE:
        for run in range(2, RUNS_WHEN_LOW + 1):
            results.append(run_lighthouse(url, tmp_path / f"report-{run}.json", blocked, preset))
        performance = [r["categories"]["performance"]["score"] for r in results]
        scores["performance"] = statistics.median(performance)
    print(f"{kind} ({relative}): " + ", ".join(f"{c} {s:.2f}" for c, s in scores.items()))
    low = [c for c, s in scores.items() if s < MIN_SCORE]
    details = [f"{kind}: {url}: {scores}"]
    for category in low:
        details.append(f"  {category}:")
        details += failing_audits(results[-1], category)
    assert not low, "\n".join(details)
