"""Merging duplicates (``papershelf dedupe``, and the same step in ``fetch`` and
``import``): each rule, a pair that must stay apart, what a merge keeps, the
dry run, redirect pages in a real build, and the demo site with no paper twice."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from papershelf.archive import Archive
from papershelf.cli import main
from papershelf.importers.arxiv_bot import parse_arxiv_bot
from papershelf.importers.arxiv_bot_import import run_import_arxiv_bot
from papershelf.importers.paper_explorer import parse_dump
from papershelf.importers.paper_explorer_import import run_import_paper_explorer
from papershelf.ingest.dedupe import (
    NEAR_DUPLICATE,
    candidate_pairs,
    find_links,
    match,
    signature,
)
from papershelf.ingest.dedupe_merge import apply_links, merge_records
from papershelf.ingest.dedupe_run import run_dedupe
from papershelf.model import Announcement, Paper
from papershelf.text import match_key

from .sites import FEEDS, ROOT, build, fetch, page, site_settings, tree_bytes

# Made-up words, aord to zord: no real phrase for two test abstracts to share by chance.
WORDS = [f"{letter}ord" for letter in "abcdefghijklmnopqrstuvwxyz"]


def abstract(seed: int, words: int = 80) -> str:
    """A distinctive abstract: ``seed`` decides the word order, so two seeds differ."""
    picked = [WORDS[(seed * 7 + i * (seed % 5 + 3) + i * i) % len(WORDS)] for i in range(words)]
    return " ".join(f"{word}{(i * seed) % 97}" for i, word in enumerate(picked)) + "."


def arxiv(arxiv_id: str, text: str, **fields) -> Paper:
    values = {
        "title": f"An arXiv paper called {arxiv_id}",
        "authors": ["Ada Lovelace"],
        "abstract": text,
        "primary_category": "cs.CL",
        "categories": ["cs.CL"],
        "announced": "2025-12-10",
        "announcements": [Announcement("2025-12-10", "new", 1)],
        "feeds": ["cs.CL"],
    }
    values.update(fields)
    return Paper(arxiv_id=arxiv_id, **values)


def local(local_id: str, text: str, **extra) -> Paper:
    extra = {
        "title_derived": True,
        "imported": "2026-11-22",
        "imports": [{"source": "paper-explorer", "file": "dump.txt", "date": "2026-11-22"}],
        "topic": "推理",
        "tags": ["reasoning"],
        "structured_summary": {"tldr": "一句话。", "source": "paper-explorer:dump.txt"},
        **extra,
    }
    return Paper(arxiv_id=local_id, title="A guessed title", abstract=text, extra=extra)


def reason(a: Paper, b: Paper) -> str | None:
    found = match(signature(a), signature(b))
    return found and found[0]


# --- the rules --------------------------------------------------------------------------------


def test_the_abstract_key_ignores_whitespace_case_tex_and_a_truncation_mark():
    assert match_key("We  propose \\textbf{Gate}\n(LCG) at $\\mathcal{O}(1)$ cost…") == (
        "we propose gate lcg at o 1 cost"
    )
    assert match_key("Andr\\'e &amp; Zo\\\"{e}") == "andré zoë"


def test_same_arxiv_id():
    text = abstract(1)
    learnt = local("pe-00000000aa", abstract(2), resolved_arxiv_id="2512.00001")
    assert reason(arxiv("2512.00001", text), learnt) == "same arXiv id"


def test_same_abstract_up_to_whitespace_case_tex_and_truncation():
    text = abstract(3)
    paper = arxiv("2512.00002", text)
    spaced = local("pe-00000000ab", "  " + text.upper().replace(" ", " \n "))
    assert reason(paper, spaced) == "same abstract"
    marked_up = text.split()
    marked_up[4] = f"\\textbf{{{marked_up[4]}}}"
    assert reason(paper, local("pe-00000000ac", " ".join(marked_up))) == "same abstract"
    # A digest cuts the abstract short, mid-word, and marks it with an ellipsis.
    cut = text[: len(text) // 2 - 2] + "…"
    assert reason(local("pe-00000000ad", text), arxiv("2512.00002", cut)) == "same abstract"
    # Too short a stump to say so: the first words of many papers look alike.
    assert reason(paper, local("pe-00000000ae", " ".join(text.split()[:12]))) is None


def test_same_title_unless_the_abstracts_clearly_differ():
    title = "Sparse Routing for Fast Language Model Inference"
    with_text = arxiv("2512.00003", abstract(4), title=title)
    no_text = Paper(arxiv_id="aw-00000000af", title=title)
    assert reason(with_text, no_text) == "same title"
    other_paper = Paper(arxiv_id="aw-00000000b0", title=title.upper(), abstract=abstract(5))
    assert reason(with_text, other_paper) is None
    # A generic title ("Introduction", "Attention") never merges alone, nor a guessed one.
    short = Paper(arxiv_id="aw-00000000b1", title="Attention")
    assert reason(Paper(arxiv_id="aw-00000000b2", title="attention"), short) is None
    guessed = local("pe-00000000b3", "", title=title)
    guessed.title = title
    assert reason(with_text, guessed) is None


def test_a_near_duplicate_is_found_through_minhash_bands_not_all_pairs():
    text = abstract(6, words=150).split()
    edited = list(text)
    for position in (3, 60, 120):  # one change inside the first words: no shared prefix key
        edited[position] = "changed"
    a, b = arxiv("2512.00004", " ".join(text)), local("pe-00000000b4", " ".join(edited))
    found = match(signature(a), signature(b))
    assert found[0] == "near" and NEAR_DUPLICATE <= found[1] < 1
    papers = {p.arxiv_id: p for p in (a, b, arxiv("2512.00005", abstract(7, words=150)))}
    assert ("2512.00004", "pe-00000000b4") in candidate_pairs(map(signature, papers.values()))
    (link,) = find_links(papers)
    assert link.line() == f"pe-00000000b4 -> 2512.00004: {link.reason}"
    assert re.fullmatch(r"near-duplicate abstract \(similarity 0\.\d\d\)", link.reason)


def test_different_papers_stay_apart_even_with_boilerplate_in_common():
    shared = "large language models reason with chain of thought prompting and we study it "
    a = arxiv("2512.00006", shared + abstract(8))
    b = local("pe-00000000b5", shared + abstract(9))
    assert reason(a, b) is None
    assert find_links({p.arxiv_id: p for p in (a, b)}) == []
    # Two arXiv ids are two papers, whatever their texts say.
    assert reason(arxiv("2512.00007", abstract(10)), arxiv("2512.00008", abstract(10))) is None


# --- what a merge keeps -----------------------------------------------------------------------


def test_a_merge_keeps_the_arxiv_id_every_contribution_and_the_earliest_day():
    text = abstract(11)
    digest = arxiv(
        "2512.00009",
        text[:200] + "…",
        announced="2026-02-06",
        announcements=[Announcement("2026-02-06", "new", 1)],
        extra={
            "abstract_truncated": True,
            "ai_summary": {"text": "AI.", "model": "m", "source": "arxiv-bot:d.md"},
            "imports": [{"source": "arxiv-bot", "file": "d.md", "date": "2026-02-06"}],
            "tags": ["LLM"],
        },
    )
    feed = arxiv("2512.00009", text, announced="2025-12-10")
    explorer = local("pe-00000000b6", text)
    papers = {
        "2512.00009": merge_records(digest, feed, "same arXiv id"),
        explorer.arxiv_id: explorer,
    }
    links = find_links(papers)
    assert [link.line() for link in links] == ["pe-00000000b6 -> 2512.00009: same abstract"]
    kept = apply_links(papers, links)["2512.00009"]
    assert kept.title == "An arXiv paper called 2512.00009" and "title_derived" not in kept.extra
    assert kept.abstract == text and "abstract_truncated" not in kept.extra
    assert kept.announced == "2025-12-10"
    assert [a.date for a in kept.announcements] == ["2025-12-10", "2026-02-06"]
    assert kept.extra["ai_summary"]["text"] == "AI."
    assert kept.extra["structured_summary"]["tldr"] == "一句话。"
    assert kept.extra["topic"] == "推理" and kept.extra["tags"] == ["LLM", "reasoning"]
    assert [i["source"] for i in kept.extra["imports"]] == ["arxiv-bot", "paper-explorer"]
    (entry,) = kept.extra["merged"]
    assert entry == {
        "id": "pe-00000000b6",
        "reason": "same abstract",
        "fields": {"title": "A guessed title"},
    }
    # Merging the same record again (a re-import) changes nothing.
    assert merge_records(kept, explorer, "same abstract").to_dict() == kept.to_dict()


def test_a_second_structured_summary_is_kept_in_the_merged_entry():
    text = abstract(12)
    first = local("pe-00000000b7", text, structured_summary={"tldr": "一。"})
    second = local("pe-00000000b8", text, structured_summary={"tldr": "二。"})
    merged = merge_records(first, second, "same abstract")
    assert merged.extra["structured_summary"] == {"tldr": "一。"}
    assert merged.extra["merged"][0]["fields"] == {"structured_summary": {"tldr": "二。"}}


# --- the command, fetch and import ------------------------------------------------------------


@pytest.fixture
def settings(tmp_path):
    return site_settings(tmp_path)


def seed(settings, *papers: Paper) -> Archive:
    archive = Archive(settings["ARXIV_ARCHIVE_PATH"])
    archive.save(papers)
    return archive


def test_dry_run_lists_and_changes_nothing_then_dedupe_merges_once(settings, tmp_path, capsys):
    text = abstract(13)
    archive = seed(settings, arxiv("2512.00010", text), local("pe-00000000b9", text))
    conf = tmp_path / "conf.py"
    conf.write_text(
        f"import sys\nsys.path.insert(0, {str(ROOT)!r})\nfrom pelicanconf import *  # noqa\n"
        f"ARXIV_ARCHIVE_PATH = {str(archive.root)!r}\n"
    )
    before = tree_bytes(archive.papers_dir)
    assert main(["--settings", str(conf), "dedupe", "--dry-run"]) == 0
    out = capsys.readouterr().out
    assert "dedupe: would merge pe-00000000b9 -> 2512.00010: same abstract" in out
    assert tree_bytes(archive.papers_dir) == before
    assert main(["--settings", str(conf), "dedupe"]) == 0
    assert "dedupe: merged pe-00000000b9 -> 2512.00010: same abstract" in capsys.readouterr().out
    assert sorted(archive.load()) == ["2512.00010"]
    after = tree_bytes(archive.root)
    assert run_dedupe(settings["PAPERSHELF_VALIDATED"], out=io.StringIO(), err=io.StringIO()) == 0
    assert tree_bytes(archive.root) == after


def test_fetch_runs_it(settings):
    feed_text = (
        "We route tokens in a mixture of experts (MoE) model to cut LLM inference "
        "latency by 2$\\times$ at $\\mathcal{O}(1)$ cost."
    )
    seed(settings, local("pe-00000000c0", feed_text.upper()))
    status, out = fetch(settings, FEEDS / "day1-cs.CL.new-and-cross.rss.xml")
    assert status == 0
    assert "dedupe: merged pe-00000000c0 -> 2512.00001: same abstract" in out
    record = Archive(settings["ARXIV_ARCHIVE_PATH"]).load()["2512.00001"]
    assert record.extra["topic"] == "推理" and "pe-00000000c0" not in record.extra.get("tags", [])


def test_import_arxiv_bot_runs_it(settings):
    source = Path(__file__).parent / "fixtures" / "arxiv_bot" / "ranked-papers.md"
    bot_paper = parse_arxiv_bot(source.read_text(encoding="utf-8")).papers[0]
    seed(settings, local("pe-00000000c1", bot_paper.abstract))
    out = io.StringIO()
    options = settings["PAPERSHELF_VALIDATED"]
    assert run_import_arxiv_bot(options, source, out=out, err=io.StringIO()) == 0
    assert f"dedupe: merged pe-00000000c1 -> {bot_paper.arxiv_id}: same abstract" in out.getvalue()
    papers = Archive(settings["ARXIV_ARCHIVE_PATH"]).load()
    assert "pe-00000000c1" not in papers
    assert papers[bot_paper.arxiv_id].extra["structured_summary"]["tldr"] == "一句话。"


def test_import_paper_explorer_runs_it_and_a_reimport_changes_no_byte(settings):
    source = Path(__file__).parent / "fixtures" / "paper_explorer" / "with-and-without-tldr.txt"
    entry = parse_dump(source.read_text(encoding="utf-8")).entries[0]
    archive = seed(settings, arxiv("2512.00011", entry.abstract))
    options = settings["PAPERSHELF_VALIDATED"]
    out = io.StringIO()
    run_import_paper_explorer(options, source, out=out, err=io.StringIO())
    assert re.search(r"dedupe: merged pe-[0-9a-f]+ -> 2512\.00011: same abstract", out.getvalue())
    record = archive.load()["2512.00011"]
    assert record.extra["topic"] == entry.topic and record.title.startswith("An arXiv paper")
    before = tree_bytes(archive.root)
    run_import_paper_explorer(options, source, out=io.StringIO(), err=io.StringIO())
    assert tree_bytes(archive.root) == before


# --- the site ---------------------------------------------------------------------------------


def test_a_merged_away_id_is_a_redirect_page_and_the_paper_shows_once(settings):
    text = abstract(14)
    seed(settings, arxiv("2512.00012", text), local("pe-00000000c2", text))
    run_dedupe(settings["PAPERSHELF_VALIDATED"], out=io.StringIO(), err=io.StringIO())
    output = build(settings)
    moved = page(output, "papers/pe-00000000c2/index.html")
    refresh = moved.find("meta", attrs={"http-equiv": "refresh"})
    assert refresh["content"].endswith("papers/2512.00012/")
    assert moved.find("meta", attrs={"name": "robots"})["content"] == "noindex"
    assert not moved.find("script")
    assert moved.find("a")["href"].endswith("papers/2512.00012/")
    assert (output / "papers/2512.00012/index.html").is_file()
    home = (output / "index.html").read_text(encoding="utf-8")
    assert home.count('href="papers/2512.00012/"') + home.count("/papers/2512.00012/") >= 1
    assert "pe-00000000c2" not in home
    assert "pe-00000000c2" not in (output / "sitemap.xml").read_text(encoding="utf-8")


def paper_pages(output: Path):
    for path in sorted((output / "papers").glob("*/index.html")):
        soup = page(output, str(path.relative_to(output)))
        if soup.find("meta", attrs={"http-equiv": "refresh"}):
            continue  # a merged-away id
        heading = soup.find("h2", id="abstract")
        text = heading.parent.get_text(" ") if heading else ""  # the heading is on every page
        yield path.parent.name, match_key(soup.find("h1").get_text(" ")), match_key(text)


def test_the_demo_site_has_no_paper_twice(demo_site):
    titles, abstracts = {}, {}
    for paper_id, title, text in paper_pages(demo_site):
        assert titles.setdefault(title, paper_id) == paper_id, f"{paper_id}: same title"
        if text:
            assert abstracts.setdefault(text, paper_id) == paper_id, f"{paper_id}: same abstract"
    assert len(titles) > 900 and len(abstracts) > 800
    # The two explorer entries that carry a digest record's abstract became that record.
    for old, new in (("pe-f248b9674d", "2512.06690"), ("pe-92168ff736", "2602.05393")):
        moved = page(demo_site, f"papers/{old}/index.html")
        assert moved.find("meta", attrs={"http-equiv": "refresh"})["content"].endswith(
            f"papers/{new}/"
        )
    assert find_links(Archive(ROOT / "data").load()) == []


def test_the_bench_finds_every_planted_copy_at_two_sizes():
    from papershelf.devtools.bench_dedupe import format_dedupe_report, run_dedupe_bench

    small, large = run_dedupe_bench([300, 3000])
    assert (small["merges"], large["merges"]) == (small["copies"], large["copies"]) == (2, 29)
    assert large["seconds"] > 0 and large["peak_mb"] >= large["records_mb"]
    assert "10x the records took" in format_dedupe_report([small, large])


def test_links_to_a_merged_away_id_still_count_as_links_into_the_site():
    from papershelf.notes.check import site_index

    text = abstract(15)
    kept = merge_records(arxiv("2512.00013", text), local("pe-00000000c3", text), "same abstract")
    assert {"2512.00013", "pe-00000000c3"} <= site_index([kept]).papers
