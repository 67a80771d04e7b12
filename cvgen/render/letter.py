"""An application's cover letter as a PDF, typeset by the theme's own `pdf/cv.typ`.

The letter is the CV's PDF data (`pdf_data`: the same header, fonts, paper and
colours) with no summary and no sections, and a `letter` added:

    "letter": {"date": "7 December 2026", "recipient": ["Jane Doe", "Acme", ...],
               "subject": spans, "blocks": blocks, "signature": spans}

Each built-in theme's template ends with `letter(cv, ...)` from cvgen.typ, which lays it
out below the header (and does nothing on a CV). As with the CV, the letter reaches Typst
as data only.
"""

from __future__ import annotations

from typing import Any

from cvgen.cldr import letter_date
from cvgen.content.applications import Application
from cvgen.content.photo import Photo
from cvgen.errors import Issue
from cvgen.render.pdf import compile_pdf, template_files
from cvgen.render.pdfcache import FOLDER, PdfCache
from cvgen.render.pdfdata import pdf_data
from cvgen.render.richtext import markdown_blocks
from cvgen.render.shown import ShownCV
from cvgen.render.site import recipient_lines
from cvgen.render.theme import Theme
from cvgen.settings.config import Config


def letter_document(
    application: Application, shown: ShownCV, config: Config, photo: Photo | None = None
) -> dict[str, Any]:
    """The data `cv.typ` typesets the letter from (see the module docstring)."""
    document = pdf_data(shown, config, photo)
    title = f"{shown.labels['cover_letter']} – {application.role}"
    meta = {**document["meta"], "title": title, "subject": f"{application.company}: {title}"}
    return {
        **document,
        "meta": meta,
        "basics": {**document["basics"], "summary": []},
        "sections": [],
        "letter": {
            "date": letter_date(application.date, config.site.language),
            "recipient": recipient_lines(application),
            "blocks": markdown_blocks(application.letter),
            "signature": shown.name,
        },
    }


def render_letter_pdf(
    application: Application,
    shown: ShownCV,
    theme: Theme,
    config: Config,
    photo: Photo | None = None,
    *,
    warnings: list[Issue],
) -> bytes:
    """The cover letter as PDF bytes (cached in `.cvgen/pdf/` like the CV's); what the
    typesetting warns about goes to `warnings`."""
    files, names = template_files(theme)
    document = letter_document(application, shown, config, photo)
    cache = PdfCache(config.state_dir / FOLDER)
    return compile_pdf(files, names, document, theme.font_dirs, cache, warnings)
