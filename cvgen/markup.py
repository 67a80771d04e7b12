"""Markdown to HTML for CV text: safe, deterministic, configured once.

- Raw HTML in the source is escaped, never passed through (`<b>` shows as text).
- Links keep only http, https, mailto and relative targets; any other scheme
  (`javascript:`, `data:`, `vbscript:` ...) turns the link into plain text.
- Images load only from the site itself (relative paths): no request to another origin.
- Output is HTML5 (`<br>`, not `<br />`), the same bytes for the same input.

`inline_markdown` is for one-line fields (highlights, names, summaries shown inline):
emphasis, code, links; block syntax such as `- item` or `# title` stays text.
`block_markdown` is for Markdown sections and long summaries; it also knows tables,
footnotes and definition lists (Python-Markdown's `tables`, `footnotes`, `def_list`).
Column alignment becomes a class (`align-right`), not an inline style, which the site's
Content-Security-Policy (`style-src 'self'`) would block; footnote ids carry a prefix per
section, so two sections' `[^1]` stay two targets.

Each distinct text is converted once per process (the page, the PDF, every variant and
language show the same texts). Text over the work budget of `cvgen.markup_budget` (which loading reports as an error, with
its position) is shown as plain escaped text rather than rendered: rendering it could take
minutes.
"""

from __future__ import annotations

import functools
import html
import re
import threading
import xml.etree.ElementTree as etree
from urllib.parse import urlsplit

import markdown
from markdown.extensions import Extension
from markdown.extensions.def_list import DefListExtension
from markdown.extensions.footnotes import FootnoteExtension
from markdown.extensions.tables import TableExtension
from markdown.treeprocessors import Treeprocessor

from cvgen.markup_budget import markdown_problem

_SCHEME = re.compile(r"^([a-zA-Z][a-zA-Z0-9+.-]*):")
_LINK_SCHEMES = frozenset({"http", "https", "mailto"})
# Python-Markdown hides `&` as STX"amp"ETX inside the tree until its last postprocessor.
_AMP_PLACEHOLDER = "\x02amp\x03"
_CONTROL_OR_SPACE = re.compile(r"[\x00-\x20\x7f]+")


def _clean_url(value: str) -> str:
    """The URL a browser would see: entities decoded, whitespace and control chars dropped."""
    return _CONTROL_OR_SPACE.sub("", html.unescape(value.replace(_AMP_PLACEHOLDER, "&")))


def safe_link(value: str) -> str | None:
    """`value` cleaned if it is an http(s), mailto or relative link, else None."""
    url = _clean_url(value)
    match = _SCHEME.match(url)
    if match is None:
        return url
    scheme = match.group(1).lower()
    if scheme not in _LINK_SCHEMES:
        return None
    if scheme != "mailto":
        try:  # `https://[x` or `https://` is no address a browser can follow
            parts = urlsplit(url)
            parts.port  # noqa: B018 (reading it checks the port)
        except ValueError:
            return None
        if not parts.netloc:
            return None
    return url


def _safe_image(value: str) -> str | None:
    """A relative image path (same origin) or None: a CV page never loads other origins."""
    url = _clean_url(value)
    if not url or _SCHEME.match(url) or url.startswith(("//", "\\")):
        return None
    return url


