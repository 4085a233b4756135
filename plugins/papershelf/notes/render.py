"""Render the Markdown of notes (and the TeX of abstracts) to safe HTML.

One MathRenderer serves a whole build (its cache lives in Pelican's
CACHE_PATH); ``finish_build`` saves that cache and stops KaTeX's process.
"""

from __future__ import annotations

import re
from pathlib import Path

import markdown
from bs4 import BeautifulSoup

from papershelf.build_state import build_state
from papershelf.notes.katex import MathRenderer
from papershelf.notes.sanitize import sanitize_html
from papershelf.notes.tex import render_math_in_markdown, render_math_in_text, split_math

# Python-Markdown's "extra", with table alignment as attributes: the sanitiser
# drops style attributes, which "tables" would use by default.
MARKDOWN_EXTENSIONS = [
    "abbr",
    "def_list",
    "fenced_code",
    "footnotes",
    "md_in_html",
    "sane_lists",
    "tables",
]
MARKDOWN_CONFIG = {"tables": {"use_align_attribute": True}}
_LIST_MARKER = re.compile(r"^\s*(?:\d+[.)、]|[-*•●])\s*")


def math_renderer(settings: dict) -> MathRenderer:
    """The build's math renderer (one per cache folder)."""
    renderers = build_state(settings).math_renderers
    cache = str(settings["CACHE_PATH"])
    if cache not in renderers:
        project_root = Path(__file__).resolve().parents[3]
        renderers[cache] = MathRenderer(cache, project_root=project_root)
    return renderers[cache]


def finish_build(pelican) -> None:
    """Save the math cache and stop KaTeX (connected to Pelican's ``finalized``)."""
    renderers = build_state(pelican.settings).math_renderers
    while renderers:
        _, renderer = renderers.popitem()
        renderer.save()
        renderer.close()


def render_markdown(text: str, settings: dict) -> str:
    """Markdown with math to sanitised HTML."""
    protected, restore = render_math_in_markdown(text, math_renderer(settings))
    converter = markdown.Markdown(extensions=MARKDOWN_EXTENSIONS, extension_configs=MARKDOWN_CONFIG)
    return restore(converter.convert(protected))


def render_note_body(text: str, settings: dict) -> str:
    return render_markdown(text, settings) if text.strip() else ""


def render_inline_math(text: str, settings: dict) -> str:
    """Plain text as HTML: escaped, its formulas as MathML (for short summaries)."""
    return render_math_in_text(text, math_renderer(settings))


def render_abstract(abstract: str, settings: dict) -> str:
    """A plain-text abstract as a paragraph, its TeX as MathML."""
    if not abstract:
        return ""
    return f'<p class="abstract">{render_math_in_text(abstract, math_renderer(settings))}</p>'


def summary_lines(raw: str) -> list[str]:
    """The highlights of a Summary field, without list numbering."""
    return [_LIST_MARKER.sub("", line).strip() for line in raw.splitlines() if line.strip()]


def render_summary(raw: str, settings: dict) -> str:
    """One highlight per line becomes a list; a single paragraph stays one."""
    lines = summary_lines(raw)
    if len(lines) == 1:
        return render_markdown(lines[0], settings)
    items = "\n".join(f"1. {line}" for line in lines)
    return render_markdown(items, settings).replace("<ol>", '<ol class="highlights">', 1)


def summary_plain(raw: str) -> str:
    """A Summary field as plain text, for the short summary (papershelf.summaries.short).

    Text only: markup a note smuggles in is dropped, not shown; each formula
    keeps its TeX between dollars, which reads better than flattened MathML.
    """
    parts = []
    for segment in split_math(" ".join(summary_lines(raw))):
        if segment.math:
            parts.append(f"${segment.text}$")
        else:
            html = sanitize_html(markdown.markdown(segment.text))
            text = BeautifulSoup(html, "html.parser").get_text().strip()
            # Markdown trims the spaces around a segment: keep them between segments.
            before = " " if segment.text[:1].isspace() else ""
            after = " " if segment.text[-1:].isspace() else ""
            parts.append(before + text + after)
    return "".join(parts)
