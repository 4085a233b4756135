"""``papershelf import awesome-notes``: the parser's cases, the writer's rules, the seed."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import pytest

from papershelf.archive import ArchiveError
from papershelf.cli import main
from papershelf.importers.awesome_notes import parse_awesome_notes
from papershelf.importers.fields import parse_meta, split_affiliations, split_rating
from papershelf.importers.writing import (
    KEPT_EDITED,
    KEPT_FOREIGN,
    NEW,
    UNCHANGED,
    UPDATED,
    decide,
    run_import_awesome_notes,
    sha256,
)
from papershelf.notes.check import check_notes
from papershelf.notes.format import parse_note
from papershelf.notes.tags import load_aliases
from papershelf.settings import DEFAULT_KEYWORDS

from .sites import ROOT, SHARED, site_settings, tree_bytes

FIXTURES = Path(__file__).parent / "fixtures" / "awesome"
SEED = SHARED / "seeds" / "awesome-paper-notes.md"
ALIASES = load_aliases(ROOT / "content" / "tags.yml")
TODAY = "2026-01-02"


def parse(name: str):
    text = (FIXTURES / name).read_text(encoding="utf-8")
    return parse_awesome_notes(
        text, canonical_tag=ALIASES.canonical, keywords=DEFAULT_KEYWORDS, today=TODAY
    )


def by_heading(name: str) -> dict:
    notes, _ = parse(name)
    return {note.source.split(" (line")[0].removeprefix("## "): note for note in notes}


@pytest.mark.parametrize("name", sorted(p.name for p in FIXTURES.glob("*.md")))
def test_every_imported_note_passes_check(name):
    notes, _ = parse(name)
    assert notes
    assert check_notes([(note.filename, note.text()) for note in notes], ALIASES) == []
    assert len({note.filename for note in notes}) == len(notes)


# --- headings and ratings ------------------------------------------------------------


@pytest.mark.parametrize(
    ("heading", "name", "value", "mark"),
    [
        ("FastGRO 4+", "FastGRO", "4.5", None),
        ("渐进训练 5", "渐进训练", "5", None),
        ("CAT KV压缩 5？", "CAT KV压缩", "5", "？"),
        ("Plain 3?", "Plain", "3", "?"),
        ("Vibe Thinking 5(TBD)", "Vibe Thinking", "5", "(TBD)"),
        ("EBM（能量校准）4", "EBM（能量校准）", "4", None),
        ("MR-GPTQ W4A4 FP4", "MR-GPTQ W4A4 FP4", None, None),
        ("2-GRPO", "2-GRPO", None, None),
        ("MoE R3 ", "MoE R3", None, None),
        ("FP16", "FP16", None, None),
        ("Qwen3", "Qwen3", None, None),
        ("5", "5", None, None),  # a name, not a rating of nothing
    ],
)
def test_split_rating_takes_only_a_trailing_standalone_token(heading, name, value, mark):
    short_name, rating = split_rating(heading)
    assert short_name == name
    assert (rating.value if rating else None) == value
    assert (rating.mark if rating else None) == mark


def test_rating_suffixes_become_ratings_and_doubts_stay_visible():
    notes = by_heading("rating-suffixes.md")
    ratings = {heading: parse_note(note.text()).text("rating") for heading, note in notes.items()}
    assert ratings == {
        "FastGRO 4+": "4.5",
        "渐进训练 5": "5",
        "CAT KV压缩 5？": "5",
        "Plain ASCII unsure 3?": "3",
        "Vibe Thinking 5(TBD)": "5",
        "EBM（能量校准）4": "4",
        "MR-GPTQ W4A4 FP4": "",
        "2-GRPO": "",
        "MoE R3": "",
        "NVFP4训练 5": "5",
        "FP16": "",
    }
    assert notes["CAT KV压缩 5？"].body.startswith("*Curator's rating: 5？ (marked unsure")
    assert "5(TBD) (marked to be decided" in notes["Vibe Thinking 5(TBD)"].body
    assert notes["FastGRO 4+"].body == ""
    assert notes["FastGRO 4+"].values["title"] == "FastGRO"  # no full-title line


# --- the head: titles, links, dates, affiliations, venues ------------------------------


def test_sections_with_little_in_them_still_become_notes():
    notes = by_heading("title-only-section.md")
    lost = notes["多轮迷失"]
    assert lost.values["title"] == "LLMs Get Lost In Multi-Turn Conversation"
    assert lost.values["aliases"] == ["多轮迷失"]
    assert lost.values["date"] == "2025-05-09"
    assert lost.values["links"] == ["https://mp.weixin.qq.com/s/mWqtMjgHtXqI_ho4qQcHOQ"]
    assert lost.body == "" and "highlights" in lost.missing
    bare = notes["Only A Heading"]
    assert bare.values["title"] == "Only A Heading" and bare.values["aliases"] == []
    assert bare.filename == "only-a-heading.md"
    assert bare.found["date"] == "2025-05-09 (section above)"
    sparse = notes["稀疏更新"]
    assert sparse.values["affiliations"] == ["田渊栋等"]
    assert sparse.values["lang"] == "zh"
    assert sparse.body.startswith("这篇论文")
    assert notes["FSA"].body.startswith("FSA通过")


def test_paper_lines_give_affiliations_venue_date_and_remarks():
    notes = by_heading("link-line-fields.md")
    tlt = notes["Adaptive 投机 TLT"].values
    assert tlt["arxiv"] == "2511.16665"
    assert tlt["affiliations"] == ["MIT", "NVIDIA", "韩松团队等"]
    assert (tlt["venue"], tlt["date"]) == ("ASPLOS26", "2025-11-21")
    assert tlt["code"] == ["https://github.com/mit-han-lab/fastrl"]
    assert tlt["links"] == ["https://mp.weixin.qq.com/s/yJ5C9w3Hdc5g91QCUaID3Q"]
    assert tlt["aliases"] == ["Adaptive 投机 TLT"]
    assert "fastrl 基于verl（fsdp+sglang）" in notes["Adaptive 投机 TLT"].body
    cat = notes["CAT KV压缩"]
    assert cat.values["affiliations"] == ["纽约大学等"]
    assert cat.body.startswith("压缩token，加速效果不错")
    vattention = notes["vAttention"]
    assert vattention.values["affiliations"] == ["UCB等"]
    assert vattention.body.startswith("针对LLM 长序列生成")
    assert notes["Seer"].values["affiliations"] == ["Moonshot AI"]
    honesty = notes[
        "Honesty over Accuracy: Trustworthy Language Models through Reinforced Hesitation"
    ]
    assert honesty.values["date"] == "2024-11-14"  # as the curator wrote it…
    assert any("long before arXiv 2511.11500" in w for w in honesty.warnings)  # …but reported
    assert honesty.values["affiliations"] == ["丰田研究院（芝加哥）", "UCSD等"]
    tool = notes["ToolOrchestra"].values
    assert (tool["arxiv"], tool["date"], tool["affiliations"]) == ("", "2025-11-26", ["NVIDIA"])
    bigbang = notes["bigbang"]
    assert bigbang.values["arxiv"] == "2510.00129"  # www.arxiv.org
    assert bigbang.values["affiliations"] == ["上海", "超对称公司（SuperSymmetry Tech）"]
    assert bigbang.values["code"] == [
        "https://huggingface.co/SuperSymmetryTechnologies/BigBang-Proton"
    ]
    assert "https://arxiv.org/abs/2412.00129" in bigbang.body  # a related paper, in the text


def test_other_paper_links_are_kept_as_links():
    notes = by_heading("openreview-link.md")
    gated = notes["Gated Attn for LLM"]
    assert gated.values["arxiv"] == ""
    assert gated.values["links"][0] == "https://openreview.net/pdf?id=1b7whO4SfY"
    assert (gated.values["venue"], gated.values["affiliations"]) == ("NIPS25", ["ali Qwen"])
    assert gated.body.startswith("**门控机制的有效性已经被广泛证实**")
    assert len(gated.values["summary"].splitlines()) == 3
    ultra = notes["UltraAttn"].values
    assert ultra["links"] == ["https://dl.acm.org/doi/pdf/10.1145/3712285.3759894"]
    assert (ultra["venue"], ultra["affiliations"]) == ("SC25", ["翟季冬团队"])
    assert notes["IMO bench"].values["venue"] == "EMNLP 2025"  # from the ACL Anthology link
    assert notes["TALE"].values["venue"] == "TACL"
    jet = notes["Jet-Nemotron"]
    assert jet.values["arxiv"] == "" and jet.values["links"] == ["https://arxiv.org/abs508.15884"]
    assert any("holds no valid id" in warning for warning in jet.warnings)


@pytest.mark.parametrize(
    ("text", "affiliations", "venues", "dates", "comments"),
    [
        (
            "MIT NVIDIA 韩松团队等 2025.11.21 ASPLOS26",
            ["MIT", "NVIDIA", "韩松团队等"],
            ["ASPLOS26"],
            ["2025-11-21"],
            [],
        ),
        ("兰州大学 2025.9.26 ICLR 2026投稿", ["兰州大学"], ["ICLR 2026投稿"], ["2025-09-26"], []),
        ("2025.10.20 CMU, UCSD, 阶跃", ["CMU", "UCSD", "阶跃"], [], ["2025-10-20"], []),
        ("Google DeepMind", ["Google DeepMind"], [], [], []),
        ("Tri Dao等", ["Tri Dao等"], [], [], []),
        ("NeurIPS25 EMNLP 2025", [], ["NeurIPS25", "EMNLP 2025"], [], []),
        ("2025.13.40", [], [], [], []),
        (
            "纽约大学等2025.11.7 压缩token，效果不错；",
            ["纽约大学等"],
            [],
            ["2025-11-07"],
            ["压缩token，效果不错；"],
        ),
    ],
)
def test_parse_meta(text, affiliations, venues, dates, comments):
    meta = parse_meta(text)
    assert meta.affiliations == affiliations
    assert meta.venues == venues
    assert meta.dates == dates
    assert meta.comments == comments


def test_split_affiliations_keeps_multi_word_names_and_brackets():
    assert split_affiliations("McGill University & UC Berkeley") == [
        "McGill University",
        "UC Berkeley",
    ]
    assert split_affiliations("清华 纽约 字节等") == ["清华", "纽约", "字节等"]
    assert split_affiliations("Rice, AWS，UCSD") == ["Rice", "AWS", "UCSD"]


# --- highlights and the body ------------------------------------------------------------


def test_highlights_with_and_without_emoji():
    notes = by_heading("highlight-variants.md")
    summary = {heading: note.values["summary"].splitlines() for heading, note in notes.items()}
    assert summary["Honesty"][0] == "LLMs 极少拒绝回答。"  # numbered, no emoji, before any prose
    assert len(summary["EBM 4"]) == 3  # emoji only on the last one
    assert summary["EPPO 采样遗忘"][-1] == "🚀 EEPO始终优于GRPO。"
    assert notes["EPPO 采样遗忘"].body.startswith("4. EEPO (Exploration-Enhanced")
    assert summary["训练表征变化"] == [
        "这项研究揭示了预训练过程中一致的非单调三阶段几何演化。",  # its emoji lost
        "🧠 研究发现，这些几何阶段源于交叉熵优化。",
        "🔄 后训练阶段进一步改变了几何结构。",
    ]
    assert notes["训练表征变化"].body.startswith("<img width=")
    # A numbered list after prose, without emoji, is part of the text.
    assert summary["OWL"] == []
    assert "1. LongSpecBench新基准测试。" in notes["OWL"].body


def test_bodies_keep_math_images_and_tables_verbatim():
    source = (FIXTURES / "math-and-images.md").read_text(encoding="utf-8")
    note = by_heading("math-and-images.md")["Metis-HOME"]
    assert note.values["summary"].splitlines()[0] == (
        "✨ 本文提出了 Metis-HOME 框架，这是一种混合优化专家混合（MoE）模型。"
    )
    assert note.body.startswith('<img width="780"')
    assert note.body in source + "\n"  # every line as written, in order
    assert parse_note(note.text()).body == note.body
    assert note.values["lang"] == "zh"
    assert note.values["tags"] == ["MoE"]  # "Mixture of Experts" is an alias of MoE


# --- dates, duplicates, odd headings -------------------------------------------------------


def test_missing_dates_fall_back_and_duplicates_never_collide():
    notes, warnings = parse("dates-and-duplicates.md")
    found = {note.source.split(" (line")[0]: note for note in notes}
    assert found["## Undated, no link"].found["date"] == "2025-10-20 (section below)"
    assert found["## Undated with an arXiv id"].found["date"] == "2025-09-01 (arXiv month)"
    assert found["## Undated without an arXiv id"].found["date"] == "2025-10-20 (section above)"
    again = found["## The first paper again"]
    assert again.values["arxiv"] == "" and again.filename == "the-first-paper-again.md"
    assert again.values["links"] == ["https://arxiv.org/abs/2510.20000"]
    assert "merge the two by hand" in again.warnings[0]
    assert [n.filename for n in notes if n.source.startswith("## Twin")] == ["twin.md", "twin-2.md"]
    assert "'##开源模型 IOI金牌' looks like a heading without a space" in warnings[0]


def test_a_file_without_dates_uses_today():
    notes, _ = parse_awesome_notes("## Lonely\n", keywords=DEFAULT_KEYWORDS, today=TODAY)
    assert notes[0].values["date"] == TODAY
    assert notes[0].text() == f"Title: Lonely\nDate: {TODAY}\nLang: en\n\n\n"


# --- writing: idempotent, never over a hand edit --------------------------------------------


@pytest.mark.parametrize(
    ("new", "current", "recorded", "expected"),
    [
        (b"a", None, None, NEW),
        (b"a", None, sha256(b"a"), NEW),  # deleted: written again
        (b"a", b"a", sha256(b"a"), UNCHANGED),
        (b"a", b"a", None, UNCHANGED),  # identical: adopted
        (b"b", b"a", sha256(b"a"), UPDATED),
        (b"b", b"edited", sha256(b"a"), KEPT_EDITED),
        (b"b", b"mine", None, KEPT_FOREIGN),
    ],
)
def test_decide(new, current, recorded, expected):
    assert decide(new, current, recorded) == expected


@pytest.fixture
def options(tmp_path):
    return site_settings(tmp_path)["PAPERSHELF_VALIDATED"]


def run(options, source: Path) -> str:
    out = io.StringIO()
    status = run_import_awesome_notes(
        options, source, out=out, err=io.StringIO(), today=date(2026, 1, 2)
    )
    assert status == 0
    return out.getvalue()


def test_running_twice_changes_no_byte(tmp_path, options):
    first = run(options, FIXTURES / "link-line-fields.md")
    assert "7 sections -> 7 notes: 7 new" in first
    notes_dir, state = tmp_path / "content" / "notes", tmp_path / "data" / "imports"
    assert (state / "awesome-notes.json").is_file()
    before = tree_bytes(tmp_path)
    second = run(options, FIXTURES / "link-line-fields.md")
    assert tree_bytes(tmp_path) == before
    assert "7 unchanged" in second
    assert sorted(p.name for p in notes_dir.iterdir())[0] == "2510.00129.md"


def test_notes_are_tagged_with_the_configured_keywords(tmp_path):
    def tags_of_notes(site: Path, keywords: dict) -> dict:
        site.mkdir()
        options = site_settings(site, ARXIV_KEYWORDS=keywords)["PAPERSHELF_VALIDATED"]
        run(options, FIXTURES / "link-line-fields.md")
        notes = sorted(Path(options["PAPERSHELF_NOTES_DIR"]).glob("*.md"))
        tags = {
            path.name: parse_note(path.read_text(encoding="utf-8")).items("tags") for path in notes
        }
        return {name: names for name, names in tags.items() if names}

    assert tags_of_notes(tmp_path / "a", {"Attention": 1.0, "Sparse": 1.0}) == {
        "2511.05313.md": ["Attention"],
        "2510.05688.md": ["Attention", "Sparse"],
    }
    assert tags_of_notes(tmp_path / "b", {"Fast": 1.0}) == {"2511.14617.md": ["Fast"]}


def test_hand_edits_and_foreign_notes_are_never_overwritten(tmp_path, options):
    source = tmp_path / "list.md"
    source.write_text(
        "## One\nhttps://arxiv.org/abs/2511.00001 2025.11.1\n\n"
        "## Two\nhttps://arxiv.org/abs/2511.00002 2025.11.2\n\n"
        "## Three\nhttps://arxiv.org/abs/2511.00003 2025.11.3\n",
        encoding="utf-8",
    )
    run(options, source)
    notes_dir = tmp_path / "content" / "notes"
    edited = notes_dir / "2511.00001.md"
    edited.write_text(edited.read_text() + "My own words.\n", encoding="utf-8")
    (notes_dir / "2511.00002.md").unlink()
    foreign = notes_dir / "2511.00004.md"
    foreign.write_text("Title: Mine\nDate: 2025-11-04\n\nHand-made.\n", encoding="utf-8")
    source.write_text(
        source.read_text().replace("## One", "## One 5").replace("## Three", "## Three 4")
        + "\n## Four\nhttps://arxiv.org/abs/2511.00004 2025.11.4\n",
        encoding="utf-8",
    )
    report = run(options, source)
    assert "-> 2511.00001.md: kept (edited by hand)" in report
    assert "-> 2511.00002.md: new" in report
    assert "-> 2511.00003.md: updated" in report
    assert "-> 2511.00004.md: kept (not written by this importer)" in report
    assert edited.read_text().endswith("My own words.\n")
    assert foreign.read_text().endswith("Hand-made.\n")
    assert parse_note((notes_dir / "2511.00003.md").read_text()).text("rating") == "4"
    again = run(options, source)  # still kept, and nothing else to do
    assert "kept (edited by hand)" in again and "1 unchanged" not in again
    assert "0 new, 0 updated, 2 unchanged" in again


def test_cli_imports_into_the_content_notes_folder(tmp_path, capsys):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(
        f"PATH = {str(tmp_path / 'content')!r}\nARXIV_ARCHIVE_PATH = {str(tmp_path / 'data')!r}\n"
    )
    (tmp_path / "content").mkdir()
    source = FIXTURES / "title-only-section.md"
    assert main(["--settings", str(settings), "import", "awesome-notes", str(source)]) == 0
    out, err = capsys.readouterr()
    assert "[2] ## Only A Heading (line 8) -> only-a-heading.md: new" in out
    assert "4 sections -> 4 notes: 4 new" in out
    assert "[4/4] import awesome-notes" in err
    assert (tmp_path / "content" / "notes" / "only-a-heading.md").is_file()
    other = tmp_path / "elsewhere"
    argv = ["--settings", str(settings), "import", "awesome-notes", str(source)]
    assert main([*argv, "--notes-dir", str(other)]) == 0
    assert len(list(other.glob("*.md"))) == 4


def test_a_broken_state_file_stops_the_import_with_a_message(tmp_path, options):
    state = tmp_path / "data" / "imports" / "awesome-notes.json"
    state.parent.mkdir(parents=True)
    state.write_text("{not json")
    with pytest.raises(ArchiveError, match="awesome-notes.json: not valid JSON"):
        run(options, FIXTURES / "title-only-section.md")


def test_cli_reports_a_missing_file(tmp_path, capsys):
    settings = tmp_path / "pelicanconf.py"
    settings.write_text(f"PATH = {str(tmp_path)!r}\n")
    assert main(["--settings", str(settings), "import", "awesome-notes", "nope.md"]) == 2
    assert "nope.md" in capsys.readouterr().err


# --- the real list ----------------------------------------------------------------------------


@pytest.mark.skipif(not SEED.is_file(), reason="../shared/seeds/awesome-paper-notes.md not present")
def test_the_seed_list_imports_completely():
    text = SEED.read_text(encoding="utf-8")
    notes, _ = parse_awesome_notes(
        text, canonical_tag=ALIASES.canonical, keywords=DEFAULT_KEYWORDS, today=TODAY
    )
    headings = [line[3:] for line in text.splitlines() if line.startswith("## ")]
    assert len(notes) == len(headings) == 66
    assert sum(bool(note.values["arxiv"]) for note in notes) >= 55
    # Every rating in a heading is kept: a trailing 1-5, "+" for a half, "?"/"？"/"(TBD)".
    expected = {}
    for heading in headings:
        match = re.search(r"(?:^|[\s）)])([1-5])(\+?)\s*(?:[?？]|\(TBD\))?\s*$", heading)
        expected[heading.strip()] = str(int(match[1]) + 0.5 * bool(match[2])) if match else ""
    got = {note.source[3 : note.source.rindex(" (line")]: note.values["rating"] for note in notes}
    assert {k: v.removesuffix(".0") for k, v in expected.items()} == got
    assert sum(bool(v) for v in got.values()) == 10
    assert check_notes([(note.filename, note.text()) for note in notes], ALIASES) == []
    assert all(note.values["date"] for note in notes)
