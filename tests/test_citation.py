"""Citing a paper: BibTeX entries, Highwire meta tags, COinS on listings, the copy
button and the .bib download.

Every entry is read back by a real BibTeX parser (bibtexparser 2, whose LaTeX
decoder is pylatexenc): the entry must parse, and its title, authors and eprint
decode to the record's. pylatexenc lacks a few of the LaTeX kernel's text commands
the entries use for characters BibTeX cannot take raw (``\\textbraceleft`` and
friends: a raw or ``\\{``-escaped brace counts in BibTeX's brace balance); the
decoder is given them, as LaTeX defines them.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qs

import bibtexparser
import pytest
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from papershelf.archive import Archive
from papershelf.model import Announcement, Paper
from papershelf.site.citation import ascii_words, tex_escape

from .browser import chromium_context, requires_chromium, serve
from .sites import ROOT, build, page, site_settings

KERNEL_TEXT_COMMANDS = {
    "textbraceleft": "{",
    "textbraceright": "}",
    "textless": "<",
    "textgreater": ">",
    "textasciicircum": "^",
}
HOSTILE_TITLE = (
    'All & % $ # _ { } ~ ^ \\ specials <script>alert("t")</script> "quoted" \'single\''
    " {unbalanced braces} }{ -- ``TeX'' ligatures !` 混合专家 🚀🤖"
    " and a\nnewline, ending in a backslash \\"
)
HOSTILE_AUTHORS = [
    "Zoë O'Brien-Ñúñez",
    "<script>alert(1)</script> {Brace",
    "Smith and Jones",
    "Last, First",
    "李雷 🚀",
    "Ends With \\",
]


def decoder() -> LatexNodes2Text:
    context = get_default_latex_context_db()
    macros = [MacroTextSpec(name, text) for name, text in KERNEL_TEXT_COMMANDS.items()]
    context.add_context_category("latex-kernel-text", prepend=True, macros=macros)
    return LatexNodes2Text(latex_context=context)


DECODER = decoder()


def parse_entry(text: str):
    """(raw entry, decoded entry) of a one-entry BibTeX text: raw for the
    verbatim fields (url, doi), decoded for the rest."""
    raw = bibtexparser.parse_string(text, append_middleware=[SeparateCoAuthors()])
    assert not raw.failed_blocks, text
    assert len(raw.entries) == 1, text
    decoded = bibtexparser.parse_string(
        text, append_middleware=[SeparateCoAuthors(), LatexDecodingMiddleware(decoder=DECODER)]
    )
    return raw.entries[0], decoded.entries[0]


def decoded_authors(entry) -> list[str]:
    return [DECODER.latex_to_text(name) for name in entry["author"]]


def one_line(text: str) -> str:
    return " ".join(text.split())


def bibtex_of(soup) -> str:
    return soup.select_one("section.cite pre.bibtex code").get_text()


def meta(soup, name: str) -> list[str]:
    return [tag["content"] for tag in soup.select(f'head meta[name="{name}"]')]


def test_tex_escape_leaves_no_raw_special_and_keys_are_ascii():
    escaped = tex_escape("a&b%c$d#e_f{g}h~i^j\\k\nl")
    assert escaped == (
        r"a\&b\%c\$d\#e\_f\textbraceleft{}g\textbraceright{}h\textasciitilde{}i"
        r"\textasciicircum{}j\textbackslash{}k l"
    )
    assert ascii_words("Zoë Ñúñez Few-Shot 混合 Łukasz") == ["zoe", "nunez", "fewshot", "lukasz"]


def test_every_entry_of_the_demo_site_round_trips(demo_site: Path):
    archive = Archive(ROOT / "data").load()
    pages = sorted((demo_site / "papers").glob("*/index.html"))
    assert len(pages) > 900
    keys_seen = redirects = 0
    for path in pages:
        soup = page(demo_site, str(path.relative_to(demo_site)))
        if soup.select_one('meta[http-equiv="refresh"]'):
            redirects += 1  # a merged-away id (papershelf dedupe): no entry of its own
            continue
        text = bibtex_of(soup)
        raw, entry = parse_entry(text)
        slug = path.parent.name
        record = archive.get(slug)
        assert entry.entry_type == "misc", slug
        assert entry.key.isascii() and entry.key == entry.key.lower() and entry.key
        keys_seen += 1
        title = record.title if record else soup.h1.get_text()
        assert entry["title"] == one_line(title), slug
        authors = record.authors if record and record.authors else None
        if authors:
            assert decoded_authors(raw) == [one_line(name) for name in authors], slug
            assert meta(soup, "citation_author") == [one_line(name) for name in authors]
        assert meta(soup, "citation_title") == [one_line(title)]
        # The announcement day, else the year known: never an import or note day.
        dates = meta(soup, "citation_publication_date")
        if record and record.announced:
            assert dates == [record.announced.replace("-", "/")], slug
        else:
            assert dates in ([], [raw["year"]] if "year" in raw.fields_dict else []), slug
        if record and record.is_arxiv:
            assert raw["eprint"] == record.arxiv_id
            assert raw["archivePrefix"] == "arXiv"
            assert raw["url"] == f"https://arxiv.org/abs/{record.arxiv_id}"
            assert entry.key.startswith("".join(ascii_words(record.authors[0].split()[-1])))
            assert meta(soup, "citation_arxiv_id") == [record.arxiv_id]
            if record.primary_category:
                assert raw["primaryClass"] == record.primary_category
        elif record:
            assert "eprint" not in raw.fields_dict, slug
            assert meta(soup, "citation_arxiv_id") == []
        assert meta(soup, "citation_keywords") == []  # the site's tags, not the paper's
    assert keys_seen == len(pages) - redirects and keys_seen > 900


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("cite")
    settings = site_settings(tmp_path, SITEURL="https://papers.example.org")
    day = "2025-12-09"
    papers = [
        Paper(
            arxiv_id="2512.00001",
            title=HOSTILE_TITLE,
            authors=HOSTILE_AUTHORS,
            abstract="A hostile record.",
            primary_category="cs.CL",
            categories=["cs.CL"],
            announced=day,
            announcements=[Announcement(day, "new", 2)],
            version=2,
            score=3.0,
            doi="10.1000/x_y{z}%20",
            journal_ref="J. Hostile & Co. 5 (2025) 1--10",
            extra={"tags": ["Tag & <b>", "混合专家"]},
        ),
        Paper(
            arxiv_id="pe-0123456789",
            title="Örtliche Modelle für 长上下文",
            abstract="Imported.",
            extra={"imported": "2025-12-20", "imports": [{"source": "paper-explorer"}]},
        ),
    ]
    Archive(tmp_path / "data").save(papers)
    return build(settings)


def test_a_hostile_record_parses_and_decodes_back(hostile_site: Path):
    soup = page(hostile_site, "papers/2512.00001/index.html")
    text = bibtex_of(soup)
    raw, entry = parse_entry(text)
    assert entry.key == "obriennunez2025specialsscriptalerttscript"
    assert entry["title"] == one_line(HOSTILE_TITLE)
    assert decoded_authors(raw) == HOSTILE_AUTHORS
    assert raw["eprint"] == "2512.00001" and raw["year"] == "2025"
    assert raw["doi"] == "10.1000/x_y%7Bz%7D%20"  # verbatim: percent-encoded, not escaped
    assert entry["note"] == "J. Hostile & Co. 5 (2025) 1--10"
    # No raw brace or special outside the field delimiters.
    for line in text.splitlines()[1:-1]:
        value = line.split("={", 1)[1].removesuffix("},")
        assert value.count("{") == value.count("}"), line
    # The download is named after the entry's key; cite.js makes it from the entry.
    assert not soup.select("a.cite-download")
    assert meta(soup, "citation_title") == [one_line(HOSTILE_TITLE)]
    assert meta(soup, "citation_author") == HOSTILE_AUTHORS
    assert meta(soup, "citation_publication_date") == ["2025/12/09"]
    assert meta(soup, "citation_online_date") == []  # the same day, said once
    assert meta(soup, "citation_technical_report_number") == ["arXiv:2512.00001"]
    assert meta(soup, "citation_pdf_url") == ["https://arxiv.org/pdf/2512.00001v2"]
    assert meta(soup, "citation_doi") == ["10.1000/x_y{z}%20"]
    assert meta(soup, "citation_keywords") == []
    assert meta(soup, "citation_language") == ["en"]
    html = (hostile_site / "papers/2512.00001/index.html").read_text("utf-8")
    assert "<script>alert" not in html and "<b>" not in html


def test_a_paper_without_arxiv_id_is_a_misc_of_what_is_known(hostile_site: Path):
    soup = page(hostile_site, "papers/pe-0123456789/index.html")
    raw, entry = parse_entry(bibtex_of(soup))
    assert entry.key == "ortlichemodellefur"
    assert entry["title"] == "Örtliche Modelle für 长上下文"
    assert "author" not in raw.fields_dict and "eprint" not in raw.fields_dict
    assert raw["url"] == "https://papers.example.org/papers/pe-0123456789/"
    assert entry["note"] == "Local id pe-0123456789"
    assert meta(soup, "citation_arxiv_id") == []
    assert meta(soup, "citation_abstract_html_url") == [raw["url"]]


NOTE = """Title: Ümlaut Routing for Sparse Experts
Date: 2025-11-26
Authors: Jürgen Groß, Ada Lovelace
Tags: MoE
Venue: ICLR2026 (oral)
Links: https://openreview.net/forum?id=a_b{c}
    https://example.org/slides.pdf
