"""The reading list as a reader uses it: save toggles on cards, search results and paper
pages, the /saved/ page, export (BibTeX, JSON, a share link) and import, in Debian's
Chromium against a real build served on 127.0.0.1."""

from __future__ import annotations

import functools
import json
import re
import threading
import time
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from .browser import chromium_browser, requires_chromium, serve
from .search_helpers import build_search_site
from .sites import build, page


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    output, settings = build_search_site(tmp_path_factory.mktemp("reading-list"))
    return output, settings


# --- the build ---------------------------------------------------------------


def test_the_page_is_written_noindex_with_its_scripts_and_out_of_the_sitemap(site):
    output, _ = site
    soup = page(output, "saved/index.html")
    assert soup.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    sources = [script["src"] for script in soup.find_all("script", src=True)]
    assert any(src.endswith("/theme/js/site.js") for src in sources)  # saved.js in it
    assert [src.rsplit("/", 1)[1] for src in sources[-2:]] == ["saved-page.js", "saved-transfer.js"]
    assert "saved/" not in (output / "sitemap.xml").read_text(encoding="utf-8")
    assert "needs JavaScript" in soup.find("noscript").get_text()
    # Every page links to it from the header.
    home = page(output, "index.html")
    assert home.select_one("nav a[href$='saved/']").get_text() == "Reading list"


def test_every_card_has_a_hidden_save_toggle_and_a_paper_page_its_slot(site):
    output, _ = site
    cards = page(output, "index.html").select(".card")
    assert cards
    for card in cards:
        toggle = card.select_one("button.save")
        link = card.select_one(".card-title a")["href"]
        assert toggle.has_attr("hidden") and toggle["aria-pressed"] == "false"
        assert link.rstrip("/").endswith(toggle["data-paper"]), (link, toggle["data-paper"])
        assert toggle["data-url"] == f"papers/{toggle['data-paper']}/"
    # A paper page has the toggle's slot; saved.js makes the toggle from the page's
    # own address (tested in Chromium below).
    paper = page(output, "papers/2512.00001/index.html")
    slot = paper.select_one("article.paper p.paper-actions")
    assert slot is not None and not slot.contents


def test_no_page_and_no_toggles_when_turned_off(tmp_path):
    output, _ = build_search_site(tmp_path, SAVED_SAVE_AS="")
    assert not (output / "saved" / "index.html").exists()
    home = page(output, "index.html")
    assert not home.select("button.save") and not home.select_one("nav a[href$='saved/']")
    assert not [s for s in home.find_all("script", src=True) if "saved" in s["src"]]


# --- in Chromium ---------------------------------------------------------------


@pytest.fixture(scope="module")
def base_url(site):
    output, _ = site
    with serve(output) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium_browser() as running:
        yield running


@pytest.fixture
def context(browser):
    context = browser.new_context(accept_downloads=True)
    context.errors = []
    yield context
    context.close()
    assert not context.errors


def new_page(context):
    tab = context.new_page()
    tab.on("pageerror", lambda error: context.errors.append(str(error)))
    return tab


def stored(tab, base_url):
    return tab.evaluate(
        "key => JSON.parse(localStorage.getItem(key) || 'null')", "papershelf-saved:/"
    )


def saved_titles(tab):
    tab.locator("#saved-list > li").first.wait_for(state="attached")
    return tab.locator("#saved-list > li:not([hidden]) .card-title").all_inner_texts()


def prefill(context, state):
    context.add_init_script(
        "localStorage.getItem('papershelf-saved:/') === null && "
        f"localStorage.setItem('papershelf-saved:/', {json.dumps(json.dumps(state))});"
    )


