"""minify_css: smaller, and the same stylesheet to a browser."""

from __future__ import annotations

import re

import pytest

from cvgen.render.minify import minify_css
from tests.conftest import REPO


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a {\n  color: red;\n}\n", "a{color:red}\n"),
        ("/* note */ a , b > c { margin : 0 auto ; }", "a,b>c{margin :0 auto}\n"),
        ("a{margin:0/**/auto}", "a{margin:0 auto}\n"),
        (
            'a::after { content: " ( " attr(href) " ) ;} /* kept */" ; }',
            'a::after{content:" ( " attr(href) " ) ;} /* kept */"}\n',
        ),
        ("a { width: calc(1px + 2% - 3rem) }", "a{width:calc(1px + 2% - 3rem)}\n"),
        ("nav :hover { x: y }", "nav :hover{x:y}\n"),
        ("a{background:url( a;b.png )}", "a{background:url( a;b.png )}\n"),
        (
            "@media (min-width: 48rem) and (hover) {\n a { b: c; }\n}",
            "@media (min-width:48rem) and (hover){a{b:c}}\n",
        ),
        ("a { content: '\\'' }", "a{content:'\\''}\n"),
    ],
)
def test_minify_css(source: str, expected: str) -> None:
    assert minify_css(source) == expected


def test_theme_stylesheet_shrinks_and_keeps_every_rule() -> None:
    css = REPO / "theme" / "default" / "templates" / "css"
    source = "".join((css / name).read_text(encoding="utf-8") for name in ("base.css", "theme.css"))
    source = re.sub(r"\{%.*?%\}", "", source)  # the template tags choosing what a page uses
    small = minify_css(source)
    assert len(small) < 0.85 * len(source)
    assert small.count("{") == source.count("{") and small.count("}") == source.count("}")
    assert minify_css(small) == small
