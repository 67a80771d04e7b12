"""CV text as data for the PDF: inline Markdown as spans, Markdown blocks as a small tree.

The PDF template must never see text as markup (a `#` or `[` in a CV would run as Typst
code), so Markdown is turned into plain structures here and the template only places them:

- a *span* is `{"text": str}` plus any of `"strong": true`, `"emph": true`, `"code": true`,
  `"url": str` (a link target that `cvgen.markup` allowed), or `{"break": true}` for a line break;
- a *block* is `{"kind": "paragraph", "spans": [...]}`, `{"kind": "heading", "level": n,
  "spans": [...]}`, `{"kind": "list", "ordered": bool, "items": [[block, ...], ...]}`,
  `{"kind": "code", "text": str}`, `{"kind": "quote", "blocks": [...]}`, `{"kind": "rule"}`
  or `{"kind": "table", "rows": [[[span, ...], ...], ...]}`.

Both come from the HTML that `cvgen.markup` makes (the page's own rendering), so the page
and the PDF agree on what is bold, linked or listed, and the same link rules apply. Any
element this module does not know keeps its text, so nothing written is ever lost.
"""

from __future__ import annotations

import html.parser
from dataclasses import dataclass, field
from typing import Any

from cvgen.markup import block_markdown, inline_markdown

Span = dict[str, Any]
Block = dict[str, Any]

_INLINE_FLAGS = {"strong": "strong", "b": "strong", "em": "emph", "i": "emph", "code": "code"}
_BLOCK_TAGS = frozenset(
    {"p", "ul", "ol", "li", "pre", "blockquote", "hr", "table", "tr", "th", "td"}
    | {f"h{n}" for n in range(1, 7)}
    | {"div", "dl", "dt", "dd", "thead", "tbody", "tfoot", "figure", "figcaption"}
)
_VOID = frozenset({"br", "hr", "img", "input", "meta", "link", "wbr"})
MAX_NESTING = 6  # quotes and lists in one another in the PDF


@dataclass
class _Node:
    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[_Node | str] = field(default_factory=list)


