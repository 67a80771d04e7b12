"""A PDF page budget (`pdf.pages`, and a variant's `pdf: {pages: N}`), checked in one place."""

from __future__ import annotations

from typing import Any

from cvgen.errors import Issue
from cvgen.yamldoc import Path_, YamlDoc

MAX_PAGES = 20


def check_pages(doc: YamlDoc, path: Path_, value: Any) -> Issue | None:
    """A page budget is a whole number from 1 to MAX_PAGES (None: no budget)."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_PAGES:
        return doc.issue(
            path,
            f"expected the number of pages the PDF must fit in, 1 to {MAX_PAGES}"
            f" (e.g. `pages: 1`), got {value!r}",
        )
    return None
