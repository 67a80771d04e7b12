"""A small, conservative CSS minifier: the theme's stylesheet is the page's second-largest file.

It only drops what cannot matter: comments, runs of whitespace, and the spaces around
`{ } ; , >` and after `:`. Strings and `url(...)` are copied verbatim, spaces around `+`, `-`
and `*` are kept (they are significant inside `calc()`), and so is the space before `:`
(`a :hover` is not `a:hover`). Deterministic, linear in the input.
"""

from __future__ import annotations

import re

# strings, url(...) and comments first, so nothing inside them is touched
_TOKEN = re.compile(
    r"""(?P<string>"(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*')"""
    r"""|(?P<url>url\(\s*[^)"'\s][^)]*\))"""
    r"""|(?P<comment>/\*.*?(?:\*/|$))""",
    re.DOTALL | re.IGNORECASE,
)
_SPACE = re.compile(r"\s+")
_AROUND = re.compile(r"\s*([{};,>])\s*")
_AFTER_COLON = re.compile(r":\s+")


def _squeeze(code: str) -> str:
    code = _SPACE.sub(" ", code)
    code = _AROUND.sub(r"\1", code)
    return _AFTER_COLON.sub(":", code).replace(";}", "}")


def minify_css(text: str) -> str:
    """`text` without comments and needless whitespace; `;}` becomes `}`."""
    out: list[str] = []
    code: list[str] = []
    position = 0
    for match in _TOKEN.finditer(text):
        code.append(text[position : match.start()])
        if match.lastgroup == "comment":
            code.append(" ")  # `0/**/auto` is two values, not `0auto`
        else:
            out.extend((_squeeze("".join(code)), match.group()))
            code = []
        position = match.end()
    code.append(text[position:])
    out.append(_squeeze("".join(code)))
    return "".join(out).strip() + "\n"
