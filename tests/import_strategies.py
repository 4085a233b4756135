"""Hypothesis strategies for the three import formats: awesome-list READMEs,
arXiv-bot digests and paper-explorer dumps, built line by line from the kinds of
line each real file holds (tests/fixtures/awesome, arxiv_bot, paper_explorer)."""

from __future__ import annotations

from hypothesis import strategies as st

from .strategies import arxiv_ids, dates, one_line, phrase

VENUES = ["", "ASPLOS26", "NeurIPS 2025"]
EMOJI = ["📖", "💡", "🚀", "🎯", "❓", "🔍", "🛠️", "📊", "⭐", "✅", ""]


@st.composite
def awesome_sections(draw) -> str:
    """One ``## `` section: a short name with maybe a rating, a title, the paper's line
    (link, affiliations, date, venue), code links, numbered highlights, a body."""
    rating = draw(st.sampled_from(["", " 5", " 4+", " 5？", " 5(TBD)", " 4.5", " 11", " -"]))
    lines = [f"##{draw(st.sampled_from([' ', '  ', '']))}{draw(one_line)}{rating}"]
    if draw(st.booleans()):
        lines.append(draw(one_line))
    if draw(st.booleans()):
        link = draw(
            st.sampled_from(
                [
                    "https://arxiv.org/pdf/{id}",
                    "https://arxiv.org/abs/{id}v2",
                    "arxiv.org/abs/{id}",
                    "https://openreview.net/forum?id=abc",
                    "https://example.org/{id}",
                ]
            )
        ).replace("{id}", draw(arxiv_ids()))
        day = draw(st.one_of(dates.map(lambda d: d.replace("-", ".")), st.just("2025.13.45")))
        lines.append(f"{link} {draw(phrase(4))} {day} {draw(st.sampled_from(VENUES))}")
    for _ in range(draw(st.integers(0, 2))):
        lines.append(
            f"https://github.com/{draw(st.sampled_from(['a/b', 'x/y-z']))} {draw(phrase(3))}"
        )
    for number in range(1, draw(st.integers(0, 4)) + 1):
        lines.append(f"{number}. {draw(st.sampled_from(EMOJI))} {draw(phrase(10))}")
    for _ in range(draw(st.integers(0, 3))):
        lines.append(
            draw(st.one_of(phrase(12), st.sampled_from(["$$x$$", "![](a.png)", "| a |", ""])))
        )
    blank = draw(st.sampled_from(["\n", "\n\n", "\n \n"]))
    return blank.join(lines)


@st.composite
def awesome_documents(draw) -> str:
    head = draw(st.sampled_from(["# Paper notes\n\n", "", "intro line\n"]))
    return head + "\n\n".join(draw(st.lists(awesome_sections(), max_size=5))) + "\n"


@st.composite
def bot_papers(draw, rank: int) -> str:
    arxiv_id = draw(arxiv_ids())
    link = draw(
        st.sampled_from(["https://arxiv.org/abs/{id}", "http://arxiv.org/abs/{id}v3", "{id}"])
    )
    fields = {
        "Authors": ", ".join(draw(st.lists(phrase(3), max_size=4))),
        "Category": draw(st.sampled_from(["cs.LG", "cs.CL", "bogus", ""])),
        "Published": draw(st.one_of(dates, one_line)),
        "Score": draw(st.sampled_from(["11.0", "8.5", "", "high", "nan", "inf", "-3", "1e999"])),
        "Type": draw(st.sampled_from(["new", "cross", "", "REPLACE"])),
        "ArXiv ID": draw(st.sampled_from([arxiv_id, f"{arxiv_id}v2", "2512.99999", "nope"])),
    }
    keys = draw(st.permutations(list(fields)))
    lines = [f"### {rank}. [{draw(one_line)}]({link.replace('{id}', arxiv_id)})", ""]
    lines += [f"**{key}**: {fields[key]}  " for key in keys[: draw(st.integers(0, len(keys)))]]
    lines += ["", "#### Abstract", draw(phrase(30)) + draw(st.sampled_from(["", "..."]))]
    if draw(st.booleans()):
        model = draw(st.sampled_from(["qwen-long", "", "<script>"]))
        lines += [
            "",
            "<details>",
            f"<summary><strong>🤖 AI Summary (by {model})</strong> - Click</summary>",
            "",
            draw(phrase(20)),
            draw(st.sampled_from(["</details>", ""])),
        ]
    return "\n".join(lines) + "\n\n---\n"


@st.composite
def bot_digests(draw) -> str:
    papers = [draw(bot_papers(rank)) for rank in range(1, draw(st.integers(0, 5)) + 1)]
    stated = draw(st.integers(0, 8))
    keywords = ", ".join(draw(st.lists(phrase(2), max_size=4)))
    return (
        "# arXiv Papers Bot 🤖\n\n## 📊 Statistics\n\n"
        f"- **Last Updated**: {draw(st.one_of(dates, one_line))} 05:56:33 UTC\n"
        f"- **Total Papers Found**: {stated}\n\n## 📚 Recent Papers\n\n"
        + "\n".join(papers)
        + f"\n## 🔧 Configuration\n\n- {keywords}\n"
    )


PE_FIELDS = [
    "🎯 研究动机",
    "❓ 解决问题",
    "🔍 现象分析",
    "🛠️ 主要方法",
    "📊 数据与实验",
    "⭐ 主要贡献",
]


@st.composite
def explorer_entries(draw, topic: str) -> list[str]:
    lines = [draw(st.sampled_from(["基础/前沿模型 (含LLM)", "模型架构", topic])), topic]
    if draw(st.booleans()):
        lines.append(
            " ".join("#" + draw(phrase(2, hostile=False)) for _ in range(draw(st.integers(1, 3))))
        )
    if draw(st.booleans()):
        lines.append("TL;DR:" + draw(phrase(12)))
    for name in draw(st.lists(st.sampled_from(PE_FIELDS), max_size=6, unique=True)):
        lines.append(name + draw(phrase(10)))
    if draw(st.booleans()):
        lines.append("查看完整摘要 (Abstract)")
        lines += draw(st.lists(phrase(20), max_size=3))
    return lines


@st.composite
def explorer_dumps(draw) -> str:
    lines = []
    for _ in range(draw(st.integers(0, 3))):
        topic = draw(st.sampled_from(["指令微调与对齐", "模型架构", "推理加速"]))
        count = draw(st.integers(0, 4))
        lines.append(f"{topic}{count} 篇")
        for _ in range(draw(st.integers(0, 3))):
            lines += draw(explorer_entries(topic))
    return "\n".join(lines) + "\n"
