"""Math in a real browser: Debian's Chromium lays out KaTeX's MathML natively, under
a CSP that forbids inline styles, with no KaTeX CSS or fonts."""

from pathlib import Path

import markdown
import pytest

from papershelf.notes.tex import MathRenderer, render_math_in_markdown, render_math_in_text

from .browser import chromium_page, requires_chromium, serve

CSP = "default-src 'none'; img-src 'self' data:; style-src 'self'"

pytestmark = requires_chromium

NOTE = """\
## Method

The router costs $\\mathcal{O}(n \\log n)$ per token, and each of the $k$ experts
sees a share $p_i$ of them.

$$
\\mathcal{L} = \\frac{1}{N} \\sum_{i=1}^{N} \\ell(x_i, y_i)
$$

Bad TeX shows as code: $\\frac{1$.
"""
ABSTRACT = "We prove a bound of \\(O(\\sqrt{T})\\) regret, improving on $T^{2/3}$."


def write_page(folder: Path, renderer: MathRenderer) -> None:
    protected, restore = render_math_in_markdown(NOTE, renderer)
    note = restore(markdown.markdown(protected))
    abstract = render_math_in_text(ABSTRACT, renderer)
    page = (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        f'<meta http-equiv="Content-Security-Policy" content="{CSP}"><title>math</title>'
        f"</head><body><article>{note}</article><p class='abstract'>{abstract}</p></body></html>"
    )
    (folder / "index.html").write_text(page, encoding="utf-8")


@pytest.fixture
def site(tmp_path):
    (tmp_path / "www").mkdir()
    with MathRenderer(tmp_path / "cache") as renderer:
        write_page(tmp_path / "www", renderer)
    with serve(tmp_path / "www") as url:
        yield url


@pytest.fixture
def page():
    with chromium_page() as page:
        yield page


def test_math_is_rendered_as_mathml(site, page):
    console = []
    page.on("console", lambda message: console.append(message.text))
    page.goto(site)

    text = page.inner_text("body")
    assert "$" not in text and "\\(" not in text and "\\[" not in text
    assert "mathcal" not in text  # the TeX sources stay in hidden annotations
    assert "\\frac{1" in page.inner_text("code.tex")  # the fallback, as code

    formulas = page.query_selector_all("math")
    assert len(formulas) == 6
    for formula in formulas:
        box = formula.bounding_box()
        assert box is not None and box["width"] > 0 and box["height"] > 0

    displays = page.query_selector_all('math[display="block"]')
    assert len(displays) == 1
    assert page.evaluate("getComputedStyle(document.querySelector('math')).display") == "math"
    display_style = displays[0].evaluate("math => getComputedStyle(math).display")
    assert display_style.startswith("block")

    # Laid out as math, not as inline text: the numerator sits above the denominator.
    numerator, denominator = page.query_selector_all("math[display='block'] mfrac > *")
    assert numerator.bounding_box()["y"] + numerator.bounding_box()["height"] <= (
        denominator.bounding_box()["y"] + 1
    )
    assert not [line for line in console if "Content Security Policy" in line]
