"""Parse an arXiv-bot README digest: ranked papers, their AI summaries, the bot's keywords.

The digest reads::

    - **Last Updated**: 2025-12-09 05:56:33 UTC      <- the digest day
    ### 1. [Title](https://arxiv.org/abs/2512.06784)  <- rank, title, link
    **Authors**: A, B, C                              <- "**Key**: value" lines
    **Category**: cs.DC / **Published** / **Score** / **Type** / **ArXiv ID**: 2512.06784v1
    #### Abstract
    The sparse activation mechanism ... edge netw...  <- cut short by the bot
    <details>
    <summary><strong>🤖 AI Summary (by qwen-long)</strong> - Click to expand</summary>
    # Markdown, with headings of its own             <- kept verbatim
    </details>
    ## 🔧 Configuration                               <- the bot's keywords, as a list

Parsing is pure: text in, ``BotDigest`` out. Records and the command are in
``arxiv_bot_import.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from papershelf.model import InvalidArxivId, find_arxiv_id, parse_arxiv_id
from papershelf.text import collapse_whitespace, split_authors

SOURCE = "arxiv-bot"

PAPER_HEADING = re.compile(
    r"^###\s+(?P<rank>\d+)\.\s+(?:\[(?P<linked>.*)\]\((?P<url>[^)\s]*)\)|(?P<bare>.+?))\s*$"
)
FIELD = re.compile(r"^\*\*(?P<key>[^*]+?)\*\*\s*:\s*(?P<value>.*?)\s*$")
LAST_UPDATED = re.compile(r"\*\*Last Updated\*\*\s*:\s*(?P<day>\d{4}-\d{2}-\d{2})")
STATED_TOTAL = re.compile(r"\*\*Total Papers Found\*\*\s*:\s*(?P<count>\d+)")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}")
AI_MODEL = re.compile(r"AI Summary\s*\(by\s*(?P<model>[^)]+?)\s*\)", re.IGNORECASE)
# The bot cuts abstracts and marks the cut with three dots (or an ellipsis character).
TRUNCATION_MARK = re.compile(r"\s*(?:\.\.\.|…)$")
SECTION = re.compile(r"^##\s+(?P<title>.*)$")


@dataclass(frozen=True)
class BotPaper:
    rank: int  # 1-based position in the digest (of its paper headings)
    line: int  # 1-based line of its heading
    arxiv_id: str
    version: int
    title: str
    authors: list[str]
    primary_category: str
    categories: list[str]  # primary first
    published: str  # YYYY-MM-DD, or "" when the bot gave none
    score: float
    announce_type: str
    abstract: str  # without the bot's trailing "..."
    abstract_truncated: bool
    ai_summary: str = ""  # Markdown as the bot wrote it, "" when it has none
    ai_model: str = ""


@dataclass
class BotDigest:
    day: str  # the "Last Updated" day, "" if the file does not say
    papers: list[BotPaper] = field(default_factory=list)
    keywords: list[str] = field(default_factory=list)  # the bot's configuration
    stated_total: int | None = None  # its "Total Papers Found"
    warnings: list[str] = field(default_factory=list)


@dataclass
class _Section:
    """The lines of one paper: a heading, its fields, abstract and details."""

    rank: int
    line: int
    title: str
    url: str
    fields: dict[str, str] = field(default_factory=dict)
    abstract: list[str] = field(default_factory=list)
    details: list[str] = field(default_factory=list)  # between <summary> and </details>
    summary_line: str = ""


def _trim_blank(lines: list[str]) -> list[str]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return lines[filled[0] : filled[-1] + 1] if filled else []


def _split(lines: list[str]) -> tuple[list[_Section], list[str]]:
    """Paper sections and the lines of the configuration section. Headings inside a
    <details> block belong to the AI summary ("### 3.1 Results"), never start a paper."""
    sections: list[_Section] = []
    config: list[str] = []
    current: _Section | None = None
    capture: _Section | None = None  # the paper whose AI summary a <details> block holds
    in_details = in_abstract = in_config = False
    for number, line in enumerate(lines, start=1):
        stripped = line.strip()
        if in_details:
            if stripped == "</details>":
                in_details = False
            elif capture is not None and not capture.summary_line:
                capture.summary_line = stripped if "<summary" in stripped else "<summary>"
                if "<summary" not in stripped:
                    capture.details.append(line)
            elif capture is not None:
                capture.details.append(line)
            continue
        if stripped == "<details>":
            in_details, in_abstract = True, False
            # A paper's first block is its summary; a second one is not taken.
            has_summary = current is None or current.summary_line
            capture = None if has_summary else current
            continue
        heading = PAPER_HEADING.match(line)
        section = SECTION.match(line)
        if heading:
            current = _Section(
                rank=int(heading["rank"]),
                line=number,
                title=collapse_whitespace(heading["linked"] or heading["bare"]),
                url=heading["url"] or "",
            )
            sections.append(current)
            in_abstract = in_config = False
        elif section:
            current, in_abstract = None, False
            in_config = "configuration" in section["title"].lower()
        elif in_config:
            config.append(line)
        elif current is None:
            continue
        elif stripped.lower() == "#### abstract":
            in_abstract = True
        elif stripped == "---" or stripped.startswith("#"):
            in_abstract = False
        elif in_abstract:
            current.abstract.append(line)
        elif match := FIELD.match(stripped):
            current.fields[match["key"].strip().lower()] = match["value"]
    return sections, config


def parse_keywords(config_lines: list[str]) -> list[str]:
    """The bot's keywords: list items, each holding one or more comma-separated terms."""
    keywords: list[str] = []
    for line in config_lines:
        item = re.match(r"^\s*[-*+]\s+(.*)$", line)
        if item:
            keywords += [term.strip() for term in item[1].split(",") if term.strip()]
    return list(dict.fromkeys(keywords))