class _TreeBuilder(html.parser.HTMLParser):
    """The HTML `cvgen.markup` made, as a tree (it is well formed: no recovery needed)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Node("root")
        self.stack = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = _Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in _VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(_Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self.stack) - 1, 0, -1):
            if self.stack[depth].tag == tag:
                del self.stack[depth:]
                return

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def _parse(markup: str) -> _Node:
    builder = _TreeBuilder()
    builder.feed(markup)
    builder.close()
    return builder.root


def _spans(nodes: list[_Node | str], style: Span, pre: bool = False) -> list[Span]:
    out: list[Span] = []
    for node in nodes:
        if isinstance(node, str):
            text = node if pre or style.get("code") else " ".join(node.split("\n"))
            if text:
                out.append({**style, "text": text})
        elif node.tag == "br":
            out.append({"break": True})
        elif node.tag == "img":
            if node.attrs.get("alt"):
                out.append({**style, "text": node.attrs["alt"]})
        else:
            inner = dict(style)
            if node.tag in _INLINE_FLAGS:
                inner[_INLINE_FLAGS[node.tag]] = True
            elif node.tag == "a" and node.attrs.get("href"):
                inner["url"] = node.attrs["href"]
            out.extend(_spans(node.children, inner, pre))
    return _merge(out)


def _merge(spans: list[Span]) -> list[Span]:
    """Adjacent spans of one style joined (fewer, longer runs read better in a PDF)."""
    merged: list[Span] = []
    for span in spans:
        last = merged[-1] if merged else None
        if (
            last is not None
            and "text" in last
            and "text" in span
            and {k: v for k, v in last.items() if k != "text"}
            == {k: v for k, v in span.items() if k != "text"}
        ):
            merged[-1] = {**last, "text": last["text"] + span["text"]}
        else:
            merged.append(span)
    return merged


def _trim(spans: list[Span]) -> list[Span]:
    """Leading and trailing whitespace of a paragraph dropped (HTML source newlines)."""
    spans = [dict(s) for s in spans]
    while spans and "text" in spans[0] and not spans[0]["text"].strip():
        spans.pop(0)
    while spans and "text" in spans[-1] and not spans[-1]["text"].strip():
        spans.pop()
    if spans and "text" in spans[0] and not spans[0].get("code"):
        spans[0]["text"] = spans[0]["text"].lstrip()
    if spans and "text" in spans[-1] and not spans[-1].get("code"):
        spans[-1]["text"] = spans[-1]["text"].rstrip()
    return spans


def _text_of(node: _Node | str) -> str:
    if isinstance(node, str):
        return node
    return "".join(_text_of(child) for child in node.children)


def _blocks(nodes: list[_Node | str], depth: int = 0) -> list[Block]:
    """Blocks of `nodes`, `depth` quotes and lists deep. Deeper than `MAX_NESTING` a quote or
    a list adds no level: its content joins the level above (Typst stops at a show rule
    depth that 16 nested quotes reach, which the page renders)."""
    blocks: list[Block] = []
    deeper = min(depth + 1, MAX_NESTING)
    loose: list[_Node | str] = []  # inline content between blocks (e.g. in a loose `<li>`)

    def flush() -> None:
        spans = _trim(_spans(loose, {}))
        if spans:
            blocks.append({"kind": "paragraph", "spans": spans})
        loose.clear()

    for node in nodes:
        if isinstance(node, str) or node.tag not in _BLOCK_TAGS:
            loose.append(node)
            continue
        flush()
        tag = node.tag
        if tag in ("p", "dt", "dd", "figcaption"):
            spans = _trim(_spans(node.children, {}))
            if spans:
                blocks.append({"kind": "paragraph", "spans": spans})
        elif len(tag) == 2 and tag[0] == "h" and tag[1].isdigit():
            spans = _trim(_spans(node.children, {}))
            if spans:
                blocks.append({"kind": "heading", "level": int(tag[1]), "spans": spans})
        elif tag in ("ul", "ol"):
            items = [
                _blocks(child.children, deeper)
                for child in node.children
                if isinstance(child, _Node) and child.tag == "li"
            ]
            if depth < MAX_NESTING:
                blocks.append({"kind": "list", "ordered": tag == "ol", "items": items})
            else:
                blocks.extend(block for item in items for block in item)
        elif tag == "pre":
            blocks.append({"kind": "code", "text": _text_of(node).rstrip("\n")})
        elif tag == "blockquote" and depth < MAX_NESTING:
            blocks.append({"kind": "quote", "blocks": _blocks(node.children, deeper)})
        elif tag == "hr":
            blocks.append({"kind": "rule"})
        elif tag == "table":
            rows = [
                [
                    _trim(_spans(cell.children, {}))
                    for cell in row.children
                    if isinstance(cell, _Node)
                ]
                for row in _descendants(node, "tr")
            ]
            blocks.append({"kind": "table", "rows": rows})
        else:  # div, dl, li, figure, a quote too deep ...: their content, flattened
            blocks.extend(_blocks(node.children, depth))
    flush()
    return blocks


def _descendants(node: _Node, tag: str) -> list[_Node]:
    found: list[_Node] = []
    for child in node.children:
        if isinstance(child, _Node):
            if child.tag == tag:
                found.append(child)
            else:
                found.extend(_descendants(child, tag))
    return found


def html_spans(markup: str) -> list[Span]:
    """Inline HTML from `cvgen.markup` as spans."""
    return _trim(_spans(_parse(markup).children, {}))


def html_blocks(markup: str) -> list[Block]:
    """Block HTML from `cvgen.markup` (a Markdown section's body) as blocks."""
    return _blocks(_parse(markup).children)


def inline_spans(text: Any) -> list[Span]:
    """One-line CV text (inline Markdown) as spans; `None` and "" give `[]`."""
    if text is None or text == "":
        return []
    return html_spans(inline_markdown(str(text)))


def markdown_blocks(text: Any) -> list[Block]:
    """Multi-line CV text (Markdown) as blocks; `None` and "" give `[]`."""
    if text is None or text == "":
        return []
    return html_blocks(block_markdown(str(text)))
