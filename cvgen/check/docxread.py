"""A Word file read back with python-docx, as a parser reads it: its paragraphs' text in
order (hyperlinks' text included, a tab as a space), in the shape the ATS check compares
(`pdfread.PdfText`: one "page"; Word embeds no fonts, so none are listed)."""

from __future__ import annotations

import io

from cvgen.check.pdfread import PdfPage, PdfText


def read_docx(data: bytes) -> PdfText:
    """The text of the Word file `data`, one line per paragraph."""
    import docx

    document = docx.Document(io.BytesIO(data))
    lines = [paragraph.text.replace("\t", " ") for paragraph in document.paragraphs]
    return PdfText((PdfPage("\r\n".join(lines)),), (), (), ())
