"""Summaries in a real build: on cards, paper pages, meta tags and the Atom feed."""

import pytest

from papershelf.archive import Archive
from papershelf.model import Announcement, Paper

from .sites import build, page, site_settings

AI_SUMMARY = (
    "# 论文总结\n\n## 解决的问题\n"
    "传统 **MoE** 路由在边缘网络中不稳定。\n\n<script>alert(1)</script>\n"
)


def record(arxiv_id, title, **extra):
    return Paper(
        arxiv_id=arxiv_id,
        title=title,
        abstract="We route tokens with a Lyapunov controller. It is stable. More text follows.",
        primary_category="cs.DC",
        categories=["cs.DC"],
        announced="2025-12-09",
        announcements=[Announcement("2025-12-09", "new", 1)],
        score=5.0,
        matched_keywords=["MoE"],
        extra=extra,
    )


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("summaries")
    settings = site_settings(tmp_path)
    Archive(tmp_path / "data").save(
        [
            record("2512.00011", "Only an abstract"),
            record(
                "2512.00012",
                "With an AI summary",
                ai_summary={"text": AI_SUMMARY, "model": "qwen-long", "source": "arxiv-bot:x.md"},
            ),
            record(
                "2512.00013",
                "With a structured summary",
                structured_summary={
                    "tldr": "A stable router for $k$ experts.",
                    "motivation": "边缘服务器算力不均。",
                    "source": "paper-explorer:dump.txt",
                },
                ai_summary={"text": AI_SUMMARY, "model": "qwen-long", "source": "x"},
            ),
            replaced_since_summarised(),
        ]
    )
    return build(settings)


def replaced_since_summarised() -> Paper:
    """Summarised as v1; v3 was announced since."""
    paper = record(
        "2512.00014",
        "Replaced since its summary",
        ai_summary={"text": "Made from v1.", "model": "m", "source": "summarize", "version": 1},
    )
    paper.version = 3
    paper.announcements += [
        Announcement("2025-12-10", "replace", 2),
        Announcement("2025-12-11", "replace", 3),
    ]
    return paper


def card_summaries(output):
    soup = page(output, "digest/2025-12-09/index.html")
    return {
        card.select_one(".card-title").get_text(strip=True): card.select_one(".card-summary")
        for card in soup.select(".card")
    }


def test_cards_show_the_summary_by_priority(site):
    cards = card_summaries(site)
    assert cards["Only an abstract"].get_text() == (
        "We route tokens with a Lyapunov controller. It is stable. More text follows."
    )
    assert cards["With an AI summary"].get_text() == "传统 MoE 路由在边缘网络中不稳定。"
    structured = cards["With a structured summary"]
    assert structured.get_text().startswith("A stable router for")
    assert structured.select_one("math annotation").get_text() == "k"  # math rendered


def test_paper_page_labels_the_source_and_collapses_full_summaries(site):
    soup = page(site, "papers/2512.00013/index.html")
    assert "Summary from the structured summary." in soup.select_one(".short-summary").get_text()
    structured, ai = soup.select("details.summary-block")
    assert structured.has_attr("open") and not ai.has_attr("open")
    assert {dd["lang"] for dd in structured.select("dl dd")} == {"zh"}
    assert [dt.get_text() for dt in structured.select("dt")] == ["TL;DR", "Motivation"]
    assert "qwen-long" in ai.summary.get_text()
    assert ai.select_one("h1").get_text() == "论文总结"
    assert "<script" not in str(ai) and "alert(1)" not in ai.get_text()


def test_meta_and_open_graph_carry_the_plain_summary(site):
    soup = page(site, "papers/2512.00012/index.html")
    assert (
        soup.find("meta", attrs={"name": "description"})["content"]
        == "传统 MoE 路由在边缘网络中不稳定。"
    )
    assert (
        soup.find("meta", property="og:description")["content"]
        == "传统 MoE 路由在边缘网络中不稳定。"
    )
    meta = page(site, "papers/2512.00013/index.html").find("meta", attrs={"name": "description"})
    assert meta["content"] == "A stable router for $k$ experts."


def test_atom_entries_carry_the_summary(site):
    feed = (site / "feeds/all.atom.xml").read_text()
    assert "传统 MoE 路由在边缘网络中不稳定。" in feed
    assert feed.count("<summary") == 4  # one per paper


def test_an_ai_summary_of_an_older_version_is_marked(site):
    soup = page(site, "papers/2512.00014/index.html")
    block = soup.select_one(".summary-block:has(.ai-summary)")
    assert "older version" in block.summary.get_text()
    assert block.select_one(".stale-summary").get_text(" ", strip=True) == (
        "Written from version 1; the paper is now at version 3, so parts may be out of date."
    )
    current = page(site, "papers/2512.00012/index.html")
    assert current.select_one(".summary-block:has(.ai-summary)")
    assert not current.select(".stale-summary")
