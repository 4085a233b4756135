"""sanitize_html: what strangers' HTML may keep, and what it never keeps."""

import pytest

from papershelf.notes.sanitize import sanitize_html

PNG = "data:image/png;base64,iVBORw0KGgo="
SVG = "data:image/svg+xml;base64,PHN2Zz48c2NyaXB0PmFsZXJ0KDEpPC9zY3JpcHQ+PC9zdmc+"


@pytest.mark.parametrize(
    "html",
    [
        "<script>alert(1)</script>",
        "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
        "<style>body{display:none}</style>",
        "<iframe src='https://evil.example'>frame</iframe>",
        "<object data='x.swf'>o</object><embed src='x.swf'>",
        "<svg onload=alert(1)><script>alert(1)</script></svg>",
        "<math><annotation-xml encoding='text/html'><script>alert(1)</script>"
        "</annotation-xml></math>",
    ],
)
def test_dangerous_elements_go_with_their_content(html):
    cleaned = sanitize_html(html)
    for word in ("script", "style", "iframe", "object", "embed", "svg", "alert", "frame"):
        assert word not in cleaned.lower()


def test_forms_and_controls_are_dropped():
    cleaned = sanitize_html("<form action='/steal'><input name='pw'><button>Go</button>Text</form>")
    assert cleaned == "Text"


def test_event_handlers_style_id_and_dir_are_dropped():
    cleaned = sanitize_html(
        '<p onclick="alert(1)" onmouseover="x()" style="position:fixed" id="location" '
        'dir="rtl" lang="en" title="t">Hi</p>'
    )
    assert cleaned == '<p lang="en" title="t">Hi</p>'


@pytest.mark.parametrize(
    "href",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " \tjava\nscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        PNG,
        "da\nta:text/html,x",
    ],
)
def test_dangerous_link_urls_are_dropped(href):
    cleaned = sanitize_html(f'<a href="{href}">x</a>')
    assert "href" not in cleaned
    assert cleaned.endswith(">x</a>")


@pytest.mark.parametrize(
    "href", ["https://arxiv.org/abs/2511.16665", "http://example.org/", "mailto:a@b.org", "../x/"]
)
def test_safe_links_are_kept_with_rel(href):
    cleaned = sanitize_html(f'<a href="{href}" rel="opener" target="_blank">x</a>')
    assert cleaned == f'<a href="{href}" rel="noopener noreferrer nofollow">x</a>'


def test_data_urls_only_for_raster_images():
    assert f'src="{PNG}"' in sanitize_html(f'<img src="{PNG}" alt="plot">')
    for src in (SVG, "DATA:image/svg+xml,<svg/>", "data:text/html,x", " data:image/svg+xml,x"):
        assert sanitize_html(f'<p>a<img src="{src}">b</p>') == "<p>ab</p>"  # no src, no img
    for kind in ("jpeg", "gif", "webp"):
        assert "src=" in sanitize_html(f'<img src="data:image/{kind};base64,AAAA">')


def test_images_are_lazy_and_keep_their_description():
    cleaned = sanitize_html(
        '<img src="fig.png" alt="A plot" title="Fig 1" width="300" height="200" '
        'loading="eager" onerror="alert(1)" srcset="evil.png 2x">'
    )
    assert cleaned == (
        '<img src="fig.png" alt="A plot" title="Fig 1" width="300" height="200" '
        'loading="lazy" decoding="async">'
    )


def test_images_without_a_source_are_dropped():
    # Markdown's ![Uploading image.png…]() from an unfinished upload: HTML requires a src.
    for image in ('<img alt="Uploading image.png…" src="">', '<img src=" ">', "<img alt=x>"):
        assert sanitize_html(f"<p>text {image}</p>") == "<p>text </p>"
    kept = '<img src=" fig.png" alt="a &quot;b&quot;" loading="lazy" decoding="async">'
    assert sanitize_html(f"<p>{kept}</p>") == f"<p>{kept}</p>"


def test_prose_markup_is_kept():
    html = (
        "<h2>Results</h2><p>H<sub>2</sub>O, x<sup>2</sup>, <mark>key</mark>, <kbd>Ctrl</kbd>, "
        '<abbr title="Mixture of Experts">MoE</abbr>, <del>old</del> <ins>new</ins></p>'
        "<blockquote><p>quote</p></blockquote><ul><li>a</li></ul><dl><dt>t</dt><dd>d</dd></dl>"
        '<pre><code class="language-python">x = 1</code></pre>'
        "<figure><figcaption>cap</figcaption></figure><hr>"
    )
    assert sanitize_html(html) == html


def test_tables_keep_spans_and_alignment():
    html = (
        "<table><caption>Scores</caption><thead><tr><th>Model</th>"
        '<th align="right" colspan="2">Score</th></tr></thead>'
        '<tbody><tr><td rowspan="2">A</td><td align="center">1</td><td>2</td></tr></tbody>'
        "<tfoot><tr><td>f</td></tr></tfoot></table>"
    )
    assert sanitize_html(html) == html
    assert "align" not in sanitize_html('<table><tr><td align="javascript:x">1</td></tr></table>')


def test_details_and_lists():
    html = (
        '<details open=""><summary>More</summary>'
        '<ol start="3" reversed="" type="a"><li>x</li></ol></details>'
    )
    assert sanitize_html(html) == html
    assert "type" not in sanitize_html('<ol type="disc"><li>x</li></ol>')


def test_katex_mathml_is_kept():
    mathml = (
        '<span class="katex"><math xmlns="http://www.w3.org/1998/Math/MathML" display="block">'
        '<semantics><mrow><mfrac><mi mathvariant="script">O</mi><mn>1</mn></mfrac>'
        '<mo stretchy="false">(</mo><msup><mi>n</mi><mn>2</mn></msup></mrow>'
        '<annotation encoding="application/x-tex">\\frac{\\mathcal{O}}{1}(n^2</annotation>'
        "</semantics></math></span>"
    )
    assert sanitize_html(mathml) == mathml


def test_mathml_cannot_overlay_or_escape():
    cleaned = sanitize_html(
        '<math><mpadded voffset="-90em" style="x"><mspace mathbackground="black" width="9em">'
        '</mspace></mpadded><mi href="javascript:alert(1)" onclick="x">a</mi></math>'
    )
    assert cleaned == '<math><mpadded><mspace width="9em"></mspace></mpadded><mi>a</mi></math>'


def test_comments_are_dropped():
    assert sanitize_html("a<!-- <script>x</script> -->b") == "ab"


def test_footnote_ids_are_kept_and_other_ids_dropped():
    html = sanitize_html(
        '<sup id="fnref:1"><a href="#fn:1">1</a></sup><li id="fn:1">a</li>'
        '<li id="location">x</li><p id="fn:2">p</p>'
    )
    assert 'id="fnref:1"' in html and '<li id="fn:1">' in html
    assert 'id="location"' not in html and "<p>p</p>" in html
