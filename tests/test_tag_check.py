"""Near-duplicate tags: reported by ``papershelf check`` until an alias joins them."""

import io

from papershelf.notes.commands import run_check
from papershelf.notes.tag_check import loose_key, near_duplicates, shared_pages
from papershelf.notes.tags import parse_aliases

from .sites import site_settings

NO_ALIASES = parse_aliases("")


def test_endings_case_and_separators_do_not_make_a_new_tag():
    assert loose_key("LLM Agents") == loose_key("llm agent")
    assert loose_key("Chain-of-Thought") == loose_key("chain of thoughts")
    assert loose_key("Speculative Decoding") != loose_key("Speculative Sampling")


def test_one_warning_per_group_naming_where_a_spelling_is_used():
    uses = [
        ("Pre-training", "notes/a.md:3"),
        ("pretraining", "archive record 2512.00001"),
        ("pre training", "notes/b.md:4"),  # the same tag as the first: not a third spelling
        ("Speculative Decoding", "notes/c.md:3"),
    ]
    [warning] = near_duplicates(uses, NO_ALIASES)
    assert warning.names == ("Pre-training", "pretraining")
    assert warning.where == "archive record 2512.00001"  # the first, sorted
    assert "look like one tag" in str(warning) and "tags.yml" in str(warning)


def test_an_alias_silences_the_warning():
    aliases = parse_aliases("Pre-training:\n  aliases: [pretraining]\n")
    assert near_duplicates([("Pre-training", "x"), ("pretraining", "y")], aliases) == []


def test_check_prints_warnings_and_still_succeeds(tmp_path):
    settings = site_settings(tmp_path)
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    for name, tags in (("a", "Pre-training"), ("b", "pretraining")):
        (notes / f"{name}.md").write_text(
            f"Title: Paper {name}\nDate: 2025-12-01\nTags: {tags}\n\nBody.\n", encoding="utf-8"
        )
    out = io.StringIO()
    assert run_check(settings["PAPERSHELF_VALIDATED"], out=out) == 0
    lines = out.getvalue().splitlines()
    assert any(
        line.endswith("look like one tag (list the others as aliases of one in tags.yml)")
        and "a.md:3: warning: tags 'Pre-training' and 'pretraining'" in line
        for line in lines
    ), lines
    assert lines[-1] == "2 notes checked, 0 problems, 1 warnings"


def test_different_tags_that_would_share_a_page_are_reported(tmp_path):
    from pelican.urlwrappers import Tag

    settings = site_settings(tmp_path)
    notes = tmp_path / "content" / "notes"
    notes.mkdir(parents=True)
    for name, tags in (("a", "C"), ("b", "C++"), ("c", "长上下文")):
        (notes / f"{name}.md").write_text(
            f"Title: Paper {name}\nDate: 2025-12-01\nTags: {tags}\n\nBody.\n", encoding="utf-8"
        )
    out = io.StringIO()
    status = run_check(
        settings["PAPERSHELF_VALIDATED"], out=out, tag_page=lambda name: Tag(name, settings).url
    )
    assert status == 0
    lines = out.getvalue().splitlines()
    assert any(
        "a.md:3: warning: tags 'C' and 'C++' are different but share the page tags/c/" in line
        for line in lines
    ), lines
    assert lines[-1] == "3 notes checked, 0 problems, 1 warnings"


def test_shared_pages_groups_by_url_not_by_spelling():
    uses = [("RL", "x"), ("rl", "y"), ("R.L.", "z")]
    [warning] = shared_pages(uses, NO_ALIASES, page_of=lambda name: "tags/rl/")
    assert warning.names == ("R.L.", "RL") and warning.url == "tags/rl/"