@requires_chromium
def test_save_from_three_kinds_of_page_then_read_export_and_share(context, base_url, tmp_path):
    from playwright.sync_api import expect

    tab = new_page(context)
    # 1. A card on the home page.
    tab.goto(base_url)
    card = tab.locator(".card").first
    card_title = card.locator(".card-title").inner_text()
    toggle = card.locator("button.save")
    expect(toggle).to_be_visible()
    expect(toggle).to_have_attribute("aria-pressed", "false")
    toggle.click()
    expect(toggle).to_have_attribute("aria-pressed", "true")
    expect(toggle).to_have_text("Saved")
    # 2. A search result.
    tab.goto(base_url + "search/?q=" + "专家混合")
    result = tab.locator("#search-page-results li").filter(has_text="专家混合模型的路由策略研究")
    result.locator("button.save").click()
    expect(result.locator("button.save")).to_have_attribute("aria-pressed", "true")
    # 3. A paper page.
    tab.goto(base_url + "papers/2512.00004/")
    paper_title = tab.locator("h1").inner_text()
    tab.locator("article.paper button.save").click()
    expect(tab.locator("article.paper button.save")).to_have_attribute("aria-pressed", "true")
    # Reloaded, the state is still there.
    tab.reload()
    expect(tab.locator("article.paper button.save")).to_have_attribute("aria-pressed", "true")
    state = stored(tab, base_url)
    assert state["version"] == 1 and len(state["papers"]) == 3
    assert state["papers"]["chinese-moe-routing"]["url"] == "papers/chinese-moe-routing/"

    # The saved page: newest saved first, with what each paper's page says.
    tab.goto(base_url + "saved/")
    titles = saved_titles(tab)
    assert titles == [paper_title, "专家混合模型的路由策略研究", card_title]
    expect(tab.locator("#saved-count")).to_have_text("3 papers saved, 0 read")
    first = tab.locator("#saved-list > li").first
    day = re.compile(r"^\d{4}-\d\d-\d\d$")
    expect(first.locator(".card-meta time").first).to_have_attribute("datetime", day)
    expect(first.locator(".card-summary")).not_to_be_empty()

    # Mark one read; the filters show it (or not).
    first.get_by_role("button", name="Mark as read").click()
    expect(tab.locator("#saved-count")).to_have_text("3 papers saved, 1 read")
    tab.get_by_role("button", name="Unread", exact=True).click()
    assert saved_titles(tab) == ["专家混合模型的路由策略研究", card_title]
    tab.get_by_role("button", name="Read", exact=True).click()
    assert saved_titles(tab) == [paper_title]
    read_filter = tab.get_by_role("button", name="Read", exact=True)
    expect(read_filter).to_have_attribute("aria-pressed", "true")
    tab.get_by_role("button", name="All", exact=True).click()

    # A note per paper, kept in storage.
    note = tab.locator("#saved-list > li").nth(1).get_by_label("Your note")
    note.fill("读第三节 & <b>not bold</b>")
    note.blur()
    expect(tab.locator("#saved-live")).to_have_text("Note saved.")
    papers = stored(tab, base_url)["papers"]
    assert papers["chinese-moe-routing"]["note"] == "读第三节 & <b>not bold</b>"
    assert stored(tab, base_url)["papers"]["2512.00004"]["read"] is True

    # JSON export: the stored format, downloaded.
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download JSON").click()
    exported = json.loads(download.value.path().read_text(encoding="utf-8"))
    assert exported == stored(tab, base_url)

    # BibTeX export: one entry per paper, keys unique, and it parses.
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download BibTeX").click()
    assert download.value.suggested_filename == "reading-list.bib"
    library = parse_bibtex(download.value.path().read_text(encoding="utf-8"))
    titles = {entry["title"] for entry in library.entries}
    assert len(library.entries) == 3 and "专家混合模型的路由策略研究" in titles
    eprints = {
        field.value for entry in library.entries for field in entry.fields if field.key == "eprint"
    }
    assert "2512.00004" in eprints

    # The share link, opened in a fresh profile, offers the papers and adds them.
    share = tab.locator("#saved-share").input_value()
    assert share.startswith(base_url + "saved/#papers=")
    other = context.browser.new_context()
    try:
        fresh = other.new_page()
        fresh.goto(share)
        offer = fresh.locator("#saved-offer")
        expect(offer).to_be_visible()
        expect(fresh.locator("#saved-offer-status")).to_have_text(
            "The link holds 3 papers; 3 of them are not in your list yet."
        )
        expect(fresh.locator("#saved-offer-list li").first).to_have_text(paper_title)
        assert stored(fresh, base_url) is None  # nothing before the reader says so
        fresh.get_by_role("button", name="Add them to my list").click()
        expect(offer).to_be_hidden()
        shared = [paper_title, "专家混合模型的路由策略研究", card_title]
        assert sorted(saved_titles(fresh)) == sorted(shared)
        assert "#" not in fresh.url
        papers = stored(fresh, base_url)["papers"]
        assert {entry["note"] for entry in papers.values()} == {""}
        # Opened again, it has nothing new to offer.
        fresh.goto(share)
        expect(fresh.locator("#saved-offer-status")).to_have_text(
            "The link holds 3 papers; your list has them all already."
        )
        expect(fresh.locator("#saved-offer-add")).to_be_hidden()
    finally:
        other.close()


