"""One tag per concept: English inflections join under one spelling, tags.yml can
keep two apart, the old URL of a joined spelling redirects, search finds every
spelling, and the demo's tags are all decided."""

import io
import re

import pytest

from papershelf.config import load_settings
from papershelf.errors import AliasFileError
from papershelf.notes.commands import run_check
from papershelf.notes.tags import inflection_joins, inflection_key, parse_aliases

from .search_helpers import run_node
from .sites import ROOT, build, page, tree_bytes

NO_ALIASES = parse_aliases("")


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("language models", "Language Model"),
        ("LLMs", "LLM"),
        ("MoEs", "MoE"),
        ("LoRAs", "LoRA"),
        ("KV Caches", "KV cache"),
        ("processes", "Process"),
        ("strategies", "strategy"),
        ("Biases", "bias"),
        ("LLMs-as-judges", "LLM as judge"),
        ("Large Language Models (LLMs)", "large language models (LLM)"),
        ("Multimodal Large Language Models", "multimodal large language model"),
    ],
)
def test_plurals_and_acronym_plurals_share_a_key(one, other):
    assert inflection_key(one) == inflection_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [("Efficient", "Efficiency"), ("analysis", "analyses"), ("Decode", "Decoding"), ("模型", "模")],
)
def test_other_endings_are_other_tags(one, other):
    assert inflection_key(one) != inflection_key(other)


def test_the_most_used_spelling_wins_then_the_listed_then_the_shortest():
    uses = {"language model": 8, "language models": 18, "Language Models": 1}
    # "Language Models" is "language models" in another case: the slug joins those.
    assert inflection_joins(uses, NO_ALIASES) == {"language model": "language models"}
    assert inflection_joins({"Agents": 2, "Agent": 2}, NO_ALIASES) == {"Agents": "Agent"}
    listed = parse_aliases("Agents:\n  aliases: [Agentic]\n")
    assert inflection_joins({"Agents": 1, "Agent": 5}, listed) == {"Agent": "Agents"}


def test_keep_apart_opts_out_of_the_join_and_of_aliases():
    aliases = parse_aliases("Transformers:\n  keep_apart: [Transformer]\nLLM:\n  aliases: [x]\n")
    assert inflection_joins({"Transformers": 3, "Transformer": 1}, aliases) == {}
    assert aliases.canonical("transformer") == "transformer"
    assert aliases.canonical("LLMs") == "LLM"  # an inflection of a listed tag is that tag


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ("MoE:\n  aliases: [a]\nRL:\n  keep_apart: Reinforcement\n", 3, "must be a list"),
        ("MoE:\n  alias: [a]\n", 1, "unknown key 'alias'"),
        ("MoE:\n  aliases: [a]\n\nRL:\n  keep_apart: [{x: y}]\n", 4, "is not a tag name"),
        ("MoE:\n  aliases: [Mixture of Experts]\n  keep_apart: [mixture of experts]\n", 1, "kept"),
    ],
)
def test_a_bad_entry_is_one_error_naming_file_and_line(text, line, words):
    with pytest.raises(AliasFileError) as caught:
        parse_aliases(text, "content/tags.yml")
    message = str(caught.value)
    assert message.startswith(f"content/tags.yml:{line}: "), message
    assert words in message and "(" in message  # and how to fix it


