"""How a paper is cited: its BibTeX entry and Highwire meta tags. Pure functions.

The entry follows arXiv's own "Export BibTeX citation" (``@misc`` with ``eprint``,
``archivePrefix``, ``primaryClass`` and ``url``), plus ``doi`` and a ``note`` with
the journal reference or venue when known. Feed and note text is untrusted: every
TeX special is written as a command that BibTeX and biber read as one character
(braces too, as ``\\textbraceleft{}``: BibTeX counts even ``\\{`` when it balances
a field, so one stray brace would swallow the rest of the file). URLs and DOIs are
verbatim fields in biblatex, so they are percent-encoded instead of escaped.
COinS for listings live in ``papershelf.site.coins``.
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from papershelf.dates import dates_of

# Each TeX special as a command; `{}` ends the command without eating a space.
_TEX_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
    # OT1, LaTeX's default font encoding, prints these as ¡ and ¿.
    "<": r"\textless{}",
    ">": r"\textgreater{}",
}
_TEX_SPECIAL = re.compile("[" + re.escape("".join(_TEX_ESCAPES)) + "]")
# TeX's ligatures (-- en dash, `` and '' quotes, !` and ?` inverted marks) are
# broken with `{}`: the text is plain text, printed as written.
_LIGATURE = re.compile(r"-(?=-)|`(?=`)|'(?=')|[!?](?=`)")
# BibTeX splits author lists on " and " (any case) and reads commas as
# "Last, First": such a name is kept whole in braces. So is one that starts with a
# command (an escaped special), which bibtexparser 2.1 cuts the first letter of.
_SPLITS_NAME = re.compile(r",|\band\b|^\\", re.IGNORECASE)
# Characters a URL may keep in a verbatim field; braces, backslashes, spaces and
# quotes are percent-encoded.
_URL_SAFE = ":/?&=#@!$'()*+,;~.-_[]%"
# Words arXiv's keys skip ("Attention Is All You Need" -> vaswani2017attentionneed).
_STOP_WORD_TEXT = (
    "a an the of on in for to and or is are be by with via from as at into all you we our "
    "its it this that how what when why do does can not no your their towards toward"
)
_STOP_WORDS = frozenset(_STOP_WORD_TEXT.split())
_KEY_TITLE_WORDS = 3
# Latin letters NFKD does not split into a letter and an accent.
_NO_DECOMPOSITION = str.maketrans(
    {"ß": "ss", "æ": "ae", "œ": "oe", "ø": "o", "ł": "l", "đ": "d", "ð": "d", "þ": "th", "ı": "i"}
)
_YEAR = re.compile(r"(?<!\d)(?:19[5-9]\d|20\d\d)(?!\d)")
_FIELD_ORDER = (
    "title",
    "author",
    "year",
    "eprint",
    "archivePrefix",
    "primaryClass",
    "doi",
    "note",
    "url",
)


def tex_escape(text: str) -> str:
    """``text`` on one line with every TeX special written as a command."""
    escaped = _TEX_SPECIAL.sub(lambda m: _TEX_ESCAPES[m.group()], " ".join(str(text).split()))
    return _LIGATURE.sub(lambda m: m.group() + "{}", escaped)


def url_field(url: str) -> str:
    """A URL or DOI safe in a verbatim field: no brace, backslash or space left."""
    return quote(" ".join(str(url).split()), safe=_URL_SAFE)


def bibtex_name(name: str) -> str:
    """One author for an ``and``-separated list."""
    escaped = tex_escape(name)
    return "{" + escaped + "}" if _SPLITS_NAME.search(escaped) else escaped


def ascii_words(text: str) -> list[str]:
    """Lower-case ASCII words of ``text``: accents transliterated, the rest
    dropped; hyphenated words run together ("Few-Shot" -> "fewshot")."""
    text = str(text).lower().translate(_NO_DECOMPOSITION)
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    words = (re.sub(r"[^a-z0-9]", "", word) for word in re.split(r"[\s/]+", plain.lower()))
    return [word for word in words if word]


def paper_authors(article) -> list[str]:
    """The authors the page shows: the record's, else the note's own (never
    Pelican's default AUTHOR, which names the site)."""
    paper = getattr(article, "paper", None)
    if paper is not None and paper.authors:
        return [str(author) for author in paper.authors]
    note = getattr(article, "note", None)
    if note is not None:
        return [str(author) for author in note.metadata.get("authors") or []]
    return []


def paper_title(article) -> str:
    """The paper's own title: the record's, else the note's."""
    paper = getattr(article, "paper", None)
    return " ".join(str(paper.title if paper is not None else article.title).split())


def paper_year(article) -> str:
    """The year of the first version (from the arXiv id), else of the
    announcement or of the API's first version, else one a note's venue names
    ("ICLR 2026"); "" if unknown."""
    paper = getattr(article, "paper", None)
    if paper is not None and paper.is_arxiv:
        number = paper.arxiv_id.rsplit("/", 1)[-1]
        return ("19" if number[:2] >= "91" else "20") + number[:2]
    dates = dates_of(article)
    if dates.announcement_day or dates.published:
        return (dates.announcement_day or dates.published)[:4]
    note = getattr(article, "note", None)
    for text in (getattr(note, "venue", "") or "", paper.journal_ref if paper else ""):
        found = _YEAR.search(str(text))
        if found:
            return found.group()
    return ""


def paper_day(article) -> str:
    """The paper's date as citations give it: the announcement day, else its first
    version's day from the arXiv API, else the year alone when one is known (an
    import's or a note's day is not the paper's)."""
    dates = dates_of(article)
    return dates.announcement_day or dates.published or paper_year(article)


def _surname(name: str) -> str:
    name = name.strip()
    if "," in name:  # "Last, First"
        return name.split(",", 1)[0]
    return name.split()[-1] if name.split() else ""


def bibtex_key(article) -> str:
    """arXiv's key: first author's surname, year, first significant title words;
    ASCII, lower case; the id when neither surname nor title gives a word."""
    authors = paper_authors(article)
    surname = "".join(ascii_words(_surname(authors[0]))) if authors else ""
    words = [word for word in ascii_words(paper_title(article)) if word not in _STOP_WORDS]
    title_part = "".join(words[:_KEY_TITLE_WORDS])
    if surname or title_part:
        return surname + paper_year(article) + title_part
    paper = getattr(article, "paper", None)
    ident = paper.arxiv_id if paper is not None else getattr(article, "slug", "") or "paper"
    plain = unicodedata.normalize("NFKD", ident).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9.-]+", "-", plain).strip("-") or "paper"