def parse_bibtex(text: str):
    """The file as bibtexparser reads it: every block parsed, every key unique."""
    import bibtexparser

    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, text
    keys = [entry.key for entry in library.entries]
    assert len(set(keys)) == len(keys), keys
    return library


@requires_chromium
def test_a_paper_no_longer_on_the_site_is_kept_and_marked(context, base_url):
    from playwright.sync_api import expect

    prefill(
        context,
        {
            "version": 1,
            "papers": {
                "2512.00001": {
                    "url": "papers/2512.00001/",
                    "title": "Old title",
                    "saved": "2025-12-10T08:00:00.000Z",
                    "read": False,
                    "note": "",
                },
                "2401.99999": {
                    "url": "papers/2401.99999/",
                    "title": "A removed paper",
                    "saved": "2025-12-11T08:00:00.000Z",
                    "read": False,
                    "note": "mine",
                    "meta": {"title": "A removed paper"},
                },
            },
        },
    )
    tab = new_page(context)
    tab.goto(base_url + "saved/")
    gone = tab.locator("#saved-list > li").first
    expect(gone.locator(".badge-muted")).to_have_text("no longer on this site")
    assert gone.locator(".card-title a").count() == 0
    expect(gone.get_by_label("Your note")).to_have_value("mine")
    # The paper still here got its title and facts from its page.
    kept = tab.locator("#saved-list > li").nth(1).locator(".card-title a")
    expect(kept).not_to_have_text("Old title")
    assert stored(tab, base_url)["papers"]["2401.99999"]["meta"]["gone"] is True
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download BibTeX").click()
    text = download.value.path().read_text(encoding="utf-8")
    assert re.search(r"^% 2401\.99999: no longer on this site", text, re.MULTILINE)
    assert [entry["eprint"] for entry in parse_bibtex(text).entries] == ["2512.00001"]
    # Removable.
    gone.get_by_role("button", name="Remove").click()
    expect(tab.locator("#saved-list > li")).to_have_count(1)
    assert list(stored(tab, base_url)["papers"]) == ["2512.00001"]


@requires_chromium
def test_bibtex_keys_are_made_unique_within_the_file(context, base_url):
    from playwright.sync_api import expect

    papers = {
        slug: {"url": f"papers/{slug}/", "saved": f"2025-12-1{n}T08:00:00Z"}
        for n, slug in enumerate(("2512.00001", "2512.00004", "attention-quantization"))
    }
    prefill(context, {"version": 1, "papers": papers})

    # Two more pages whose entries carry the first one's key, as two papers by one
    # author in one year with one title word could.
    def same_key(route):
        response = route.fetch()
        body = re.sub(r"@misc\{[^,]+,", "@misc{martins2025sparsemoerouting,", response.text())
        route.fulfill(response=response, body=body)

    context.route(re.compile(r".*/papers/(2512\.00004|attention-quantization)/$"), same_key)
    tab = new_page(context)
    tab.goto(base_url + "saved/")
    expect(tab.locator("#saved-list > li")).to_have_count(3)
    with tab.expect_download() as download:
        tab.get_by_role("button", name="Download BibTeX").click()
    library = parse_bibtex(download.value.path().read_text(encoding="utf-8"))
    # Newest saved first; the first of a key keeps it.
    assert [entry.key for entry in library.entries] == [
        "martins2025sparsemoerouting",
        "martins2025sparsemoeroutinga",
        "martins2025sparsemoeroutingb",
    ]
    expect(tab.locator("#saved-export-status")).to_have_text("BibTeX of 3 papers downloaded.")


@requires_chromium
def test_the_list_survives_a_rebuild_that_removes_one_of_its_papers(context, site, base_url):
    from playwright.sync_api import expect

    output, settings = site
    tab = new_page(context)
    dialogs = []
    tab.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for slug in ("markup-title", "2512.00001"):
        tab.goto(base_url + f"papers/{slug}/")
        tab.locator("article.paper button.save").click()
    tab.goto(base_url + "saved/")
    items = tab.locator("#saved-list > li")
    # A title made of markup is text, here too.
    expect(items.nth(1).locator(".card-title a")).to_have_text("<img src=x onerror=alert(1)>")
    note = Path(settings["PATH"]) / "notes" / "markup-title.md"
    text = note.read_text(encoding="utf-8")
    note.unlink()
    try:
        build(settings)
        assert not (output / "papers" / "markup-title").exists()
        tab.reload()
        expect(items).to_have_count(2)
        expect(items.nth(1).locator(".badge-muted")).to_have_text("no longer on this site")
        expect(items.nth(1).locator(".card-title")).to_have_text("<img src=x onerror=alert(1)>")
        expect(items.nth(0).locator(".card-title a")).to_be_visible()
        assert items.nth(0).locator(".badge-muted").count() == 0
    finally:
        note.write_text(text, encoding="utf-8")
        build(settings)
    assert not dialogs