NOTES = {
    "a.md": "Title: Scaling one\nDate: 2025-12-01\nTags: language model\n\nBody.\n",
    "b.md": "Title: Scaling two\nDate: 2025-12-02\nTags: language model\n\nBody.\n",
    "c.md": "Title: Plural three\nDate: 2025-12-03\nTags: language models, Transformers\n\nBody.\n",
    "d.md": "Title: Single four\nDate: 2025-12-04\nTags: Transformer\n\nBody.\n",
    # A plural of a tag tags.yml names: that tag, without an alias for it.
    "e.md": "Title: Acronym five\nDate: 2025-12-05\nTags: LLMs\n\nBody.\n",
    "f.md": "Title: Acronym six\nDate: 2025-12-06\nTags: LLM\n\nBody.\n",
}


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from .sites import site_settings

    tmp_path = tmp_path_factory.mktemp("joins")
    settings = site_settings(tmp_path, SEARCH_DUMP_INDEX=str(tmp_path / "whole.json"))
    (tmp_path / "content" / "tags.yml").write_text(
        "Transformers:\n  keep_apart: [Transformer]\nLLM:\n  aliases: [Large Language Model]\n",
        encoding="utf-8",
    )
    notes = tmp_path / "content" / "notes"
    notes.mkdir()
    for name, text in NOTES.items():
        (notes / name).write_text(text, encoding="utf-8")
    return build(settings), settings


def titles(soup) -> list[str]:
    return sorted(a.get_text(strip=True) for a in soup.select(".card-title a"))


def test_inflections_are_one_tag_page_under_the_most_used_spelling(site):
    site, _ = site
    listing = page(site, "tags/language-model/index.html")
    assert titles(listing) == ["Plural three", "Scaling one", "Scaling two"]
    assert "language models" in listing.select_one(".aliases").get_text()
    paper = page(site, "papers/c/index.html")
    chips = [a.get_text(strip=True) for a in paper.select('a[href*="tags/"]')]
    assert "language model" in chips and "language models" not in chips
    # Kept apart in tags.yml: two tags, two pages.
    assert titles(page(site, "tags/transformers/index.html")) == ["Plural three"]
    assert titles(page(site, "tags/transformer/index.html")) == ["Single four"]
    llm = page(site, "tags/llm/index.html")
    assert titles(llm) == ["Acronym five", "Acronym six"]
    assert "LLMs" in llm.select_one(".aliases").get_text()


def test_the_old_url_redirects_without_a_script(site):
    site, _ = site
    moved = page(site, "tags/language-models/index.html")
    refresh = moved.select_one('meta[http-equiv="refresh"]')["content"]
    target = re.fullmatch(r"0; url=(\S+)", refresh).group(1)
    assert target.endswith("tags/language-model/")
    assert (site / "tags" / "language-models" / target / "index.html").resolve().is_file()
    assert moved.select_one('meta[name="robots"]')["content"] == "noindex"
    assert moved.select_one('link[rel="canonical"]')["href"].endswith("tags/language-model/")
    assert moved.select_one("main a")["href"] == target and not moved.select("script")
    assert "tags/language-models/" not in (site / "sitemap.xml").read_text(encoding="utf-8")


def test_search_finds_the_tag_by_either_spelling(site):
    site, _ = site
    queries = [['tag:"language model"', "relevance"], ['tag:"language models"', "relevance"]]
    singular, plural = run_node("find", queries, str(site / "search"))
    assert len(singular) == 3 and sorted(singular) == sorted(plural)


def test_a_rebuild_with_nothing_changed_renders_no_tag_page_again(site):
    site, settings = site
    before = tree_bytes(site)
    pages = [site / "tags/language-models/index.html", site / "tags/language-model/index.html"]
    mtimes = [path.stat().st_mtime_ns for path in pages]
    build(settings)
    assert tree_bytes(site) == before
    assert [path.stat().st_mtime_ns for path in pages] == mtimes  # kept by the render cache


def test_the_demo_has_no_tag_warning(monkeypatch):
    from pelican.urlwrappers import Tag

    monkeypatch.chdir(ROOT)  # as `papershelf check` runs: from the project
    settings = load_settings("pelicanconf.py")
    out = io.StringIO()
    run_check(settings["PAPERSHELF_VALIDATED"], out=out, tag_page=lambda n: Tag(n, settings).url)
    lines = out.getvalue().splitlines()
    assert not [line for line in lines if ": warning: tags " in line], lines
    assert re.fullmatch(r"\d+ notes checked, 0 problems, 0 warnings", lines[-1])
