"""TeX math in notes and abstracts, rendered to MathML at build time.

``split_math`` finds the formulas (pandoc's rules), ``MathRenderer`` (in
papershelf.notes.katex) turns them into MathML with KaTeX, and the two functions below
put them into a page:

- ``render_math_in_text(abstract, renderer)``: plain text to HTML;
- ``render_math_in_markdown(body, renderer)``: Markdown with the formulas replaced by
  placeholders, and ``restore``, which puts the math into Markdown's HTML.

A formula KaTeX cannot parse is shown as its escaped TeX in ``<code class="tex">``.
"""

from __future__ import annotations

import itertools
import re
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from html import escape

from papershelf.notes.katex import MathRenderer, MathRenderError
from papershelf.notes.sanitize import sanitize_html

__all__ = [
    "MathRenderError",
    "MathRenderer",
    "Segment",
    "render_math_in_markdown",
    "render_math_in_text",
    "split_math",
]


@dataclass(frozen=True)
class Segment:
    text: str  # literal text, or the TeX between the delimiters (trimmed)
    math: bool = False
    display: bool = False
    source: str = field(default="", compare=False)  # a formula as written, delimiters too


# Where something other than plain text may start: a code fence at the start of a
# line, a backslash escape, a dollar, a run of backticks.
_SPECIAL = re.compile(r"^(?P<fence>[ \t]*(?:`{3,}|~{3,}))|\\.|\$|`+", re.M | re.S)
# Inline $...$ as pandoc reads it: no space after the opening $, no space before
# the closing one (so "$5 and $10" is no math), no digit right after it, no blank line.
_INLINE_DOLLAR = re.compile(
    r"\$(?![\s$])((?:[^\s\\$]|\\.|(?:[^\S\n]+|[^\S\n]*\n[^\S\n]*)(?![\s$]))+?)\$(?!\d)", re.S
)
# Display math and \( \): anything up to the closer except a blank line.
_NO_BLANK_LINE = r"(?:[^\\\n{stop}]|\\.|\n(?![ \t]*\n)|{more})+?"
_DISPLAY_DOLLARS = re.compile(
    r"\$\$(" + _NO_BLANK_LINE.format(stop="$", more=r"\$(?!\$)") + r")\$\$", re.S
)
_PAREN = re.compile(r"\\\((" + _NO_BLANK_LINE.format(stop="", more="(?!)") + r")\\\)", re.S)
_BRACKET = re.compile(r"\\\[(" + _NO_BLANK_LINE.format(stop="", more="(?!)") + r")\\\]", re.S)
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_MATH_PATTERNS = {
    ("$", False): _INLINE_DOLLAR,
    ("$", True): _DISPLAY_DOLLARS,
    ("\\(", False): _PAREN,
    ("\\[", True): _BRACKET,
}


def split_math(text: str) -> list[Segment]:
    """Cut ``text`` (before any Markdown) into text and math segments.

    Math is ``$...$`` and ``\\(...\\)`` inline, ``$$...$$`` and ``\\[...\\]`` display
    (all within one paragraph); ``\\$`` is a literal dollar; Markdown code spans
    and fenced code blocks are text, whatever they hold (indented code blocks are
    not told apart from indented list items, so they are not recognised).
    """
    if "$" not in text and "\\(" not in text and "\\[" not in text:
        return [Segment(text)] if text else []
    segments: list[Segment] = []
    position = 0
    while found := _SPECIAL.search(text, position):
        _add_text(segments, text[position : found.start()])
        position = _consume(text, found, segments)
    _add_text(segments, text[position:])
    return _merge_text(segments)


def _consume(text: str, found: re.Match, segments: list[Segment]) -> int:
    """Add what starts at ``found`` to ``segments``; return where scanning goes on."""
    start, token = found.start(), found.group()
    if token == "\\$":
        _add_text(segments, "$")
        return found.end()
    if token in ("\\(", "\\[", "$"):
        is_display = token == "\\[" or text.startswith("$$", start)
        pattern = _MATH_PATTERNS[token, is_display]
        if (match := pattern.match(text, start)) and match.group(1).strip():
            tex, source = match.group(1).strip(), match.group()
            segments.append(Segment(tex, math=True, display=is_display, source=source))
            return match.end()
        # An unclosed $$ is two literal dollars, not an inline opener.
        end = start + 2 if is_display and token == "$" else found.end()
    elif found.group("fence"):
        end = _fence_end(text, found)
    elif token.startswith("`"):
        end = _code_span_end(text, start, len(token)) or found.end()
    else:
        end = found.end()  # any other backslash escape is Markdown's business
    _add_text(segments, text[start:end])
    return end


