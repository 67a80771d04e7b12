"""The ATS self-check run on a PDF the build just made: read back with PDFium, compared
with the CV as shown (`ats.check_reading`), each finding an `Issue` in the build's one
warning channel (so `--strict` and `cvgen check` fail on it)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cvgen.check.ats import check_reading
from cvgen.check.pdfread import read_pdf
from cvgen.content.model import CV
from cvgen.content.photo import Photo
from cvgen.errors import Issue
from cvgen.render import pdf as typeset
from cvgen.render.pdfdata import pdf_data
from cvgen.render.shown import ShownCV
from cvgen.render.theme import Theme
from cvgen.settings.config import Config

# the start of every finding's message: how `cvgen check` tells them from other warnings
ATS = "ATS check: "


def check_pdf(pdf: bytes, document: Mapping[str, Any], name: str) -> list[Issue]:
    """The findings for `pdf` (typeset from `document`, written as `name`) as warnings."""
    findings = check_reading(document, read_pdf(pdf))
    return [Issue(name, 0, 0, f.where, ATS + f.message) for f in findings]


def check_docx(data: bytes, document: Mapping[str, Any], name: str) -> list[Issue]:
    """The findings for a Word file made from the CV whose PDF data is `document`."""
    from cvgen.check.docxread import read_docx

    findings = check_reading(document, read_docx(data))
    return [Issue(name, 0, 0, f.where, ATS + f.message) for f in findings]


def checked_pdf(
    cv: CV,
    theme: Theme,
    config: Config,
    photo: Photo | None,
    shown: ShownCV,
    name: str,
    warnings: list[Issue],
) -> bytes:
    """The PDF (`render_pdf`), its page-budget warning and its ATS findings in `warnings`."""
    pdf = typeset.render_pdf(cv, theme, config, photo, shown, warnings=warnings)
    warnings += check_pdf(pdf, pdf_data(shown, config, photo), name)
    return pdf


def ats_findings(warnings: Sequence[Issue]) -> list[Issue]:
    """The ATS check's findings among a build's warnings."""
    return [w for w in warnings if w.message.startswith(ATS)]
