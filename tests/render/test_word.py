"""cv.docx: the CV as shown as a real Word document, read back by three readers."""

from __future__ import annotations

import io
import shutil
import subprocess
import zipfile
from pathlib import Path

import docx
import mammoth
import pytest
from docx.enum.text import WD_TAB_ALIGNMENT
from docx.opc.constants import RELATIONSHIP_TYPE

from cvgen.render.shown import ShownCV, show
from cvgen.render.theme import Theme, load_theme
from cvgen.render.word import FONT, render_word, theme_accent
from cvgen.settings.config import Config, SiteConfig
from tests.render.conftest import full_cv, make_config, make_cv
from tests.render.model_texts import model_texts


def _shown(tmp_path: Path, theme: Theme) -> ShownCV:
    return show(full_cv(), make_config(tmp_path), theme)


def test_word_structure_styles_links_and_properties(tmp_path: Path, theme: Theme) -> None:
    shown = _shown(tmp_path, theme)
    document = docx.Document(io.BytesIO(render_word(shown, theme, "a4")))
    styled = [(p.style.name, p.text) for p in document.paragraphs]
    assert styled[0] == ("Title", "Ada Lovelace")
    assert styled[1] == ("Subtitle", "Analytical Engineer")
    assert [t for s, t in styled if s == "Heading 1"] == [s.title for s in shown.sections]
    heads = [p for p in document.paragraphs if p.style.name == "Heading 2"]
    assert heads[0].text == "Lead Programmer\tJan 2020 – Present"
    stops = heads[0].paragraph_format.tab_stops
    assert [stop.alignment for stop in stops] == [WD_TAB_ALIGNMENT.RIGHT]
    assert ("List Bullet", "Computed Bernoulli numbers") in styled
    bold = [r.text for p in document.paragraphs for r in p.runs if r.bold]
    assert "Cloud" in bold  # a skill's name
    links = {
        rel.target_ref
        for rel in document.part.rels.values()
        if rel.reltype == RELATIONSHIP_TYPE.HYPERLINK
    }
    assert {"https://engines.example.com/", "mailto:ada@example.com"} <= links
    assert "https://github.example.com/ada" in links and "https://t.example.org/" in links
    props = document.core_properties
    assert (props.title, props.author, props.language) == (shown.title, "Ada Lovelace", "en")
    assert props.keywords == "Cloud"
    assert document.styles["Normal"].font.name == FONT
    assert len(document.sections) == 1 and not document.tables  # one column, no layout tables
    width = document.sections[0].page_width
    assert width is not None and round(width.cm, 1) == 21.0


@pytest.mark.parametrize(("name", "accent"), [("default", "0B57A4"), ("classic", "7A2430")])
def test_headings_take_the_theme_accent(tmp_path: Path, name: str, accent: str) -> None:
    theme = load_theme(Config(root=tmp_path, theme=name))
    assert theme_accent(theme) == accent
    document = docx.Document(io.BytesIO(render_word(_shown(tmp_path, theme), theme, "letter")))
    colour = document.styles["Heading 1"].font.color.rgb
    assert str(colour) == accent
    height = document.sections[0].page_height
    assert height is not None and round(height.inches, 1) == 11.0


def test_two_builds_give_the_same_bytes(tmp_path: Path, theme: Theme) -> None:
    first = render_word(_shown(tmp_path, theme), theme, "a4")
    assert render_word(_shown(tmp_path, theme), theme, "a4") == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[0] == "[Content_Types].xml"


def test_mammoth_reads_back_every_text_of_the_model(tmp_path: Path, theme: Theme) -> None:
    cv = make_cv(
        basics__summary="I **build** [platforms](https://p.example.com/).\n\n1. first\n2. second",
        references=[{"name": "Grace", "reference": "Ada is *great*."}],
        skills=[{"name": "Cloud", "level": "Expert", "keywords": ["AWS", "GCP"]}],
    )
    shown = show(cv, make_config(tmp_path), theme)
    data = render_word(shown, theme, "a4")
    text = " ".join(mammoth.extract_raw_text(io.BytesIO(data)).value.split())
    missing = [t for t in model_texts(shown) if t not in text]
    assert not missing


def test_a_language_is_the_documents_language(tmp_path: Path, theme: Theme) -> None:
    config = Config(root=tmp_path, site=SiteConfig(language="de"))
    shown = show(full_cv(), config, theme)
    document = docx.Document(io.BytesIO(render_word(shown, theme, "a4")))
    assert document.core_properties.language == "de"
    assert "Berufserfahrung" in [p.text for p in document.paragraphs]
    assert 'w:val="de"' in document.styles["Normal"].element.xml


@pytest.mark.slow
def test_libreoffice_opens_it(tmp_path: Path, theme: Theme) -> None:
    shown = _shown(tmp_path, theme)
    source = tmp_path / "cv.docx"
    source.write_bytes(render_word(shown, theme, "a4"))
    soffice = shutil.which("soffice")
    assert soffice, "LibreOffice Writer is missing: `make browser` installs it"
    profile = (tmp_path / "profile").as_uri()  # its own, so parallel runs do not collide
    subprocess.run(
        [soffice, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf"]
        + ["--outdir", str(tmp_path / "out"), str(source)],
        check=True,
        capture_output=True,
        timeout=180,
    )
    pdf = tmp_path / "out" / "cv.pdf"
    text = subprocess.run(
        ["pdftotext", "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    flat = " ".join(text.split())
    assert flat.startswith("Ada Lovelace Analytical Engineer")
    missing = [t for t in model_texts(shown) if t not in flat]
    assert not missing