Lang: zh

笔记正文。
"""


def test_a_note_without_arxiv_id_cites_its_venue_year_and_link(tmp_path: Path):
    settings = site_settings(tmp_path)
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    (notes / "umlaut-routing.md").write_text(NOTE, "utf-8")
    output = build(settings)
    soup = page(output, "papers/umlaut-routing/index.html")
    raw, entry = parse_entry(bibtex_of(soup))
    assert entry.key == "gross2026umlautroutingsparse"
    assert entry["title"] == "Ümlaut Routing for Sparse Experts"
    assert decoded_authors(raw) == ["Jürgen Groß", "Ada Lovelace"]
    assert raw["year"] == "2026" and entry["note"] == "ICLR2026 (oral)"
    assert raw["url"] == "https://openreview.net/forum?id=a_b%7Bc%7D"
    assert "eprint" not in raw.fields_dict
    assert meta(soup, "citation_author") == ["Jürgen Groß", "Ada Lovelace"]
    assert meta(soup, "citation_publication_date") == ["2026"]  # the venue's, not the note's day


def test_listings_carry_coins_per_paper(hostile_site: Path):
    soup = page(hostile_site, "digest/2025-12-09/index.html")
    spans = soup.select("span.Z3988")
    assert len(spans) == len(soup.select("article.card")) == 1
    fields = parse_qs(spans[0]["title"], keep_blank_values=True)
    assert fields["ctx_ver"] == ["Z39.88-2004"]
    assert fields["rft_val_fmt"] == ["info:ofi/fmt:kev:mtx:journal"]
    assert fields["rft.genre"] == ["preprint"]
    assert fields["rft.atitle"] == [one_line(HOSTILE_TITLE)]
    assert fields["rft.au"] == HOSTILE_AUTHORS
    assert fields["rft.date"] == ["2025-12-09"]
    assert fields["rft_id"] == [
        "info:arxiv/2512.00001",
        "https://arxiv.org/abs/2512.00001",
        "info:doi/10.1000/x_y{z}%20",
    ]
    raw = (hostile_site / "digest/2025-12-09/index.html").read_text("utf-8")
    title = raw.split('class="Z3988" translate="no" title="', 1)[1].split('"', 1)[0]
    assert " " not in title and "<" not in title and "&amp;" in title
    # A paper page has no COinS: Zotero would offer its related papers instead.
    assert not page(hostile_site, "papers/2512.00001/index.html").select("span.Z3988")


def test_many_authors_are_capped_in_coins(tmp_path: Path):
    settings = site_settings(tmp_path)
    authors = [f"Author Number{index}" for index in range(45)]
    day = "2025-12-09"
    paper = Paper(
        arxiv_id="2512.00002",
        title="Many authors",
        authors=authors,
        announced=day,
        announcements=[Announcement(day, "new", 1)],
    )
    Archive(tmp_path / "data").save([paper])
    output = build(settings)
    span = page(output, "digest/2025-12-09/index.html").select_one("span.Z3988")
    assert parse_qs(span["title"])["rft.au"] == authors[:20]
    raw, _ = parse_entry(bibtex_of(page(output, "papers/2512.00002/index.html")))
    assert len(raw["author"]) == 45


@requires_chromium
def test_copy_and_download_work_under_the_csp(hostile_site: Path):
    with serve(hostile_site) as base, chromium_context(accept_downloads=True) as context:
        context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base.rstrip("/"))
        browser = context.new_page()
        violations = []
        browser.on("console", lambda message: violations.append(message.text))
        browser.goto(base + "papers/2512.00001/")
        entry = browser.locator("pre.bibtex code").text_content()
        button = browser.locator("button.cite-copy")
        button.wait_for(state="visible")
        button.click()
        status = browser.locator(".cite-status")
        status.filter(has_text="Copied").wait_for()
        assert browser.evaluate("navigator.clipboard.readText()") == entry
        with browser.expect_download() as info:
            browser.click("a.cite-download")
        download = info.value
        assert download.suggested_filename == "obriennunez2025specialsscriptalerttscript.bib"
        assert Path(download.path()).read_text("utf-8") == entry
        assert not [text for text in violations if "Content Security Policy" in text]


@requires_chromium
def test_without_javascript_the_button_and_download_stay_hidden(hostile_site: Path):
    with serve(hostile_site) as base, chromium_context(java_script_enabled=False) as context:
        browser = context.new_page()
        browser.goto(base + "papers/2512.00001/")
        assert browser.locator("button.cite-copy").count() == 0  # made by cite.js
        assert browser.locator("pre.bibtex").is_visible()
        assert browser.locator("a.cite-download").count() == 0


def test_the_entry_is_part_of_the_catalogs():
    po = (ROOT / "theme/translations/zh/LC_MESSAGES/messages.po").read_text("utf-8")
    assert 'msgid "Cite"\nmsgstr "引用"' in po
    # cite.js's words are in the scripts' catalog, not written into every page.
    js = (ROOT / "theme/translations/zh/LC_MESSAGES/js.po").read_text("utf-8")
    for msgid, msgstr in [
        ("Copy BibTeX", "复制 BibTeX"),
        ("Copied", "已复制"),
        ("Download .bib", "下载 .bib"),
    ]:
        assert f'msgid "{msgid}"\nmsgstr "{msgstr}"' in js
