"""Math: finding formulas (pandoc's rules), KaTeX's MathML, the fallback, the cache."""

import subprocess

import markdown
import pytest

from papershelf.notes.katex import CACHE_FILE, MathRenderError
from papershelf.notes.tex import (
    MathRenderer,
    Segment,
    render_math_in_markdown,
    render_math_in_text,
    split_math,
)


def text(value):
    return Segment(value)


def inline(tex):
    return Segment(tex, math=True)


def display(tex):
    return Segment(tex, math=True, display=True)


@pytest.mark.parametrize(
    ("source", "segments"),
    [
        ("no math here", [text("no math here")]),
        ("", []),
        ("a $x^2$ b", [text("a "), inline("x^2"), text(" b")]),
        ("costs $5 and $10", [text("costs $5 and $10")]),
        ("$20,000 to $30,000", [text("$20,000 to $30,000")]),
        ("$x$5 apples", [text("$x$5 apples")]),
        ("$ x$ and $x $", [text("$ x$ and $x $")]),
        ("a \\$5 fee, $y$", [text("a $5 fee, "), inline("y")]),
        ("\\$x\\$", [text("$x$")]),
        ("$a \\$ b$", [inline("a \\$ b")]),
        ("\\\\$x$", [text("\\\\"), inline("x")]),
        ("`$x$` and $y$", [text("`$x$` and "), inline("y")]),
        ("``a ` $x$ ``", [text("``a ` $x$ ``")]),
        ("`unclosed $x$", [text("`unclosed "), inline("x")]),
        ("```\n$x$\n```\n$z$", [text("```\n$x$\n```\n"), inline("z")]),
        ("~~~~ tex\n$$x$$\n~~~\n~~~~\n$z$", [text("~~~~ tex\n$$x$$\n~~~\n~~~~\n"), inline("z")]),
        ("```\n$x$ never closed", [text("```\n$x$ never closed")]),
        ("$$\n\\sum_i x_i\n  = 1\n$$", [display("\\sum_i x_i\n  = 1")]),
        ("$$a$$ and $$ b $$", [display("a"), text(" and "), display("b")]),
        ("$$ \\text{$x$} $$", [display("\\text{$x$}")]),
        ("$$\n\nx$$", [text("$$\n\nx$$")]),
        ("$a\n\nb$", [text("$a\n\nb$")]),
        ("$a\nb$", [inline("a\nb")]),
        ("$$x", [text("$$x")]),
        (
            "\\(a+b\\) and \\[\\frac{1}{2}\\]",
            [inline("a+b"), text(" and "), display("\\frac{1}{2}")],
        ),
        ("\\(a\\\\)b\\)", [inline("a\\\\)b")]),
        ("\\(open", [text("\\(open")]),
        ("\\[\n\nx\\]", [text("\\[\n\nx\\]")]),
    ],
)
def test_split_math(source, segments):
    assert split_math(source) == segments


def test_split_math_keeps_each_formula_as_written():
    formulas = [segment for segment in split_math("a $x$ b \\[ y \\]") if segment.math]
    assert [formula.source for formula in formulas] == ["$x$", "\\[ y \\]"]


@pytest.fixture
def renderer(tmp_path):
    with MathRenderer(tmp_path) as renderer:
        yield renderer


def test_inline_mathml(renderer):
    [mathml] = renderer.render([("\\mathcal{O}(1)", False)])
    assert mathml.startswith(
        '<span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML">'
    )
    assert "<mi>\U0001d4aa</mi>" in mathml  # MATHEMATICAL SCRIPT CAPITAL O
    assert '<annotation encoding="application/x-tex">\\mathcal{O}(1)</annotation>' in mathml
    assert "style=" not in mathml and 'display="block"' not in mathml


def test_styled_letters_become_unicode_characters(renderer):
    # Browsers ignore mathvariant (but "normal"): \mathbb{R} would be an italic R.
    [mathml] = renderer.render(
        [("\\mathbb{R}^d \\boldsymbol{\\theta} \\mathbf{10} \\mathrm{d}", False)]
    )
    assert "<mi>ℝ</mi>" in mathml and "<mi>\U0001d73d</mi>" in mathml
    assert "<mn>\U0001d7cf\U0001d7ce</mn>" in mathml
    assert '<mi mathvariant="normal">d</mi>' in mathml


def test_display_mathml(renderer):
    [mathml] = renderer.render([("\\frac{a+b}{2}", True)])
    assert '<math xmlns="http://www.w3.org/1998/Math/MathML" display="block">' in mathml
    assert "<mfrac><mrow><mi>a</mi><mo>+</mo><mi>b</mi></mrow><mn>2</mn></mfrac>" in mathml


