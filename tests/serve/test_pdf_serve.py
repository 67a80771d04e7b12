"""`cvgen serve` and the files beside the page (PDF, Word, text): made when first asked
for, fresh after every change."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import cvgen.render.pdf
import cvgen.render.word
from cvgen.serve.preview import render_preview
from tests.render.test_pdf import pdftotext

from .conftest import edit, running
from .test_server import request


@pytest.fixture
def pdf_calls(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every PDF typeset and checked (by the CV's name), through the real checked_pdf."""
    calls: list[str] = []
    real = cvgen.render.pdf.render_pdf

    def counting(cv: Any, theme: Any, config: Any, *photo: Any, **kwargs: Any) -> bytes:
        calls.append(cv.name)
        return real(cv, theme, config, *photo, **kwargs)

    monkeypatch.setattr(cvgen.render.pdf, "render_pdf", counting)
    return calls


def test_the_pdf_is_made_on_request_and_follows_edits(
    example_site: Path, tmp_path: Path, pdf_calls: list[str]
) -> None:
    with running(example_site, render=render_preview) as server:
        assert pdf_calls == []  # a rebuild alone typesets nothing
        status, headers, body = request(server.url, "/cv.pdf")
        assert status == 200 and headers["content-type"] == "application/pdf"
        assert headers["cache-control"] == "no-store"
        assert "Senior Platform Engineer" in pdftotext(body, tmp_path)
        assert request(server.url, "/cv.pdf")[2] == body
        assert pdf_calls == ["Ada Lindqvist"]  # once per build

        edit(example_site / "content" / "cv.yaml", "Senior Platform", "Principal Platform")
        server.live.rebuild(["content/cv.yaml"])
        assert pdf_calls == ["Ada Lindqvist"]
        status, _, body = request(server.url, "/cv.pdf")
        assert status == 200 and "Principal Platform Engineer" in pdftotext(body, tmp_path)
        assert len(pdf_calls) == 2
        status, _, page = request(server.url, "/")
        assert b'href="cv.pdf"' in page


def test_a_pdf_template_change_alone_refreshes_the_pdf(example_site: Path, tmp_path: Path) -> None:
    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    with running(example_site, render=render_preview) as server:
        before = request(server.url, "/cv.pdf")[2]
        template.write_text(
            template.read_text(encoding="utf-8") + "\n#text[Edited template]\n", encoding="utf-8"
        )
        server.live.rebuild(["theme/default/pdf/cv.typ"])  # the page itself did not change
        after = request(server.url, "/cv.pdf")[2]
        assert after != before and "Edited template" in pdftotext(after, tmp_path)


def test_a_broken_pdf_template_answers_with_its_error_and_the_page_still_serves(
    example_site: Path,
) -> None:
    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    edit(template, "#let meta = cv.meta", "#let meta = cv.meat")
    with running(example_site, render=render_preview) as server:
        status, headers, body = request(server.url, "/cv.pdf")
        assert status == 500 and headers["content-type"].startswith("text/plain")
        assert b"theme/default/pdf/cv.typ:" in body and b"meat" in body
        assert request(server.url, "/")[0] == 200


def test_no_pdf_when_it_is_turned_off(example_site: Path, pdf_calls: list[str]) -> None:
    config = example_site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\npdf:\n  enabled: false\n")
    with running(example_site, render=render_preview) as server:
        assert request(server.url, "/cv.pdf")[0] == 404
    assert pdf_calls == []


def test_word_and_text_are_made_on_request_and_follow_edits(
    example_site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    made: list[str] = []
    real = cvgen.render.word.render_word

    def counting(shown: Any, *rest: Any) -> bytes:
        made.append(shown.author)
        return real(shown, *rest)

    monkeypatch.setattr(cvgen.render.word, "render_word", counting)
    with running(example_site, render=render_preview) as server:
        assert made == []  # a build alone makes no Word file
        status, headers, body = request(server.url, "/cv.docx")
        assert status == 200 and body.startswith(b"PK\x03\x04") and made == ["Ada Lindqvist"]
        assert headers["content-type"].endswith("wordprocessingml.document")
        status, headers, text = request(server.url, "/cv.txt")
        assert status == 200 and headers["content-type"] == "text/plain; charset=utf-8"
        assert text.startswith(b"Ada Lindqvist\nSenior Platform Engineer\n")
        edit(example_site / "content" / "cv.yaml", "Senior Platform", "Principal Platform")
        server.live.rebuild(["content/cv.yaml"])
        assert b"Principal Platform Engineer" in request(server.url, "/cv.txt")[2]
        assert request(server.url, "/cv.docx")[2] != body and len(made) == 2
        page = request(server.url, "/")[2]
        assert b'href="cv.docx"' in page and b'href="cv.txt"' in page


def test_the_pdfs_warnings_reach_the_panel_once_it_is_made(example_site: Path) -> None:
    config = example_site / "cvgen.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "\npdf:\n  pages: 1\n")
    with running(example_site, render=render_preview) as server:
        assert not any("pdf.pages" in w for w in server.live.state.warnings)
        assert request(server.url, "/cv.pdf")[0] == 200
        [warning] = [w for w in server.live.state.warnings if "pdf.pages" in w]
        assert "cvgen.yaml:" in warning and "past page 1:" in warning