class _LinkGuard(Treeprocessor):
    """Turns unsafe links into plain text and unsafe images into their alt text."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            if element.tag == "a":
                href = safe_link(element.get("href", ""))
                if href is None:
                    element.tag = "span"
                    element.attrib.clear()
                else:
                    element.set("href", href)
            elif element.tag == "img":
                src = _safe_image(element.get("src", ""))
                if src is None:
                    alt = element.get("alt", "")
                    element.tag = "span"
                    element.attrib.clear()
                    element.text = alt
                else:
                    element.set("src", src)


class _BlockTidy(Treeprocessor):
    """Table alignment as classes; footnote ids and their links prefixed per call."""

    prefix = ""
    _ALIGN = re.compile(r"text-align:\s*(left|right|center)")

    def run(self, root: etree.Element) -> None:
        for element in root.iter():
            style = element.attrib.pop("style", None)
            if style and element.tag in ("th", "td"):
                match = self._ALIGN.search(style)
                if match:
                    element.set("class", f"align-{match.group(1)}")
            if not self.prefix:
                continue
            ident = element.get("id", "")
            if ident.startswith(("fn:", "fnref:")):
                element.set("id", f"{self.prefix}-{ident.replace(':', '-')}")
            href = element.get("href", "")
            if element.tag == "a" and href.startswith(("#fn:", "#fnref:")):
                element.set("href", f"#{self.prefix}-{href[1:].replace(':', '-')}")


def _make(*, inline: bool) -> markdown.Markdown:
    # Instances, not names: a name makes Python-Markdown scan every installed package's
    # entry points first (importlib.metadata), the slowest part of a small build.
    extensions: list[Extension] = (
        [] if inline else [TableExtension(), FootnoteExtension(), DefListExtension()]
    )
    md = markdown.Markdown(output_format="html", extensions=extensions)
    # Escape raw HTML instead of passing it through (the documented way since safe_mode left).
    md.preprocessors.deregister("html_block")
    md.inlinePatterns.deregister("html")
    if inline:
        # Only paragraphs: "- item", "# title" or "> quote" in a highlight stay text.
        for name in (
            "indent",
            "code",
            "hashheader",
            "setextheader",
            "hr",
            "olist",
            "ulist",
            "quote",
        ):
            md.parser.blockprocessors.deregister(name)
    # After "unescape" (priority 0) so backslash escapes are already resolved.
    md.treeprocessors.register(_LinkGuard(md), "cvgen_link_guard", -10)
    if not inline:
        md.treeprocessors.register(_BlockTidy(md), "cvgen_block_tidy", -30)
    return md


# inline or not -> its converter, made on first use (none at import time).
_CONVERTERS: dict[bool, markdown.Markdown] = {}
# A Markdown instance keeps state while converting; the dev server may build off-thread.
_LOCK = threading.Lock()


def _converter(*, inline: bool) -> markdown.Markdown:
    """The one converter for these settings (use it holding `_LOCK`)."""
    md = _CONVERTERS.get(inline)
    if md is None:
        md = _CONVERTERS[inline] = _make(inline=inline)
    return md


_PLAIN = re.compile(r"[^*_`\[\]<>&!\\\t\r\n\x02\x03]*")


# Both conversions are pure, and the page, the PDF and every variant and language convert
# the same texts: each distinct one is converted once per process.
_REMEMBERED = 16_384


@functools.lru_cache(maxsize=_REMEMBERED)
def inline_markdown(text: str) -> str:
    """Inline Markdown to HTML without a wrapping `<p>`; paragraphs are joined by `<br>`."""
    if _PLAIN.fullmatch(text) and text == text.strip() and "  " not in text:
        # Nothing Markdown would change: the common case for names, dates and places.
        return text
    if markdown_problem(text) is not None:
        return html.escape(text).replace("\n", "<br>\n")
    try:
        with _LOCK:
            out = _converter(inline=True).reset().convert(text)
    except RecursionError:  # nesting the budget let through: show it as text
        return html.escape(text).replace("\n", "<br>\n")
    if not out:
        return ""
    if out.startswith("<p>") and out.endswith("</p>"):
        out = out[3:-4]
    return out.replace("</p>\n<p>", "<br>\n")


_HEADING_TAG = re.compile(r"<(/?)h([1-6])(?=[\s>])")


def block_markdown(text: str, *, heading_offset: int = 0, ids: str = "") -> str:
    """Markdown to HTML blocks. `heading_offset=2` turns `#` into `<h3>` (under a `<h2>`),
    capped at `<h6>`; `ids="about"` makes footnote ids `about-fn-1` (unique on a page of
    several sections). The text is converted once whatever the offset (the page, the PDF
    and the other outputs ask for the same text at different levels); the offset moves the
    converter's own heading tags (raw HTML in the text is escaped, so never one of them)."""
    out = _block_markdown(text, ids)
    if not heading_offset:
        return out
    return _HEADING_TAG.sub(lambda m: f"<{m[1]}h{min(6, int(m[2]) + heading_offset)}", out)


@functools.lru_cache(maxsize=_REMEMBERED)
def _block_markdown(text: str, ids: str) -> str:
    if markdown_problem(text) is not None:
        return "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"
    with _LOCK:
        md = _converter(inline=False)
        tidy = md.treeprocessors["cvgen_block_tidy"]
        assert isinstance(tidy, _BlockTidy)
        tidy.prefix = ids
        try:
            return md.reset().convert(text)
        except RecursionError:  # nesting the budget let through: show it as text
            return "<p>" + html.escape(text).replace("\n", "<br>\n") + "</p>"
