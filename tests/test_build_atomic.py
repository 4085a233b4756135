"""Builds are atomic (a failed build leaves the previous site whole) and
reproducible (the same inputs give byte-identical trees, search shards included)."""

import shutil

import pytest

from papershelf.site import staging
from papershelf.site.build import BuildError

from .search_helpers import build_search_site
from .sites import build, page, tree_bytes

BROKEN_NOTE = "Title: Broken\nArxiv: not-an-id\nDate: 2025-12-01\n\nBody.\n"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    tmp_path = tmp_path_factory.mktemp("first")
    output, settings = build_search_site(tmp_path)
    return tmp_path, output, settings


def test_two_builds_of_the_same_inputs_are_byte_identical(built, tmp_path):
    first_root, first, _ = built
    # The same content and archive, built in another folder with a cold cache.
    shutil.copytree(first_root / "content", tmp_path / "content")
    shutil.copytree(first_root / "data", tmp_path / "data")
    second, _ = build_search_site(tmp_path)
    first_tree, second_tree = tree_bytes(first), tree_bytes(second)
    assert sorted(first_tree) == sorted(second_tree)
    assert any(name.startswith("search/s/") for name in first_tree)
    differing = [name for name in first_tree if first_tree[name] != second_tree[name]]
    assert not differing, differing[:10]


def test_a_rebuild_from_the_cache_equals_a_fresh_build(built):
    _, output, settings = built
    before = tree_bytes(output)
    build(settings)
    assert tree_bytes(output) == before


def test_a_failed_build_leaves_the_previous_site_whole(built, caplog):
    root, output, settings = built
    before = tree_bytes(output)
    note = root / "content" / "notes" / "broken.md"
    note.write_text(BROKEN_NOTE, encoding="utf-8")
    try:
        with pytest.raises(BuildError) as error:
            build(settings)
    finally:
        note.unlink()
    assert "problem(s) in notes" in str(error.value)
    assert "broken.md:2: 'not-an-id' is not an arXiv id" in caplog.text
    assert tree_bytes(output) == before
    assert not staging.staging_folder(output).exists()


def test_a_removed_paper_leaves_no_page_behind(tmp_path):
    output, settings = build_search_site(tmp_path)
    assert (output / "papers/markup-title/index.html").is_file()
    (tmp_path / "content" / "notes" / "markup-title.md").unlink()
    build(settings)
    assert not (output / "papers/markup-title").exists()
    assert page(output, "index.html").find("a", href=lambda href: "markup-title" in href) is None


def test_a_build_killed_while_committing_is_repaired_by_the_next(built):
    _, output, settings = built
    before = tree_bytes(output)
    page_file = output / "papers/chinese-moe-routing/index.html"
    page_file.write_text("half of an old page")  # as if the move had stopped here
    marker = output.with_name(output.name + staging.COMMITTING_SUFFIX)
    marker.touch()
    build(settings)
    assert not marker.exists()
    assert tree_bytes(output) == before  # every file written again, none trusted


def test_unchanged_files_stay_in_place_and_nothing_is_left_beside(built):
    _, output, settings = built
    paper = output / "papers/chinese-moe-routing/index.html"
    shard = next((output / "search" / "s").iterdir())
    inodes = {path: path.stat().st_ino for path in (paper, shard)}
    build(settings)
    assert {path: path.stat().st_ino for path in inodes} == inodes  # not written again
    assert not staging.staging_folder(output).exists()
    assert sorted(p.name for p in output.parent.iterdir() if p.name.startswith("output")) == [
        "output"
    ]