def _add_text(segments: list[Segment], text: str) -> None:
    if text:
        segments.append(Segment(text))


def _merge_text(segments: list[Segment]) -> list[Segment]:
    """One segment for each run of text between formulas."""
    merged: list[Segment] = []
    for is_math, run in itertools.groupby(segments, key=lambda segment: segment.math):
        if is_math:
            merged.extend(run)
        else:
            merged.append(Segment("".join(segment.text for segment in run)))
    return merged


def _fence_end(text: str, opening: re.Match) -> int:
    """End of the fenced code block opened by ``opening`` (unclosed: end of text)."""
    fence = opening.group("fence").strip()
    closing = re.compile(rf"^[ \t]*{re.escape(fence[0])}{{{len(fence)},}}[ \t]*$", re.M)
    line_end = text.find("\n", opening.end())
    if line_end < 0:
        return len(text)
    found = closing.search(text, line_end + 1)
    return found.end() if found else len(text)


def _code_span_end(text: str, start: int, length: int) -> int | None:
    """End of the code span opened by ``length`` backticks, if a run of exactly as
    many closes it in the same paragraph."""
    closing = re.compile(rf"(?<!`)`{{{length}}}(?!`)")
    found = closing.search(text, start + length)
    if found is None or _BLANK_LINE.search(text, start, found.start()):
        return None
    return found.end()


def _formulas_html(formulas: list[Segment], renderer: MathRenderer) -> list[str]:
    """MathML of each formula, or its escaped TeX as code when KaTeX rejects it."""
    mathml = renderer.render([(formula.text, formula.display) for formula in formulas])
    return [
        html if html is not None else f'<code class="tex">{escape(formula.text)}</code>'
        for formula, html in zip(formulas, mathml, strict=True)
    ]


def render_math_in_text(plain_text: str, renderer: MathRenderer) -> str:
    """HTML of a plain text (an abstract): text escaped, formulas as MathML.

    KaTeX keeps each formula's TeX in a MathML ``annotation``, so copying works.
    """
    segments = split_math(plain_text)
    formulas = [segment for segment in segments if segment.math]
    rendered = iter(_formulas_html(formulas, renderer) if formulas else [])
    # The MathML is our own renderer's, yet it goes through the allowlist too.
    return "".join(
        sanitize_html(next(rendered)) if segment.math else escape(segment.text)
        for segment in segments
    )


def render_math_in_markdown(
    markdown_text: str, renderer: MathRenderer
) -> tuple[str, Callable[[str], str]]:
    """Protect the formulas of ``markdown_text`` from the Markdown parser.

    Returns the text with each formula replaced by a placeholder of letters and
    digits (which Markdown leaves alone), and ``restore(html) -> html``, which puts
    the rendered math in place of the placeholders of Markdown's HTML and then
    sanitises the whole of it: so the MathML is checked by the allowlist too, and
    nothing can slip past it however the placeholders ended up placed.
    """
    segments = split_math(markdown_text)
    formulas = [segment for segment in segments if segment.math]
    if not formulas:
        return "".join(segment.text for segment in segments), sanitize_html
    # A fresh nonce, so a placeholder typed into a note cannot be mistaken for one.
    token = f"KATEXMATH{secrets.token_hex(8)}N"
    rendered = _formulas_html(formulas, renderer)
    numbers = iter(range(len(formulas)))
    text = "".join(
        f"{token}{next(numbers)}X" if segment.math else segment.text for segment in segments
    )
    placeholder = rf"{token}(\d+)X"
    tag_or_placeholder = re.compile(rf"<[^<>]*>|{placeholder}")

    def as_source(found: re.Match) -> str:
        return escape(formulas[int(found[1])].source)

    def put_math(found: re.Match) -> str:
        if found[1] is not None:
            return rendered[int(found[1])]
        # Inside a tag (say, a link's URL) a formula can only be its TeX, as written.
        return re.sub(placeholder, as_source, found[0])

    def restore(html: str) -> str:
        return sanitize_html(tag_or_placeholder.sub(put_math, html))

    return text, restore
