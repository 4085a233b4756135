"""Hostile input: XSS payloads in notes (body and every header), feed titles,
authors and abstracts, tag names and imported text. Chromium loads every page
they reach and the search results for them, with the CSP switched off so that
escaping and sanitising alone are tested: no script runs, no dialog opens, and
no dangerous markup reaches the DOM. Also: names that try to leave output/."""

import hashlib
import json
import re
import shutil
import warnings
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from bs4 import BeautifulSoup, MarkupResemblesLocatorWarning

from papershelf.archive import Archive
from papershelf.model import Paper
from papershelf.site.build import BuildError

from .browser import chromium_context, requires_chromium, serve
from .feedgen import arxiv_feed
from .search_helpers import requires_node
from .sites import build, fetch, site_settings

PAYLOADS = (
    (Path(__file__).parent / "fixtures" / "hostile" / "payloads.txt")
    .read_text(encoding="utf-8")
    .splitlines()
)
TRAVERSAL = "../../escaped"

# Run in the page: what should never be in the DOM of a page built from untrusted text.
DOM_CHECK = """() => {
  const found = [];
  let dataBlocks = 0;
  const urlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];
  for (const element of document.querySelectorAll("*")) {
    const tag = element.tagName.toLowerCase();
    for (const attribute of element.attributes) {
      const name = attribute.name.toLowerCase();
      const value = attribute.value.replace(/[\\u0000-\\u0020]/g, "").toLowerCase();
      if (name.startsWith("on")) found.push(`${tag} ${name}`);
      if (name === "style") found.push(`${tag} style`);
      if (urlAttributes.includes(name) && /^(javascript|vbscript|data:text)/.test(value)) {
        found.push(`${tag} ${name}=${attribute.value}`);
      }
    }
    if (["iframe", "object", "embed", "base", "frame", "style"].includes(tag)) found.push(tag);
    // A JSON-LD data block is never executed; a title breaking out of it would make
    // a script of another type (or a second block), which is still found.
    const dataBlock = tag === "script" && element.type === "application/ld+json";
    if (dataBlock) dataBlocks += 1;
    const sameOrigin = element.src && element.src.startsWith(location.origin);
    if (tag === "script" && !dataBlock && !sameOrigin) {
      found.push("script without a same-origin src");
    }
    if (tag === "meta" && (element.httpEquiv || "").toLowerCase() === "refresh") {
      found.push("meta refresh");
    }
  }
  if (dataBlocks > 1) found.push(`${dataBlocks} JSON-LD blocks`);
  return found;
}"""


def note_text(number: int, payload: str) -> str:
    one_line = payload.replace("\n", " ")
    return (
        f"Title: Hostile note {number} {one_line}\n"
        f"Date: 2025-12-{1 + number % 28:02d}\n"
        f"Tags: Hostile, {one_line.replace(',', ' ')}\n"
        f"Summary: {one_line}\n"
        f"Aliases: {one_line}\n"
        f"Venue: {one_line}\n"
        f"Affiliations: {one_line}\n\n"
        f"{payload}\n\nIn a paragraph: **{payload}** and `{payload}`.\n\n- {payload}\n"
    )


