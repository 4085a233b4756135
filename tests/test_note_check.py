"""``papershelf check``: each kind of problem, with its line and its fix."""

from pathlib import Path

import pytest

from papershelf.notes.check import SiteIndex, check_notes
from papershelf.notes.tags import parse_aliases

NOTES = Path(__file__).parent / "fixtures" / "notes"
ALIASES = parse_aliases("MoE:\n  aliases: [Mixture of Experts, 专家混合]\n")
SITE = SiteIndex(papers={"2512.00006"}, days={"2025-12-09"}, categories={"cs.CL"})


def problems(text, path="notes/a.md", site=SITE):
    return [str(p) for p in check_notes([(path, text)], ALIASES, site)]


def test_complete_note_is_clean():
    assert problems((NOTES / "complete-note.md").read_text()) == []


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        ("Date: 2025-12-01", "notes/a.md:1: missing 'Title' (add 'Title: …')"),
        ("Title: T", "notes/a.md:1: missing 'Date' (add 'Date: …')"),
        (
            "Title: T\nDate: 2025-12-01\nRaiting: 5",
            "notes/a.md:3: unknown key 'raiting' (did you mean 'Rating'?)",
        ),
        (
            "Title: T\nDate: 2025-12-01\nArxiv: 2511.1926",
            "notes/a.md:3: '2511.1926' is not an arXiv id (expected e.g. 2511.19269, "
            "2511.19269v2 or hep-th/9901001) (or remove the Arxiv line)",
        ),
        (
            "Title: T\nDate: 2025-13-01",
            "notes/a.md:2: '2025-13-01' is not a date (write YYYY-MM-DD)",
        ),
        ("Title: T\nDate: 2025-12-01\nRating: 6", "notes/a.md:3: rating '6' is not 1-5 in halves"),
        (
            "Title: T\nDate: 2025-12-01\nRating: 4.3",
            "notes/a.md:3: rating '4.3' is not 1-5 in halves",
        ),
        (
            "Title: T\nDate: 2025-12-01\nTags: RL, mixture-of-experts",
            "notes/a.md:3: tag 'mixture-of-experts' is an alias of 'MoE' (write 'MoE')",
        ),
        (
            "Title: T\nDate: 2025-12-01\nCode: github.com/x",
            "notes/a.md:3: 'github.com/x' is not a link",
        ),
        ("Title: T\nDate: 2025-12-01\nStatus: live", "notes/a.md:3: unknown status 'live'"),
        ("Title: T\nnot a header\nDate: 2025-12-01", "notes/a.md:2: header line 'not a header'"),
    ],
)
def test_each_problem_kind(header, expected):
    found = problems(header + "\n\nBody.\n")
    assert any(line.startswith(expected) for line in found), found


def test_links_inside_the_site_must_exist():
    text = (
        "Title: T\nDate: 2025-12-01\n\n"
        "Good [a](/papers/2512.00006/) and [d](/digest/2025-12-09/).\n"
        'Bad [b](/papers/2599.99999/) and <a href="/nowhere/">c</a>.\n'
        "External [e](https://arxiv.org/abs/1) is fine.\n"
    )
    found = problems(text)
    assert found == [
        "notes/a.md:5: link '/nowhere/' points inside the site but no such page exists "
        "(link /papers/<arxiv-id>/ of a paper on the site, or a full URL)",
        "notes/a.md:5: link '/papers/2599.99999/' points inside the site but no such page exists "
        "(link /papers/<arxiv-id>/ of a paper on the site, or a full URL)",
    ]


def test_two_notes_for_one_paper_name_both_files():
    text = "Title: T\nDate: 2025-12-01\nArxiv: 2512.00001\n\nBody.\n"
    found = check_notes(
        [("notes/a.md", text), ("notes/b.md", text.replace("00001", "00001v2"))], ALIASES
    )
    assert [str(p) for p in found] == [
        "notes/b.md:3: notes/a.md and notes/b.md are both notes for arXiv 2512.00001 "
        "(merge them into one note)"
    ]