@requires_chromium
def test_without_storage_the_page_explains_and_toggles_stay_hidden(browser, base_url):
    context = browser.new_context()
    # localStorage throws, as when site data is blocked.
    context.add_init_script(
        "Object.defineProperty(window, 'localStorage', {get() {"
        " throw new DOMException('denied', 'SecurityError'); }});"
    )
    try:
        tab = context.new_page()
        tab.goto(base_url + "saved/")
        notice = tab.locator("#saved-unavailable")
        notice.wait_for()
        assert "does not let the site keep a list" in notice.inner_text()
        assert tab.locator("#saved-main").is_hidden()
        tab.goto(base_url)
        assert tab.locator("button.save").first.is_hidden()
    finally:
        context.close()


@requires_chromium
def test_a_newer_or_broken_list_is_never_overwritten(context, base_url):
    from playwright.sync_api import expect

    tab = new_page(context)
    tab.goto(base_url)
    newer = json.dumps({"version": 2, "items": []})
    tab.evaluate("value => localStorage.setItem('papershelf-saved:/', value)", newer)
    tab.goto(base_url + "saved/")
    expect(tab.locator("#saved-newer")).to_be_visible()
    tab.goto(base_url)
    assert tab.locator("button.save").first.is_hidden()
    assert tab.evaluate("localStorage.getItem('papershelf-saved:/')") == newer
    # Malformed: kept aside, said so, and a new list works.
    tab.evaluate("localStorage.setItem('papershelf-saved:/', '{not json')")
    tab.goto(base_url + "saved/")
    expect(tab.locator("#saved-broken")).to_be_visible()
    assert tab.evaluate("localStorage.getItem('papershelf-saved:/:unreadable')") == "{not json"
    tab.goto(base_url + "papers/2512.00001/")
    tab.locator("article.paper button.save").click()
    assert list(stored(tab, base_url)["papers"]) == ["2512.00001"]


@requires_chromium
def test_keyboard_toggles_and_the_change_is_announced(context, base_url):
    from playwright.sync_api import expect

    tab = new_page(context)
    tab.goto(base_url + "papers/2512.00001/")
    toggle = tab.locator("article.paper button.save")
    expect(toggle).to_be_visible()
    for _ in range(60):
        tab.keyboard.press("Tab")
        if tab.evaluate("document.activeElement.classList.contains('save')"):
            break
    else:
        pytest.fail("Tab never reached the save toggle")
    tab.keyboard.press("Space")
    expect(toggle).to_have_attribute("aria-pressed", "true")
    live = tab.locator("[role=status][aria-live=polite]").last
    expect(live).to_have_text(re.compile(r"^Saved to your reading list: "))
    tab.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-pressed", "false")
    expect(live).to_have_text(re.compile(r"^Removed from your reading list: "))
    assert stored(tab, base_url)["papers"] == {}


@requires_chromium
def test_import_json_shows_what_changes_and_keeps_notes(context, base_url, tmp_path):
    from playwright.sync_api import expect

    prefill(
        context,
        {
            "version": 1,
            "papers": {
                "2512.00001": {
                    "url": "papers/2512.00001/",
                    "title": "A",
                    "saved": "2025-12-10T08:00:00.000Z",
                    "read": False,
                    "note": "my note",
                }
            },
        },
    )
    file = tmp_path / "list.json"
    file.write_text(
        json.dumps(
            {
                "version": 1,
                "papers": {
                    "2512.00001": {
                        "url": "papers/2512.00001/",
                        "title": "A",
                        "saved": "2025-12-01T00:00:00Z",
                        "read": True,
                        "note": "their note",
                    },
                    "2512.00004": {
                        "url": "javascript:alert(1)",
                        "title": "B",
                        "saved": "2025-12-02T00:00:00Z",
                        "read": False,
                        "note": "new one",
                    },
                },
            }
        ),
        encoding="utf-8",
    )
    tab = new_page(context)
    tab.goto(base_url + "saved/")
    tab.wait_for_selector("#saved-list > li")
    tab.set_input_files("#saved-import-file", str(file))
    expect(tab.locator("#saved-import")).to_be_visible()
    expect(tab.locator("#saved-import-status")).to_have_text(
        "The file holds 2 papers: 1 new, 1 with a note that differs from yours."
    )
    assert stored(tab, base_url)["papers"].keys() == {"2512.00001"}  # nothing yet
    tab.get_by_role("button", name="Import", exact=True).click()
    expect(tab.locator("#saved-list > li")).to_have_count(2)
    papers = stored(tab, base_url)["papers"]
    assert papers["2512.00001"]["note"] == "my note" and papers["2512.00001"]["read"] is True
    assert papers["2512.00004"]["url"] == "papers/2512.00004/"  # never another scheme
    # A file that is no list, or a newer version's, changes nothing and says so.
    for body, message in (
        ("[1, 2]", "This file is not a reading list saved by this site."),
        ('{"version": 2, "papers": {}}', "This file was written by a newer version of the site"),
    ):
        file.write_text(body, encoding="utf-8")
        tab.set_input_files("#saved-import-file", str(file))
        expect(tab.locator("#saved-export-status")).to_contain_text(message)
    after = stored(tab, base_url)["papers"]
    assert {i: e["note"] for i, e in after.items()} == {i: e["note"] for i, e in papers.items()}