def bibtex_fields(article, page_url: str = "") -> dict[str, str]:
    """The entry's fields, raw (not yet escaped), in arXiv's order."""
    paper = getattr(article, "paper", None)
    note = getattr(article, "note", None)
    fields = {"title": paper_title(article)}
    authors = paper_authors(article)
    if authors:
        fields["author"] = authors
    year = paper_year(article)
    if year:
        fields["year"] = year
    if paper is not None and paper.is_arxiv:
        fields["eprint"] = paper.arxiv_id
        fields["archivePrefix"] = "arXiv"
        if paper.primary_category:
            fields["primaryClass"] = paper.primary_category
    if paper is not None and paper.doi:
        fields["doi"] = paper.doi
    notes = [paper.journal_ref if paper is not None else "", getattr(note, "venue", "") or ""]
    if paper is not None and not paper.is_arxiv:
        notes.append(f"Local id {paper.arxiv_id}")
    notes = [text for text in notes if text]
    if notes:
        fields["note"] = "; ".join(dict.fromkeys(notes))
    links = [str(link) for link in getattr(note, "links", None) or []]
    if paper is not None and paper.is_arxiv:
        fields["url"] = paper.abs_url
    elif links:
        fields["url"] = links[0]
    elif page_url.startswith(("https://", "http://")):
        fields["url"] = page_url
    return fields


def bibtex(article, page_url: str = "") -> str:
    """The paper's BibTeX entry (the one text the page, the copy button and the
    ``.bib`` download share), ending in a newline."""
    lines = []
    for name, value in bibtex_fields(article, page_url).items():
        if name == "author":
            text = " and ".join(bibtex_name(author) for author in value)
        elif name in ("url", "doi"):
            text = url_field(value)
        else:
            text = tex_escape(value)
        # Two spaces: arXiv indents by six, which only costs bytes on every page.
        lines.append(f"  {name}={{{text}}},")
    return "@misc{" + bibtex_key(article) + ",\n" + "\n".join(lines) + "\n}\n"


def _scholar_day(day: str) -> str:
    return day.replace("-", "/")


def highwire_tags(article, page_url: str, lang: str) -> list[tuple[str, str]]:
    """(name, content) of the ``citation_*`` meta tags Google Scholar and
    Zotero read, in the order Scholar documents them."""
    paper = getattr(article, "paper", None)
    tags = [("citation_title", paper_title(article))]
    tags += [("citation_author", " ".join(name.split())) for name in paper_authors(article)]
    day = paper_day(article)
    if day:
        # One day: citation_online_date would repeat it (Scholar reads it only for
        # a print date that differs; Zotero only without a publication date).
        tags.append(("citation_publication_date", _scholar_day(day)))
    if paper is not None and paper.is_arxiv:
        tags.append(("citation_arxiv_id", paper.arxiv_id))
        tags.append(("citation_technical_report_number", f"arXiv:{paper.arxiv_id}"))
        pdf = paper.pdf_url if paper.announced else f"https://arxiv.org/pdf/{paper.arxiv_id}"
        tags.append(("citation_pdf_url", pdf))
        tags.append(("citation_abstract_html_url", paper.abs_url))
    elif page_url:
        tags.append(("citation_abstract_html_url", page_url))
    if paper is not None and paper.doi:
        tags.append(("citation_doi", paper.doi))
    # No citation_keywords: the tags are this site's interests, not the paper's own
    # keywords (Scholar reads none; Zotero would file every saved paper under them),
    # and they were 0.16 KB of each paper page.
    tags.append(("citation_language", lang))
    return tags
