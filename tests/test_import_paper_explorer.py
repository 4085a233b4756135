"""``papershelf import paper-explorer``: the parser, derived titles, stable ids,
records, idempotence, topic pages in a real build, and the seed dump."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest
from topic_pages import topic_slug

from papershelf.archive import Archive
from papershelf.cli import build_parser
from papershelf.importers.derived_titles import (
    ABSTRACT,
    NAME,
    TLDR,
    bounded_title,
    derive_title,
)
from papershelf.importers.paper_explorer import join_lines, parse_dump, split_hashtags
from papershelf.importers.paper_explorer_import import (
    entry_title,
    local_ids,
    paper_record,
    run_import_paper_explorer,
)
from papershelf.model import LOCAL_ID, Paper

from .sites import SHARED, build, page, site_settings, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "paper_explorer"
SEED = SHARED / "seeds" / "paper-explorer-zh.txt"
DAY = "2026-11-22"


def parse(name: str):
    return parse_dump((FIXTURES / name).read_text(encoding="utf-8"))


def run(tmp_path: Path, name: str | Path, day: str | None = DAY) -> tuple[int, str, str]:
    options = {"ARXIV_ARCHIVE_PATH": str(tmp_path / "data")}
    out, err = io.StringIO(), io.StringIO()
    source = name if isinstance(name, Path) else FIXTURES / name
    day_value = date.fromisoformat(day) if day else None
    status = run_import_paper_explorer(options, source, day_value, out=out, err=err)
    return status, out.getvalue(), err.getvalue()


# --- the parser ------------------------------------------------------------------


def test_entries_with_and_without_tldr():
    dump = parse("with-and-without-tldr.txt")
    assert [(h.topic, h.stated) for h in dump.headings] == [("指令微调与对齐", 2)]
    first, second = dump.entries
    assert (first.field, first.topic) == ("基础/前沿模型 (含LLM)", "指令微调与对齐")
    assert first.tags == ["safety alignment", "low-rank adaptation"]  # deduplicated
    assert first.summary["tldr"].startswith("We propose GuardSpace, a guardrail")
    assert list(first.summary) == [
        "tldr",
        *("motivation", "problem", "analysis", "method", "experiments", "contribution"),
    ]
    # Emoji and label stripped from every value.
    assert first.summary["motivation"] == "大语言模型的安全对齐在微调中易受损。"
    assert first.summary["experiments"] == "在GSM8K上将有害得分从14.4%降至3.6%。"
    assert "tldr" not in second.summary and len(second.summary) == 6
    assert r"from 14.4\% to 3.6\%" in first.abstract  # TeX kept as is
    # A hard-wrapped abstract line is joined with a space.
    assert "trade-off between supervised fine-tuning (SFT)" in second.abstract
    assert first.warnings == second.warnings == []


def test_wrapped_summary_lines_tex_split_by_a_newline_and_paragraphs():
    dump = parse("wrapped-lines-and-tex.txt")
    first, second = dump.entries
    assert first.summary["method"] == (
        r"提出 $\nabla$-Reasoner,结合梯度优化的可微文本优化方法,将梯度信号用于推理时间的策略细化。"
    )
    assert first.summary["experiments"].startswith(r"$\nabla$-Reasoner 精度")
    assert first.tags == ["LLM Reasoning", "Test-Time Training", "Textual Optimization"]
    # An abstract line starting with '#' is abstract text, not hashtags or a new entry.
    assert "#1 on the leaderboard" in first.abstract
    assert first.abstract.endswith("\n\nA second paragraph reports a 14.4\\% gain.")
    assert second.abstract.startswith("Logic solvers are precise")
    assert len(dump.entries) == 2


def test_missing_field_line_hashtags_and_summary_line_are_reported():
    dump = parse("missing-parts.txt")
    first, second = dump.entries
    assert (first.field, first.topic, first.tags) == ("", "模型架构", [])
    assert first.warnings == ["no field line", "missing summary lines: experiments"]
    assert second.field == "基础/前沿模型 (含LLM)" and second.warnings == []
    assert first.abstract.startswith("Attention cost") and "ParaRNN" not in first.abstract


def test_heading_counts_and_topics():
    dump = parse("heading-count-mismatch.txt")
    assert [(h.topic, h.stated) for h in dump.headings] == [("推理与思维链", 3), ("LLM 预训练", 1)]
    assert [e.topic for e in dump.entries] == ["推理与思维链", "推理与思维链", "LLM 预训练"]


@pytest.mark.parametrize(
    ("line", "tags"),
    [
        ("#LLM #Reasoning", ["LLM", "Reasoning"]),
        ("#large language models #LLM #llm", ["large language models", "LLM"]),
        (
            "#Test-Time Training;Textual Optimization",
            ["Test-Time Training", "Textual Optimization"],
        ),
        ("#LoRA; PEFT;  #C++", ["LoRA", "PEFT", "C++"]),
        ("#Amari $\\alpha$-divergences", ["Amari $\\alpha$-divergences"]),
    ],
)
def test_split_hashtags(line, tags):
    assert split_hashtags(line) == tags


def test_join_lines_spaces_only_between_latin_words():
    assert join_lines(["a wrapped", "line"]) == "a wrapped line"
    assert join_lines(["中文换行,", "继续"]) == "中文换行,继续"
    assert join_lines(["提出 $", "abla$-Reasoner"]) == r"提出 $\nabla$-Reasoner"


# --- derived titles --------------------------------------------------------------


@pytest.mark.parametrize(
    ("abstract", "tldr", "title", "source"),
    [
        (
            "Safety is fragile. To address this, we propose GuardSpace, a guardrail framework "
            "for preserving safety alignment throughout fine-tuning, composed of two parts.",
            "",
            "GuardSpace: A guardrail framework for preserving safety alignment throughout "
            "fine-tuning",
            NAME,
        ),
        (
            "We propose an algorithm, ActiveDPO, that uses a data selection criterion.",
            "",
            "ActiveDPO: An algorithm that uses a data selection criterion",
            NAME,
        ),
        (
            "We propose Parallel Token Prediction (PTP), a general-purpose framework for "
            "predicting multiple tokens in a single model call.",
            "",
            "Parallel Token Prediction (PTP): A general-purpose framework for predicting "
            "multiple tokens in a single model call",
            NAME,
        ),
        (
            "We propose a novel training method named DQO based on point processes.",
            "",
            "DQO: A novel training method",
            NAME,
        ),
        (
            "We present **AutoMetrics**, a framework for synthesizing evaluation metrics.",
            "",
            "AutoMetrics: A framework for synthesizing evaluation metrics",
            NAME,
        ),
        (  # the field's vocabulary is not a name; the TL;DR's lead-in is dropped
            "We propose a new RL algorithm for LLMs. It works.",
            "We show that shorter chains of thought can be as accurate as long ones.",
            "Shorter chains of thought can be as accurate as long ones",
            TLDR,
        ),
        (  # no name, no TL;DR: what the abstract says it contributes
            "Binarization is lossy. We propose a novel framework that represents LLMs with "
            "Boolean parameters.",
            "",
            "A novel framework that represents LLMs with Boolean parameters",
            ABSTRACT,
        ),
        (  # nothing claimed: the first clause
            "Large reasoning models often consume excessive tokens, inflating cost. More text.",
            "",
            "Large reasoning models often consume excessive tokens",
            ABSTRACT,
        ),
    ],
)
def test_derive_title(abstract, tldr, title, source):
    derived = derive_title(abstract, tldr)
    assert (derived.text, derived.source) == (title, source)
    assert derive_title(abstract, tldr) == derived  # deterministic


def test_a_name_confirmed_by_the_chinese_summary():
    abstract = "Critics help. AsyPPO, a lightweight critic scheme, restores the role of critics."
    derived = derive_title(abstract, "", ["提出AsyPPO框架,使用轻量级评论家。"])
    assert derived == derive_title(abstract, "", ["提出AsyPPO框架,使用轻量级评论家。"])
    assert derived.text == "AsyPPO: A lightweight critic scheme" and derived.source == NAME


def test_bounded_title_cuts_at_a_clause_or_a_word():
    long_clause = "A method " + "that does many useful things " * 6
    assert len(bounded_title(long_clause)) <= 120
    assert bounded_title(long_clause).endswith("…")
    assert not bounded_title(long_clause)[:-1].endswith(" ")
    clauses = "A study of language model scaling across many sizes and budgets, " + "x " * 60
    assert (
        bounded_title(clauses) == "A study of language model scaling across many sizes and budgets"
    )
    assert bounded_title("Short title.") == "Short title"


# --- stable ids and records ----------------------------------------------------------


def test_ids_are_stable_across_reorderings_and_whitespace():
    entries = parse("with-and-without-tldr.txt").entries
    ids, warnings = local_ids(entries)
    assert warnings == [] and all(LOCAL_ID.match(i) for i in ids)
    reordered, _ = local_ids(list(reversed(entries)))
    assert reordered == list(reversed(ids))
    entries[0].abstract = "  " + entries[0].abstract.upper().replace(" ", "\n ")
    assert local_ids(entries)[0] == ids


def test_shared_abstracts_get_distinct_ids_and_exact_duplicates_are_skipped():
    entries = parse("duplicate-abstracts.txt").entries
    ids, warnings = local_ids(entries)
    assert ids[0] and ids[1] and ids[0] != ids[1] and ids[2] is None
    assert local_ids([entries[1], entries[0]])[0] == [ids[1], ids[0]]
    assert any("line 25: the entry of line 2 again" in w for w in warnings)


def test_record_fields():
    entry = parse("with-and-without-tldr.txt").entries[0]
    title = entry_title(entry)
    paper = paper_record(entry, "pe-0123456789", title, "dump.txt", DAY)
    data = paper.to_dict()
    assert data["title"].startswith("GuardSpace: A guardrail framework")
    assert (data["authors"], data["categories"], data["primary_category"]) == ([], [], "")
    assert (data["announced"], data["score"]) == ("", 0.0)
    assert data["title_derived"] is True
    assert (data["topic"], data["field"]) == ("指令微调与对齐", "基础/前沿模型 (含LLM)")
    assert data["tags"] == ["safety alignment", "low-rank adaptation"]
    assert data["structured_summary"]["source"] == "paper-explorer:dump.txt"
    assert data["structured_summary"]["tldr"] == entry.summary["tldr"]
    assert data["imports"] == [{"source": "paper-explorer", "file": "dump.txt", "date": DAY}]
    assert data["imported"] == DAY
    assert not paper.is_arxiv


def test_reimport_keeps_dates_hand_set_titles_and_other_fields():
    entry = parse("with-and-without-tldr.txt").entries[0]
    first = paper_record(entry, "pe-0123456789", entry_title(entry), "dump.txt", DAY)
    first.title, first.extra["title_derived"] = "GuardSpace (real title)", False
    first.extra["ai_summary"] = {"text": "kept"}
    again = paper_record(
        entry, "pe-0123456789", entry_title(entry), "dump.txt", "2027-01-01", first
    )
    assert again.title == "GuardSpace (real title)" and again.extra["title_derived"] is False
    assert again.extra["imported"] == DAY and again.extra["imports"][0]["date"] == DAY
    assert again.extra["ai_summary"] == {"text": "kept"}


# --- the command ---------------------------------------------------------------


def test_import_twice_writes_nothing_the_second_time(tmp_path):
    status, out, err = run(tmp_path, "with-and-without-tldr.txt")
    assert status == 0, out
    assert "指令微调与对齐: stated 2, imported 2" in out
    assert "papers: 2 (2 new, 0 updated, 0 unchanged)" in out
    assert "titles (derived): 2 from a named method or system" in out
    assert "import paper-explorer: 2 done" in err
    data = tmp_path / "data"
    files = sorted(p for p in data.rglob("*") if p.is_file() and p.name != ".lock")
    assert len(list((data / "papers" / "pe").glob("pe-*.json"))) == 2
    before = {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files}
    status, out, _ = run(tmp_path, "with-and-without-tldr.txt", day=None)  # another day
    assert status == 0 and "(0 new, 0 updated, 2 unchanged)" in out
    assert {p: (p.read_bytes(), p.stat().st_mtime_ns) for p in files} == before
    stated = (data / "imports" / "paper-explorer.json").read_text(encoding="utf-8")
    assert '"指令微调与对齐": 2' in stated


def test_a_mismatched_heading_count_is_reported_loudly(tmp_path):
    status, out, err = run(tmp_path, "heading-count-mismatch.txt")
    assert status == 1
    assert "推理与思维链: stated 3, imported 2   <-- MISMATCH" in out
    assert "LLM 预训练: stated 1, imported 1\n" in out
    assert "ERROR: heading '推理与思维链' states 3 papers but 2 were imported" in out
    assert "heading counts do not match" in err
    status, out, _ = run(tmp_path / "dup", "duplicate-abstracts.txt")
    assert status == 1 and "stated 3, imported 2" in out and "again; skipped" in out


def test_cli_has_the_command():
    args = build_parser().parse_args(["import", "paper-explorer", "x.txt", "--date", DAY])
    assert args.func.__name__ == "cmd_import_paper_explorer"
    assert args.date == date(2026, 11, 22)


# --- topic pages in a real build -------------------------------------------------------


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("topics")
    settings = site_settings(tmp_path, PAPERSHELF_LISTING_PAGE_SIZE=1)
    for name in ("with-and-without-tldr.txt", "heading-count-mismatch.txt"):
        run(tmp_path, name)
    Archive(tmp_path / "data").save(
        [Paper(arxiv_id="2512.00001", title="An arXiv paper", announced="2025-12-09")]
    )
    return build(settings)


def test_topic_index_lists_topics_with_counts_and_stated_counts(site):
    index = page(site, "topics/index.html")
    items = [li.get_text(" ", strip=True) for li in index.select("main li")]
    assert items == [
        "指令微调与对齐 2 papers (as the source states)",
        "推理与思维链 2 papers (the source states 3)",
        "LLM 预训练 1 paper (as the source states)",
    ]
    links = [a["href"] for a in index.select("main li a")]
    assert links[1].endswith("topics/推理与思维链/") and links[2].endswith("topics/llm-预训练/")
    assert page(site, "index.html").find("a", string="Topics")


def test_topic_pages_are_paginated_cards_with_summaries(site):
    first = page(site, "topics/指令微调与对齐/index.html")
    assert "指令微调与对齐" in first.h1.get_text()
    cards = first.select("article.card")
    assert len(cards) == 1 and cards[0].select_one(".card-summary").get_text(strip=True)
    assert first.find("a", rel="next")["href"].endswith("topics/指令微调与对齐/page/2/")
    assert (site / "topics/指令微调与对齐/page/2/index.html").is_file()
    assert (site / "topics/llm-预训练/index.html").is_file()


def test_imported_paper_page_has_no_arxiv_links_and_links_its_topic(site):
    paper_pages = sorted((site / "papers").glob("pe-*/index.html"))
    assert len(paper_pages) == 5
    facts = page(site, str(paper_pages[0].relative_to(site))).select_one("dl.facts")
    assert not facts.find("a", href=re.compile("arxiv.org"))
    assert "derived from the paper's text" in facts.get_text()
    assert "imported Nov 22, 2026" in facts.get_text(" ", strip=True)
    assert facts.find("time", datetime=DAY)
    assert facts.find("a", href=re.compile(r"topics/[^/]+/$"))
    arxiv_facts = page(site, "papers/2512.00001/index.html").select_one("dl.facts")
    assert arxiv_facts.find("a", href="https://arxiv.org/abs/2512.00001")


def test_topic_slugs_are_readable_and_safe():
    assert topic_slug("推理与思维链") == "推理与思维链"
    assert topic_slug("Agent 与工具使用") == "agent-与工具使用"
    assert topic_slug("基础/前沿模型 (含LLM)") == "基础-前沿模型-(含llm)"
    assert topic_slug("a?b#c%d") == "a-b-c-d"
    assert topic_slug("../..").startswith("topic-")


# --- the seed ----------------------------------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason=f"seed dump not present: {SEED}")
def test_seed_dump_imports_every_entry_with_per_topic_counts(tmp_path):
    dump = parse_dump(SEED.read_text(encoding="utf-8"))
    assert len(dump.entries) == 803 and len(dump.headings) == 7
    assert sum(h.stated for h in dump.headings) == 803
    assert dump.warnings == [] and all(e.warnings == [] for e in dump.entries)
    assert all(e.abstract and len(e.summary) >= 6 and e.field for e in dump.entries)
    status, out, _ = run(tmp_path, SEED)
    assert status == 0, out
    for heading in dump.headings:
        assert f"{heading.topic}: stated {heading.stated}, imported {heading.stated}\n" in out
    assert "papers: 803 (803 new, 0 updated, 0 unchanged)" in out
    records = Archive(tmp_path / "data").load()
    assert len(records) == 803
    assert all(0 < len(p.title) <= 120 for p in records.values())
    assert sum(p.extra["topic"] == "推理与思维链" for p in records.values()) == 169
    before = tree_bytes(tmp_path / "data")
    assert run(tmp_path, SEED, day=None)[0] == 0
    assert tree_bytes(tmp_path / "data") == before