@requires_chromium
def test_the_page_and_the_toggles_speak_chinese(browser, tmp_path):
    from bs4 import BeautifulSoup
    from playwright.sync_api import expect

    from .test_i18n import interface_text, untranslated

    output, _ = build_search_site(tmp_path, DEFAULT_LANG="zh")
    with serve(output) as url:
        context = browser.new_context()
        try:
            prefill(
                context,
                {
                    "version": 1,
                    "papers": {
                        "2512.00001": {
                            "url": "papers/2512.00001/",
                            "saved": "2025-12-10T08:00:00Z",
                            "read": True,
                            "note": "先读第三节",
                        },
                        "2401.99999": {
                            "url": "papers/2401.99999/",
                            "saved": "2025-12-11T08:00:00Z",
                        },
                    },
                },
            )
            tab = context.new_page()
            tab.goto(url + "papers/2512.00004/")
            toggle = tab.locator("article.paper button.save")
            expect(toggle).to_have_text("收藏")
            toggle.click()
            expect(toggle).to_have_text("已收藏")
            tab.goto(url + "saved/")
            expect(tab.locator("#saved-list > li")).to_have_count(3)
            expect(tab.locator("#saved-list .badge-muted")).to_have_text("本站已无此论文")
            expect(tab.locator("#saved-count")).to_have_text("已收藏 3 篇，已读 1 篇")
            soup = BeautifulSoup(tab.content(), "html.parser")
            texts = interface_text(soup)
            assert "我的笔记" in texts and "标为已读" in texts
            assert untranslated(texts) == []
        finally:
            context.close()


class _SlowPapers(SimpleHTTPRequestHandler):
    """Serves the site; paper pages take a while, and how many are asked for at once
    is counted."""

    lock = threading.Lock()
    in_flight = 0
    most = 0
    asked: list[str] = []

    def do_GET(self):  # noqa: N802 (the standard library's name)
        if not self.path.startswith("/papers/"):
            return super().do_GET()
        cls = type(self)
        with cls.lock:
            cls.in_flight += 1
            cls.most = max(cls.most, cls.in_flight)
            cls.asked.append(self.path)
        # Counted while it waits, not while the answer is written: the browser may
        # ask for the next page as soon as this one has arrived, before this thread
        # would count it done.
        time.sleep(0.3)
        with cls.lock:
            cls.in_flight -= 1
        return super().do_GET()

    def log_message(self, *args) -> None:
        pass


@requires_chromium
def test_the_page_asks_for_a_few_papers_at_a_time_one_request_each(site, context):
    from playwright.sync_api import expect

    output, _ = site
    _SlowPapers.asked, _SlowPapers.most = [], 0
    ids = ["2512.00001", "2512.00004", "chinese-moe-routing"] + [f"2401.{n:05}" for n in range(7)]
    prefill(
        context,
        {
            "version": 1,
            "papers": {i: {"url": f"papers/{i}/", "saved": "2025-12-10T08:00:00Z"} for i in ids},
        },
    )
    server = ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_SlowPapers, directory=str(output))
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        tab = new_page(context)
        tab.goto(f"http://127.0.0.1:{server.server_address[1]}/saved/")
        expect(tab.locator("#saved-list .badge-muted")).to_have_count(7, timeout=15000)
    finally:
        server.shutdown()
        server.server_close()
    assert sorted(_SlowPapers.asked) == sorted(f"/papers/{i}/" for i in ids)
    assert 2 <= _SlowPapers.most <= 4
