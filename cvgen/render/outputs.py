"""The files made beside each page (`outputs:` in cvgen.yaml): one maker per kind, each
reading the CV as shown and nothing else, so adding an output touches only this table and
its own module."""

from __future__ import annotations

from collections.abc import Callable

from cvgen.content.photo import Photo
from cvgen.errors import Issue
from cvgen.render.shown import ShownCV, paper
from cvgen.render.theme import Theme
from cvgen.settings.config import Config

# (the CV as shown, theme, the page's config, photo, where warnings go) -> the file's bytes
Maker = Callable[[ShownCV, Theme, Config, Photo | None, list[Issue]], bytes]


def _pdf(
    shown: ShownCV, theme: Theme, config: Config, photo: Photo | None, warnings: list[Issue]
) -> bytes:
    # Typst, and PDFium to read it back for the ATS check: loaded when a PDF is made
    from cvgen.check.run import checked_pdf

    return checked_pdf(shown.cv, theme, config, photo, shown, config.pdf.filename, warnings)


def _docx(
    shown: ShownCV, theme: Theme, config: Config, photo: Photo | None, warnings: list[Issue]
) -> bytes:
    # python-docx: loaded when a Word file is made (and read back for the ATS check)
    from cvgen.check.run import check_docx
    from cvgen.render.pdfdata import pdf_data
    from cvgen.render.word import render_word

    data = render_word(shown, theme, paper(shown, config))
    warnings += check_docx(data, pdf_data(shown, config, photo), config.docx.filename)
    return data


def _txt(
    shown: ShownCV, theme: Theme, config: Config, photo: Photo | None, warnings: list[Issue]
) -> bytes:
    from cvgen.render.plaintext import render_text

    return render_text(shown)


# kind (a name `outputs:` may list: cvgen.config.OUTPUTS) -> its maker
MAKERS: dict[str, Maker] = {"pdf": _pdf, "docx": _docx, "txt": _txt}
