"""Text as compared between the CV and what an extractor read back (pure)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

# Typst sets straight quotes as typographic ones; PDFium reads a hyphen that ends a line as
# U+FFFE (its mark for a hyphen where a word was broken); a soft hyphen is invisible
_SAME = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "\ufffe": "-"})


def _normal(text: str) -> str:
    return text.replace("\u00ad", "").translate(_SAME)


def squashed(text: str) -> str:
    """Text as compared across extraction: lowercase, no white space (line breaks, spaces an
    extractor adds or leaves out), no soft hyphens, quotes and hyphens as typed."""
    return "".join(_normal(text).split()).casefold()


def plain(spans: Sequence[Mapping[str, Any]]) -> str:
    """A span list (`cvgen.render.richtext`) as its text; a line break as a space."""
    return "".join(" " if span.get("break") else str(span.get("text", "")) for span in spans)


def collapsed(text: str) -> str:
    """Runs of white space as one space, no soft hyphens, trimmed."""
    return " ".join(_normal(text).split())