def test_bad_tex_is_none_and_falls_back_to_code(renderer):
    assert renderer.render([("\\frac{", False), ("x", False)])[0] is None
    html = render_math_in_text("Bad: $\\frac{<b>$, good: $x$.", renderer)
    assert html.startswith(
        'Bad: <code class="tex">\\frac{&lt;b&gt;</code>, good: <span class="katex">'
    )
    assert "$" not in html


def test_untrusted_commands_render_no_links(renderer):
    tex = "\\href{javascript:alert(1)}{x}\\htmlClass{evil}{y}"
    html = render_math_in_text(f"${tex}$", renderer)
    # KaTeX shows untrusted commands as red text; the TeX stays only in the annotation.
    assert "<mtext>\\href</mtext>" in html and "<mtext>\\htmlClass</mtext>" in html
    assert html.count("javascript") == html.count("evil") == 1
    assert f'<annotation encoding="application/x-tex">{tex}</annotation>' in html


def test_text_is_escaped_around_math(renderer):
    html = render_math_in_text("Tokens <think> & $x_1$ cost $5.", renderer)
    assert html.startswith('Tokens &lt;think&gt; &amp; <span class="katex"><math')
    assert html.endswith("</math></span> cost $5.")


def test_markdown_with_math(renderer):
    note = (
        "We get $\\mathcal{O}(n)$ time, *$k$ experts* and `$not math$`.\n\n"
        "| a | b |\n|---|---|\n| $|x|$ | 2 |\n\n"
        "$$\n\\frac{1}{n}\\sum_i x_i\n$$\n\n"
        "[link](https://example.org/$q$) <script>alert(1)</script>\n"
    )
    protected, restore = render_math_in_markdown(note, renderer)
    assert "$" not in protected.replace("`$not math$`", "").replace("/$q$", "")
    html = restore(markdown.markdown(protected, extensions=["tables"]))
    assert html.count("<math") == 4
    assert html.count('display="block"') == 1
    assert "<code>$not math$</code>" in html
    assert '<em><span class="katex">' in html
    assert 'href="https://example.org/$q$"' in html
    assert "KATEXMATH" not in html and "<script" not in html


def test_markdown_without_math_is_only_sanitised(renderer):
    protected, restore = render_math_in_markdown("Costs \\$5 <b onclick='x'>b</b>", renderer)
    assert protected == "Costs $5 <b onclick='x'>b</b>"
    assert restore(markdown.markdown(protected)) == "<p>Costs $5 <b>b</b></p>"


def count_node_starts(monkeypatch):
    starts = []
    real_popen = subprocess.Popen

    def popen(args, *rest, **kwargs):
        starts.append(args)
        return real_popen(args, *rest, **kwargs)

    monkeypatch.setattr(subprocess, "Popen", popen)
    return starts


def test_one_node_process_per_build_and_none_when_cached(tmp_path, monkeypatch):
    starts = count_node_starts(monkeypatch)
    formulas = [(f"x_{{{i}}} + \\alpha", i % 2 == 0) for i in range(300)] + [("\\frac{", False)]
    with MathRenderer(tmp_path) as first:
        assert starts == []  # lazily: nothing rendered yet
        mathml = first.render(formulas[:100])
        mathml += first.render(formulas[100:])
    assert len(starts) == 1
    assert (tmp_path / CACHE_FILE).is_file()

    with MathRenderer(tmp_path) as second:
        assert second.render(formulas) == mathml
        assert mathml[-1] is None  # failures are cached too
        assert render_math_in_text("$x_{7} + \\alpha$", second) == mathml[7]
    assert len(starts) == 1

    with MathRenderer(tmp_path) as third:
        third.render([("y", False)])
    assert len(starts) == 2


def test_cache_survives_a_broken_file(tmp_path):
    (tmp_path / CACHE_FILE).write_text("{not json")
    with MathRenderer(tmp_path) as renderer:
        assert renderer.render([("x", False)])[0].startswith('<span class="katex">')


def test_missing_katex_says_how_to_install(tmp_path):
    with pytest.raises(MathRenderError, match="make site"):
        MathRenderer(tmp_path, project_root=tmp_path)


def test_missing_node_says_how_to_install(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    renderer = MathRenderer(tmp_path)
    with pytest.raises(MathRenderError, match="Node.js is not installed.*make site"):
        renderer.render([("x", False)])
