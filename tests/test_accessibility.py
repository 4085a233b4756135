"""Accessibility: axe-core (from npm) run in Debian's Chromium finds no serious or
critical violation of the WCAG 2 A/AA and best-practice rules on each kind of page,
in the light and in the dark colour scheme (colour contrast is checked in both)."""

from __future__ import annotations

import json
import shutil

import pytest

from .browser import chromium_browser, requires_chromium, serve
from .search_helpers import build_search_site
from .sites import FEEDS, ROOT

AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
requires_axe = pytest.mark.skipif(
    not AXE.is_file(), reason="node_modules/axe-core is missing (make setup runs npm ci)"
)
NOTE = FEEDS.parent / "notes" / "complete-note.md"  # a curator's note on 2512.00001
QUERY = "moe"  # results with tag chips, on the search page and in the header box
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")
NODES_SHOWN = 8


def _search_page(page) -> None:
    from playwright.sync_api import expect

    page.wait_for_selector("#search-page-results li")
    expect(page.locator("#search-page-status")).not_to_be_empty()
    page.wait_for_selector("#search-facets button.facet")  # the counts beside the results


def _header_search(page) -> None:
    from playwright.sync_api import expect

    page.click("#site-search-q")
    page.keyboard.type(QUERY)
    page.wait_for_selector("#site-search-results li")
    expect(page.locator("#site-search-panel .search-status")).not_to_be_empty()
    page.keyboard.press("ArrowDown")  # the first result highlighted, as a reader sees it


SAVED_LIST = {  # two papers on the site (one read, with a note) and one no longer on it
    "version": 1,
    "papers": {
        "2512.00001": {
            "url": "papers/2512.00001/",
            "title": "",
            "saved": "2025-12-10T08:00:00Z",
            "read": True,
            "note": "Section 3 first",
        },
        "2512.00004": {
            "url": "papers/2512.00004/",
            "title": "",
            "saved": "2025-12-11T08:00:00Z",
            "read": False,
            "note": "",
        },
        "2401.99999": {
            "url": "papers/2401.99999/",
            "title": "Gone",
            "saved": "2025-12-12T08:00:00Z",
            "read": False,
            "note": "",
        },
    },
}


def _saved_page(page) -> None:
    from playwright.sync_api import expect

    page.evaluate(
        "list => localStorage.setItem('papershelf-saved:/', JSON.stringify(list))", SAVED_LIST
    )
    page.reload()
    expect(page.locator("#saved-list > li")).to_have_count(3)
    expect(page.locator("#saved-list .badge-muted")).to_have_text("no longer on this site")
    expect(page.locator("#saved-list > li").nth(1).locator(".card-summary")).to_be_visible()


# name: (path, what to do once the page has loaded)
PAGES = {
    "home": ("", None),
    "digest": ("digest/2025-12-10/", None),
    "paper-with-note": ("papers/2512.00001/", None),
    "paper-from-feed": ("papers/2512.00004/", None),
    "tag": ("tags/moe/", None),
    "tag-index": ("tags/", None),
    "search-page": ("search/?q=" + QUERY, _search_page),
    "header-search": ("", _header_search),
    "stats": ("stats/", None),
    "top-index": ("top/", None),
    "top-week": ("top/week/2025-W50/", None),
    "saved": ("saved/", _saved_page),
}
SCHEMES = ("light", "dark")


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("accessibility-site")
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    shutil.copy(NOTE, notes / NOTE.name)
    output, _ = build_search_site(tmp_path)
    with serve(output) as url:
        yield url


@pytest.fixture(scope="module")
def browser_page(base_url):
    """One page for the whole module (each test navigates it), and its script errors."""
    with chromium_browser() as browser:
        # bypass_csp: the site's Content-Security-Policy would refuse the injected axe.min.js.
        context = browser.new_context(bypass_csp=True)
        # Nothing leaves 127.0.0.1 (the curator's note has a figure on example.org).
        context.route(
            "**/*",
            lambda route: (
                route.continue_() if route.request.url.startswith(base_url) else route.abort()
            ),
        )
        page = context.new_page()
        errors = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        yield page, errors


def _describe(where: str, violations: list[dict]) -> str:
    lines = [f"{where}: {len(violations)} serious or critical axe-core violation(s)"]
    for violation in violations:
        lines.append(
            f"- {violation['id']} [{violation['impact']}]: {violation['help']}"
            f" ({violation['helpUrl']})"
        )
        nodes = violation["nodes"]
        for node in nodes[:NODES_SHOWN]:
            target = " ".join(t if isinstance(t, str) else json.dumps(t) for t in node["target"])
            lines.append(f"    {target}")
            lines.append(f"      {node['html'][:300]}")
            summary = node.get("failureSummary") or ""
            lines.extend(f"      {line.strip()}" for line in summary.splitlines())
        if len(nodes) > NODES_SHOWN:
            lines.append(f"    ... and {len(nodes) - NODES_SHOWN} more element(s)")
    return "\n".join(lines)


@requires_chromium
@requires_axe
@pytest.mark.parametrize(
    ("name", "scheme"),
    [pytest.param(name, scheme, id=f"{name}-{scheme}") for name in PAGES for scheme in SCHEMES],
)
def test_axe_finds_no_serious_or_critical_violation(base_url, browser_page, name, scheme):
    path, prepare = PAGES[name]
    page, errors = browser_page
    errors.clear()
    page.emulate_media(color_scheme=scheme)
    page.goto(base_url + path)
    if prepare:
        prepare(page)
    page.add_script_tag(path=str(AXE))
    results = page.evaluate("options => axe.run(document, options)", AXE_OPTIONS)
    assert not errors, errors
    blocking = [v for v in results["violations"] if v["impact"] in BLOCKING]
    assert not blocking, _describe(f"{name} ({scheme}) {base_url}{path}", blocking)