def imported_paper(number: int, payloads: list[str]) -> Paper:
    text = " ".join(payloads)
    local_id = "pe-" + hashlib.sha256(f"hostile{number}".encode()).hexdigest()[:10]
    return Paper(
        arxiv_id=local_id,
        title=f"Imported {number} {payloads[0]}",
        abstract=text,
        announced="",
        extra={
            "imported": "2025-12-20",
            "imports": [{"source": payloads[-1], "date": "2025-12-20", "file": "x.txt"}],
            "tags": payloads[:3],
            "topic": payloads[1],
            "structured_summary": {"problem": text, "method": payloads[2], "source": "x"},
            "ai_summary": {"text": "\n\n".join(payloads), "model": payloads[3], "source": "x"},
        },
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("hostile")
    settings = site_settings(tmp_path, ARXIV_KEYWORDS={"LLM": 1.0}, PAPERSHELF_JSON_LD=True)
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    for number, payload in enumerate(PAYLOADS):
        (notes / f"hostile-{number:02d}.md").write_text(note_text(number, payload), "utf-8")
    entries = [
        {
            "arxiv_id": f"2512.{90000 + number}",
            "title": f"LLM {payload}",
            "authors": f"{payload}, Ada Lovelace",
            "abstract": f"LLM study. {payload}",
            "categories": ["cs.CL", TRAVERSAL, "<script>x</script>"],
        }
        for number, payload in enumerate(PAYLOADS)
    ]
    feed = tmp_path / "hostile.rss.xml"
    feed.write_bytes(arxiv_feed(entries))
    status, out = fetch(settings, feed)
    assert status == 0, out
    chunks = [PAYLOADS[start : start + 6] for start in range(0, len(PAYLOADS), 6)]
    Archive(tmp_path / "data").save(
        imported_paper(number, chunk) for number, chunk in enumerate(chunks) if len(chunk) >= 4
    )
    output = build(settings)
    return tmp_path, output


def test_nothing_is_written_outside_the_output(site):
    root, output = site
    assert not (root / "escaped").exists() and not (root.parent / "escaped").exists()
    assert not list(root.rglob("*escaped*"))
    # The feed's bogus categories were dropped, not turned into pages.
    assert sorted(p.name for p in (output / "categories").iterdir() if p.is_dir()) == ["cs.CL"]


def html_problems(html: str) -> list[str]:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", MarkupResemblesLocatorWarning)  # a bare URL is fine
        soup = BeautifulSoup(html, "html.parser")
    problems = []
    for element in soup.find_all(True):
        for name, value in element.attrs.items():
            flat = "".join(str(value).split()).lower()
            if name.lower().startswith("on"):
                problems.append(f"<{element.name} {name}>")
            if name in ("href", "src", "action") and flat.startswith(("javascript:", "data:text")):
                problems.append(f"<{element.name} {name}={value}>")
        if element.name in ("script", "iframe", "object", "embed", "base", "style"):
            problems.append(f"<{element.name}>")
    return problems


def test_feeds_carry_no_active_markup(site):
    _, output = site
    atom = "{http://www.w3.org/2005/Atom}"
    feeds = sorted(output.rglob("*.atom.xml"))
    assert feeds
    summaries = ElementTree.parse(output / "feeds/all.atom.xml").iter(f"{atom}summary")
    assert all(summary.get("type") == "html" for summary in summaries)
    for path in feeds:
        for element in ElementTree.parse(path).iter():
            # Text constructs of type "html" are markup to a feed reader; "text" is not.
            html = element.get("type") == "html"
            if html and element.tag in (f"{atom}summary", f"{atom}content", f"{atom}title"):
                problems = html_problems(element.text or "")
                assert not problems, (path.relative_to(output), problems)


def test_json_ld_blocks_hold_json_and_nothing_that_closes_them(site):
    _, output = site
    pages = sorted((output / "papers").glob("*/index.html"))
    assert len(pages) > len(PAYLOADS) * 2
    for path in pages:
        html = path.read_text(encoding="utf-8")
        blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html, re.S)
        # + site.js (i18n.js, theme.js, saved.js, search-ui.js, cite.js)
        assert len(blocks) == 1 and html.count("<script") == 2, path
        assert not set(blocks[0]) & {"<", ">", "&"}, path
        assert json.loads(blocks[0])["@type"] == "ScholarlyArticle"


def pages_to_visit(output: Path) -> list[str]:
    papers = sorted(p.parent for p in (output / "papers").glob("*/index.html"))
    listings = ["", "tags/", "tags/hostile/", "digest/", "topics/", "archive/"]
    listings += [
        str(p.parent.relative_to(output)) + "/" for p in output.glob("topics/*/index.html")
    ]
    return listings + [str(p.relative_to(output)) + "/" for p in papers]


@requires_chromium
@requires_node
def test_no_script_runs_on_any_page_or_search_result(site):
    _, output = site
    dialogs, findings = [], {}
    with serve(output) as base, chromium_context(bypass_csp=True) as context:
        browser = context.new_page()
        browser.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
        pages = pages_to_visit(output)
        assert len(pages) > len(PAYLOADS) * 2
        for path in pages:
            browser.goto(base + path)
            found = browser.evaluate(DOM_CHECK)
            if found:
                findings[path] = found
        for query in ("alert", "script", "onerror", "hostile"):
            browser.goto(base + "search/?q=" + query)
            browser.wait_for_selector("#search-page-results li")
            found = browser.evaluate(DOM_CHECK)
            if found:
                findings[f"search {query}"] = found
        browser.goto(base)
        browser.click("#site-search-q")
        browser.keyboard.type("javascript")
        browser.wait_for_selector("#site-search-results li")
        browser.wait_for_timeout(200)
        if found := browser.evaluate(DOM_CHECK):
            findings["header search"] = found
    assert not dialogs, dialogs
    assert not findings, findings


def test_template_syntax_is_shown_as_text(site):
    _, output = site
    number = next(i for i, p in enumerate(PAYLOADS) if p.startswith("{{"))
    html = (output / f"papers/hostile-{number:02d}/index.html").read_text(encoding="utf-8")
    # Jinja never sees note text: an evaluated loop would have lost its tags.
    assert "{{ 7 * 7 }} {% for x in [1] %}template-loop{% endfor %}" in html


@pytest.mark.parametrize("slug", [TRAVERSAL, "/escaped", ".escaped", "a/../../escaped"])
def test_unsafe_note_slug_is_a_clear_problem(tmp_path, slug, caplog):
    settings = site_settings(tmp_path)
    notes = tmp_path / "content" / "notes"
    notes.mkdir()
    (notes / "escape.md").write_text(
        f"Title: Escape\nDate: 2025-12-01\nSlug: {slug}\n\nBody.\n", encoding="utf-8"
    )
    with pytest.raises(BuildError):
        build(settings)
    assert f"escape.md:3: slug '{slug}' is not a safe page name" in caplog.text
    assert not list(tmp_path.parent.rglob("escaped*"))
    assert not Path("/escaped").exists()
    shutil.rmtree(tmp_path / "content")
