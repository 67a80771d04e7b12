"""cvgen.markup: Markdown is rendered, raw HTML is escaped, unsafe links are neutralised."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cvgen import markup
from cvgen.build import build
from cvgen.markup import _block_markdown, block_markdown, inline_markdown


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("plain text", "plain text"),
        ("", ""),
        ("**Led** a team", "<strong>Led</strong> a team"),
        ("*cut* `p99`", "<em>cut</em> <code>p99</code>"),
        (
            "[docs](https://example.com/a?b=1&c=2)",
            '<a href="https://example.com/a?b=1&amp;c=2">docs</a>',
        ),
        ("[me](mailto:ada@example.com)", '<a href="mailto:ada@example.com">me</a>'),
        ("[rel](../talks/)", '<a href="../talks/">rel</a>'),
        ("[anchor](#about)", '<a href="#about">anchor</a>'),
        ("Fish & chips < 5", "Fish &amp; chips &lt; 5"),
        # raw HTML is shown, never interpreted
        ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
        ("<script>alert(1)</script>", "&lt;script&gt;alert(1)&lt;/script&gt;"),
        ("<!-- note -->", "&lt;!-- note --&gt;"),
        ('<img src=x onerror="alert(1)">', '&lt;img src=x onerror="alert(1)"&gt;'),
        # block syntax stays text in one-line fields
        ("- not a list", "- not a list"),
        ("# not a heading", "# not a heading"),
        ("> not a quote", "&gt; not a quote"),
        ("1986. A good year", "1986. A good year"),
        ("first\n\nsecond", "first<br>\nsecond"),
        ("line  \nbreak", "line<br>\nbreak"),
    ],
)
def test_inline_markdown(source: str, expected: str) -> None:
    assert inline_markdown(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "[x](javascript:alert(1))",
        "[x](JaVaScRiPt:alert(1))",
        "[x]( javascript:alert(1))",
        "[x](<javascript:alert(1)>)",
        "[x](java\tscript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](&#x6A;avascript:alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD4=)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
    ],
)
def test_unsafe_links_become_text(source: str) -> None:
    out = inline_markdown(source)
    assert "href" not in out
    assert "javascript" not in out.lower() or "&lt;" in out


def test_images_only_from_the_site_itself() -> None:
    assert inline_markdown("![logo](img/logo.png)") == '<img alt="logo" src="img/logo.png">'
    assert inline_markdown("![logo](https://cdn.example.com/l.png)") == "<span>logo</span>"
    assert inline_markdown("![logo](//cdn.example.com/l.png)") == "<span>logo</span>"
    assert inline_markdown("![x](data:image/png;base64,AAAA)") == "<span>x</span>"


def test_automatic_mail_links_stay_mail_links() -> None:
    out = inline_markdown("<ada@example.com>")
    assert out.startswith('<a href="mailto:ada@example.com">')


def test_block_markdown() -> None:
    source = "# Title\n\nSome *text* with <div>raw</div>.\n\n- one\n- two\n\n[bad](javascript:x)\n"
    assert block_markdown(source) == (
        "<h1>Title</h1>\n"
        "<p>Some <em>text</em> with &lt;div&gt;raw&lt;/div&gt;.</p>\n"
        "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n"
        "<p><span>bad</span></p>"
    )


def test_block_markdown_heading_offset_nests_headings() -> None:
    assert block_markdown("# A\n\n## B\n\n###### F", heading_offset=2) == (
        "<h3>A</h3>\n<h4>B</h4>\n<h6>F</h6>"
    )
    # the default instance is unaffected by the shifted one
    assert block_markdown("# A") == "<h1>A</h1>"


def test_output_is_deterministic_and_state_free() -> None:
    source = "Uses [ref][r] and a footnote-like [r]\n\n[r]: https://example.com"
    first = block_markdown(source)
    block_markdown("[r]: https://example.org")  # a reference from another call must not leak
    assert block_markdown(source) == first
    assert inline_markdown("[r]") == "[r]"


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_fast_path_matches_markdown(text: str) -> None:
    # The shortcut for plain text must give exactly what Python-Markdown would.
    if markup._PLAIN.fullmatch(text) and text == text.strip() and "  " not in text:
        slow = markup._converter(inline=True).reset().convert(text)
        slow = slow[3:-4] if slow.startswith("<p>") else slow
        assert inline_markdown(text) == slow.replace("</p>\n<p>", "<br>\n")


@given(st.text(max_size=60))
def test_never_emits_raw_tags_from_source(text: str) -> None:
    out = block_markdown(text) + inline_markdown(text)
    for tag in ("<script", "<iframe", "<div", "<style", "<object"):
        assert tag not in out.lower()


def test_concurrent_conversions_do_not_mix() -> None:
    from concurrent.futures import ThreadPoolExecutor

    texts = [f"**{i}** [r{i}][r]\n\n[r]: https://example.com/{i}" for i in range(200)]
    expected = [block_markdown(t) + inline_markdown(t) for t in texts]
    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(lambda t: block_markdown(t) + inline_markdown(t), texts))
    assert got == expected


def test_sections_render_tables_footnotes_and_definition_lists() -> None:
    text = (
        "Shipped[^1] twice[^2].\n\n"
        "| Year | Talks |\n|:--|--:|\n| 2024 | 3 |\n\n"
        "Kubernetes\n:   Since 2017\n\n"
        "[^1]: In production.\n[^2]: Really.\n"
    )
    out = block_markdown(text, heading_offset=2, ids="about")
    assert '<th class="align-left">Year</th>' in out and '<td class="align-right">3</td>' in out
    assert "style=" not in out  # the site's CSP (style-src 'self') would block inline styles
    assert "<dl>\n<dt>Kubernetes</dt>\n<dd>Since 2017</dd>\n</dl>" in out
    assert '<sup id="about-fnref-1"><a class="footnote-ref" href="#about-fn-1">1</a></sup>' in out
    assert '<li id="about-fn-2">' in out and 'href="#about-fnref-2"' in out


def test_two_sections_footnotes_do_not_share_ids() -> None:
    first = block_markdown("a[^1]\n\n[^1]: x\n", ids="about")
    second = block_markdown("b[^1]\n\n[^1]: y\n", ids="talks")
    assert 'id="about-fn-1"' in first and 'id="talks-fn-1"' in second
    assert 'id="about-fn-1"' not in second


def test_inline_markdown_knows_no_tables() -> None:
    assert "<table" not in inline_markdown("| a | b |")


def test_a_build_converts_each_text_once(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # page, PDF, Word and text show the same texts, the page's at other heading levels
    # (an entry's summary under its h3): each is converted once, whatever asks for it
    converted: list[str] = []
    real = markdown.Markdown.convert

    def counting(self: markdown.Markdown, source: str) -> Any:
        converted.append(source)
        return real(self, source)

    monkeypatch.setattr(markdown.Markdown, "convert", counting)
    inline_markdown.cache_clear()
    _block_markdown.cache_clear()
    build(example_site)
    assert len(converted) > 10
    assert len(converted) == len(set(converted))
