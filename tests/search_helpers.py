"""A small site built for the search tests, and papershelf's browser search code run
under Node (search_node.js) so its results can be compared with lunr.py's."""

from __future__ import annotations

import gzip
import json
import shutil
import subprocess
from pathlib import Path

import pytest

from .sites import FEEDS, ROOT, SHARED, build, fetch, site_settings

SEARCH_FIXTURES = Path(__file__).parent / "fixtures" / "search"
NODE = shutil.which("node")
requires_node = pytest.mark.skipif(
    not NODE or not (ROOT / "node_modules" / "lunr").is_dir(),
    reason="node or node_modules/lunr is missing (make setup installs them)",
)
KEYWORDS = {"LLM": 3.0, "MoE": 3.0, "RL": 2.0}

# English, Chinese, mixed, tag:, prefix, fuzzy, excluded words, and the last word
# matched as a prefix while typing (no trailing space).
QUERIES = [
    "sparse routing",
    "MoE",
    "moe ",
    "专家混合",
    "路由",
    "MoE路由",
    "推理 ",
    "tag:moe",
    'tag:"mixture of experts"',
    "tag:专家混合 ",
    "quant*",
    "attension~1",
    "quantization -security ",
    "reasoning models",
    "llm infer",
    "<img",
    "2512.00001",
    "the",
    "-moe",
]


def run_script(script: str, payload, *args: str):
    """Run one of the tests' Node scripts with ``payload`` as JSON on stdin; its JSON answer."""
    result = subprocess.run(
        [NODE, str(Path(__file__).parent / script), *args],
        input=json.dumps(payload),  # ASCII: a lone surrogate cannot be written as UTF-8
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def run_node(command: str, payload, *args: str):
    return run_script("search_node.js", payload, command, *args)


def build_search_site(tmp_path: Path, **overrides) -> tuple[Path, dict]:
    """Feeds of two days plus the search notes (Chinese, markup in a title, aliases)."""
    settings = site_settings(
        tmp_path,
        ARXIV_KEYWORDS=KEYWORDS,
        SEARCH_DUMP_INDEX=str(tmp_path / "whole-index.json"),
        **overrides,
    )
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True, exist_ok=True)
    for note in SEARCH_FIXTURES.glob("*.md"):
        shutil.copy(note, notes / note.name)
    shutil.copy(SEARCH_FIXTURES / "tags.yml", tmp_path / "content" / "tags.yml")
    for feed in ("day1-cs.CL.new-and-cross.rss.xml", "day2-cs.CL.replace.rss.xml"):
        assert fetch(settings, FEEDS / feed)[0] == 0
    return build(settings), settings


def synthetic_search_files(folder: Path, count: int = 1000):
    """``count`` synthetic papers (from ../shared/seeds when present) indexed as the
    build indexes them, their search files written into ``folder``: returns the
    index builder and the files by name."""
    from papershelf.devtools.synth import load_seed_sentences, synthesise
    from papershelf.search.facets import doc_facets
    from papershelf.search.index import SearchDoc, build_index, ordered
    from papershelf.search.shards import search_files, stored_file
    from papershelf.search.term_cache import TermCache
    from papershelf.search.text import tag_term

    seeds = SHARED / "seeds"
    sentences = load_seed_sentences(seeds if seeds.is_dir() else None)
    docs = []
    for paper in synthesise(count, sentences):
        tags = [(keyword, keyword.lower()) for keyword in paper.matched_keywords]
        docs.append(
            SearchDoc(
                key=paper.arxiv_id,
                date=paper.announced or "",
                url=f"papers/{paper.arxiv_id}/",
                title=paper.title,
                summary=paper.abstract[:160],
                body=paper.abstract,
                authors=tuple(paper.authors),
                categories=" ".join(paper.categories),
                tags=tuple(tags),
                tag_text=" ".join(name for name, _ in tags),
                tag_terms=tuple(tag_term(name) for name, _ in tags),
                facets=doc_facets(paper, None),
            )
        )
    docs = ordered(docs)
    builder = build_index(docs, TermCache(None))
    files = search_files(builder, docs)
    for name, data in files.items():
        stored, stored_bytes = stored_file(name, data)
        (folder / stored).parent.mkdir(parents=True, exist_ok=True)
        (folder / stored).write_bytes(stored_bytes)
    return builder, files


def read_search_file(folder: Path, name: str):
    """One file of a built search index (``s/0.json``, ``meta.json``), as JSON."""
    from papershelf.search.shards import stored_name

    data = (folder / stored_name(name)).read_bytes()
    return json.loads(gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data)


def search_folder_json(folder: Path) -> dict[str, object]:
    """Every file of a built search index, by its name before storing, as JSON."""
    from papershelf.search.shards import STORED_SUFFIX

    names = (p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    return {
        name.removesuffix(STORED_SUFFIX): read_search_file(folder, name.removesuffix(STORED_SUFFIX))
        for name in names
        if name.endswith((".json", STORED_SUFFIX)) and name != "index.html"
    }
