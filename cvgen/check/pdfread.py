"""A PDF read back with PDFium (`pypdfium2`), the extractor behind Chrome's viewer: the one
place cvgen opens a PDF it made, for the page budget (pages, lines on the last page) and the
ATS self-check (text per page, bookmarks, fonts).

Everything is read at once into plain data (`PdfText`), so callers stay pure and PDFium,
which is not thread-safe, is held for one call under one lock.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from typing import Any

_lock = threading.Lock()
# the end of the page footer every built-in theme prints: "Ada Lindqvist    2 / 3"
_PAGE_NUMBER = re.compile(r"(^|\s)\d+\s*/\s*\d+\s*$")
# text rectangles whose bottoms lie this close are one line (in points)
_SAME_LINE = 2.0


@dataclass(frozen=True)
class PdfPage:
    text: str  # as PDFium extracts it, in its reading order


@dataclass(frozen=True)
class PdfText:
    pages: tuple[PdfPage, ...]
    # the bookmarks (section headings): (level, title, 0-based page)
    outline: tuple[tuple[int, str, int], ...]
    # base font names used by text on any page, and those not embedded
    fonts: tuple[str, ...]
    unembedded: tuple[str, ...]


@dataclass(frozen=True)
class PageFill:
    """How far a PDF's text reaches: its pages and how much of the last one it fills."""

    pages: int
    last_lines: int  # lines of text on the last page above its footer
    last_fill: float  # from the top of the last page to its lowest such line, 0 to 1


def page_fill(pdf: bytes) -> PageFill:
    """How many pages `pdf` has and how full its last page is (only that page is read)."""
    import pypdfium2 as pdfium

    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            count = len(document)
            if not count:
                return PageFill(0, 0, 0.0)
            page = document[count - 1]
            height = page.get_height()
            rows = _rows(page)
        finally:
            document.close()
    body = rows[: _footer(rows)]
    lowest = min((bottom for bottom, _ in body), default=height)
    return PageFill(count, len(body), (height - lowest) / height if height else 0.0)


def read_pdf(pdf: bytes, *, fonts: bool = True) -> PdfText:
    """The text, bookmarks and fonts of `pdf` (`fonts=False`: skip the fonts)."""
    import pypdfium2 as pdfium

    with _lock:
        document = pdfium.PdfDocument(pdf)
        try:
            pages = tuple(_page(document[i]) for i in range(len(document)))
            outline = tuple(_bookmark(item) for item in document.get_toc())
            used, unembedded = _fonts(document) if fonts else ((), ())
        finally:
            document.close()
    return PdfText(pages, outline, used, unembedded)


def _bookmark(item: Any) -> tuple[int, str, int]:
    dest = item.get_dest()
    index = dest.get_index() if dest is not None else None
    return item.level, item.get_title(), -1 if index is None else index


def _rows(page: Any) -> list[tuple[float, str]]:
    """The page's lines of text as (bottom, text) from the top down; closes `page`."""
    textpage = page.get_textpage()
    try:
        rows: list[tuple[float, list[tuple[float, str]]]] = []  # (bottom, [(left, text)])
        for i in range(textpage.count_rects()):
            left, bottom, right, top = textpage.get_rect(i)
            piece = textpage.get_text_bounded(left, bottom, right, top)
            if not piece.strip():
                continue
            for row_bottom, pieces in rows:
                if abs(row_bottom - bottom) <= _SAME_LINE:
                    pieces.append((left, piece))
                    break
            else:
                rows.append((bottom, [(left, piece)]))
    finally:
        textpage.close()
        page.close()
    rows.sort(key=lambda row: -row[0])  # PDF y grows upwards: top line first
    return [(bottom, " ".join(p for _, p in sorted(pieces)).strip()) for bottom, pieces in rows]


def _footer(rows: list[tuple[float, str]]) -> int:
    """The index of the footer's line (the one ending in the page number), else len(rows)."""
    for i in range(len(rows) - 1, max(len(rows) - 3, -1), -1):  # it is at the bottom
        if _PAGE_NUMBER.search(rows[i][1]):
            return i
    return len(rows)


def _page(page: Any) -> PdfPage:
    textpage = page.get_textpage()
    try:
        return PdfPage(textpage.get_text_range())
    finally:
        textpage.close()
        page.close()


def _fonts(document: Any) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Base names of the fonts text is set in, and the ones not embedded in the file."""
    import ctypes

    import pypdfium2.raw as raw

    used: set[str] = set()
    unembedded: set[str] = set()
    for index in range(len(document)):
        page = document[index]
        try:
            for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_TEXT]):
                font = raw.FPDFTextObj_GetFont(obj.raw)
                if not font:
                    continue
                size = raw.FPDFFont_GetBaseFontName(font, None, 0)
                buffer = ctypes.create_string_buffer(max(size, 1))
                raw.FPDFFont_GetBaseFontName(font, buffer, size)
                name = buffer.value.decode("utf-8", "replace")
                used.add(name)
                if not raw.FPDFFont_GetIsEmbedded(font):
                    unembedded.add(name)
        finally:
            page.close()
    return tuple(sorted(used)), tuple(sorted(unembedded))