def _score(value: str, where: str, warnings: list[str]) -> float:
    try:
        return float(value)
    except ValueError:
        if value:
            warnings.append(f"{where}: score {value!r} is not a number; recorded as 0")
        return 0.0


def _paper(section: _Section, rank: int, warnings: list[str]) -> BotPaper | None:
    """One paper, or None (with a warning) when it has no usable arXiv id."""
    where = f"line {section.line} (#{section.rank})"
    fields = section.fields
    from_url = find_arxiv_id(section.url) if "arxiv.org" in section.url else None
    try:
        found = parse_arxiv_id(fields["arxiv id"]) if fields.get("arxiv id") else from_url
    except InvalidArxivId:
        warnings.append(f"{where}: ArXiv ID {fields['arxiv id']!r} is not an arXiv id")
        found = from_url
    if found is None:
        warnings.append(f"{where}: no arXiv id in the ArXiv ID field or the link; skipped")
        return None
    arxiv_id, version = found
    if from_url and from_url[0] != arxiv_id:
        warnings.append(f"{where}: the link says {from_url[0]}, the ArXiv ID {arxiv_id}; took it")
    if section.rank != rank:
        warnings.append(f"{where}: numbered {section.rank} but paper {rank} in the file")
    categories = [c.strip() for c in fields.get("category", "").split(",") if c.strip()]
    published = fields.get("published", "")
    if published and not DAY.match(published):
        warnings.append(f"{where}: published {published!r} is not a date; ignored")
    abstract = collapse_whitespace(" ".join(section.abstract))
    truncated = bool(TRUNCATION_MARK.search(abstract))
    model = AI_MODEL.search(section.summary_line)
    return BotPaper(
        rank=rank,
        line=section.line,
        arxiv_id=arxiv_id,
        version=version or 1,
        title=section.title,
        authors=split_authors(fields.get("authors", "")),
        primary_category=categories[0] if categories else "",
        categories=categories,
        published=published[:10] if DAY.match(published) else "",
        score=_score(fields.get("score", ""), where, warnings),
        announce_type=fields.get("type", "").strip().lower() or "new",
        abstract=TRUNCATION_MARK.sub("", abstract) if truncated else abstract,
        abstract_truncated=truncated,
        ai_summary="\n".join(_trim_blank(section.details)),
        ai_model=model["model"] if model else "",
    )


def parse_arxiv_bot(text: str) -> BotDigest:
    """Every ranked paper of the digest (the first of any repeated id), the digest day,
    the bot's keywords, and warnings. No papers means the text is not a digest."""
    updated = LAST_UPDATED.search(text)
    stated = STATED_TOTAL.search(text)
    digest = BotDigest(
        day=updated["day"] if updated else "",
        stated_total=int(stated["count"]) if stated else None,
    )
    sections, config = _split(text.splitlines())
    digest.keywords = parse_keywords(config)
    seen: dict[str, int] = {}
    for position, section in enumerate(sections, start=1):
        paper = _paper(section, position, digest.warnings)
        if paper is None:
            continue
        if paper.arxiv_id in seen:
            digest.warnings.append(
                f"line {section.line}: {paper.arxiv_id} is listed again (first as "
                f"#{seen[paper.arxiv_id]}); kept the first"
            )
            continue
        seen[paper.arxiv_id] = paper.rank
        digest.papers.append(paper)
    if (
        digest.stated_total is not None
        and digest.papers
        and digest.stated_total != len(digest.papers)
    ):
        digest.warnings.append(
            f"the digest states {digest.stated_total} papers; {len(digest.papers)} were found"
        )
    return digest
