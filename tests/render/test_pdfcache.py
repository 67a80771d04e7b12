"""The PDF cache in `.cvgen/pdf/`: a rebuild that changes nothing the PDF shows typesets
nothing and gives the same bytes; any change of an input typesets again; a missing, corrupt
or unwritable cache never breaks a build."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import cvgen.render.pdf
from cvgen.build import build
from cvgen.render import pdfcache
from cvgen.render.pdfcache import PdfCache, pdf_key

ENTRIES = Path(".cvgen") / "pdf"


@pytest.fixture
def typesets(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """One item per Typst compiler asked for (one per typesetting attempt), through the real one."""
    calls: list[bool] = []
    real = cvgen.render.pdf._compiler

    def counting(font_dirs: tuple[Path, ...], system_fonts: bool) -> Any:
        calls.append(system_fonts)
        return real(font_dirs, system_fonts)

    monkeypatch.setattr(cvgen.render.pdf, "_compiler", counting)
    return calls


def _pdf(site: Path) -> bytes:
    build(site)
    return (site / "output" / "cv.pdf").read_bytes()


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_a_rebuild_reuses_the_pdf_and_an_edit_typesets_again(
    example_site: Path, typesets: list[bool]
) -> None:
    first = _pdf(example_site)
    assert len(typesets) == 1
    assert len(list((example_site / ENTRIES).iterdir())) == 1
    assert _pdf(example_site) == first
    assert len(typesets) == 1  # taken from .cvgen/pdf/, not typeset

    # the CV's text
    _edit(example_site / "content" / "cv.yaml", "Ada Lindqvist", "Ada Lindqvist-Berg")
    edited = _pdf(example_site)
    assert len(typesets) == 2 and edited != first
    assert _pdf(example_site) == edited and len(typesets) == 2

    # a template file (the site's own copy of the theme)
    _edit(example_site / "theme" / "default" / "pdf" / "cv.typ", "#", "// edited\n#")
    _pdf(example_site)
    assert len(typesets) == 3

    # a font file of the theme
    fonts = example_site / "theme" / "default" / "pdf" / "fonts"
    font = next(fonts.glob("*.ttf"))
    font.write_bytes(font.read_bytes() + b"\0")
    _pdf(example_site)
    assert len(typesets) == 4
    assert _pdf(example_site) and len(typesets) == 4


def test_the_paper_size_is_an_input_too(example_site: Path, typesets: list[bool]) -> None:
    before = _pdf(example_site)
    _edit(example_site / "cvgen.yaml", "theme: default", "theme: default\npdf:\n  paper: letter")
    letter = _pdf(example_site)
    assert len(typesets) == 2 and letter != before


def test_a_cached_pdf_is_what_typesetting_gives(example_site: Path, typesets: list[bool]) -> None:
    cold = _pdf(example_site)
    warm = _pdf(example_site)
    shutil.rmtree(example_site / ".cvgen")
    again = _pdf(example_site)
    assert cold == warm == again and len(typesets) == 2


@pytest.mark.parametrize(
    "damage",
    [
        pytest.param(lambda p: p.write_bytes(p.read_bytes()[:-100]), id="truncated"),
        pytest.param(lambda p: p.write_bytes(p.read_bytes().replace(b"Ada", b"Bob")), id="edited"),
        pytest.param(lambda p: p.write_bytes(b""), id="empty"),
        pytest.param(lambda p: p.unlink(), id="deleted"),
    ],
)
def test_a_damaged_entry_is_typeset_again(
    example_site: Path, typesets: list[bool], damage: Callable[[Path], None]
) -> None:
    first = _pdf(example_site)
    (entry,) = (example_site / ENTRIES).iterdir()
    damage(entry)
    assert _pdf(example_site) == first
    assert len(typesets) == 2
    assert _pdf(example_site) == first and len(typesets) == 2  # and stored whole again


def test_a_state_folder_that_cannot_be_written_only_costs_time(
    example_site: Path, typesets: list[bool]
) -> None:
    (example_site / ".cvgen").write_text("not a folder", encoding="utf-8")
    first = _pdf(example_site)
    assert _pdf(example_site) == first
    assert len(typesets) == 2
    assert (example_site / ".cvgen").read_text(encoding="utf-8") == "not a folder"


def test_a_pdf_with_a_warning_is_never_cached(example_site: Path, typesets: list[bool]) -> None:
    # a character no font has: the machine's fonts are tried, and a warning says so; a
    # cached copy would hide that warning on the next build
    _edit(example_site / "content" / "cv.yaml", "Ada Lindqvist", "Ada \u0378 Lindqvist")
    warnings = [
        str(w)
        for _ in range(2)
        for w in build(example_site).warnings
        if "cv.pdf" in str(w) and "ATS check" not in str(w)  # (the check: the name is not read)
    ]
    assert len(warnings) == 2  # the warning, on each build
    assert typesets.count(False) == 2  # typeset both times
    assert not (example_site / ENTRIES).exists()


def test_a_pdf_typeset_from_the_theme_s_fonts_with_a_warning_is_never_cached(
    example_site: Path, typesets: list[bool]
) -> None:
    # a warning from Typst itself (a font family nobody has), the theme's fonts alone
    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    template.write_text('#set text(font: "No Such Family")\n' + template.read_text("utf-8"))
    warnings = [str(w) for _ in range(2) for w in build(example_site).warnings if "PDF" in str(w)]
    assert len(warnings) == 2 and "no such family" in warnings[0].lower()
    assert typesets == [False, False]  # the theme's fonts, typeset both times
    assert not (example_site / ENTRIES).exists()


def test_a_typesetting_warning_is_counted_and_strict_refuses_it(example_site: Path) -> None:
    from click.testing import CliRunner

    from cvgen.cli import cli

    template = example_site / "theme" / "default" / "pdf" / "cv.typ"
    template.write_text('#set text(font: "No Such Family")\n' + template.read_text("utf-8"))
    (warning,) = [w for w in build(example_site).warnings if "PDF template" in str(w)]
    assert str(warning).startswith("theme/default/pdf/cv.typ:1:")  # file:line:col first
    before = (example_site / "output" / "cv.pdf").read_bytes()
    result = CliRunner().invoke(cli, ["build", "--root", str(example_site), "--strict"])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "no such family" in result.output.lower()
    assert (example_site / "output" / "cv.pdf").read_bytes() == before  # nothing lost


def _key(**changes: Any) -> str:
    args: dict[str, Any] = {
        "files": {"main.typ": b"#cv", "cvgen.typ": b"#let x = 1"},
        "inputs": {"cv": '{"name":"Ada"}'},
        "font_dirs": (),
        "standards": ["ua-1"],
    }
    return pdf_key(**{**args, **changes})


def test_the_key_covers_every_input(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = _key()
    assert _key() == base
    assert _key(files={"main.typ": b"#cv ", "cvgen.typ": b"#let x = 1"}) != base
    assert _key(files={"main.typ": b"#cv", "helpers.typ": b"#let x = 1"}) != base
    assert _key(inputs={"cv": '{"name":"Bob"}'}) != base
    assert _key(standards=[]) != base
    # names and bytes do not run together: ("ab", "c") is not ("a", "bc")
    assert _key(files={"ab": b"c"}) != _key(files={"a": b"bc"})
    fonts = tmp_path / "fonts"
    fonts.mkdir()
    assert _key(font_dirs=(fonts,)) == base  # an empty folder adds nothing
    (fonts / "A.ttf").write_bytes(b"font")
    with_font = _key(font_dirs=(fonts,))
    assert with_font != base
    (fonts / "A.ttf").write_bytes(b"font!")
    assert _key(font_dirs=(fonts,)) != with_font
    # another typst (an upgrade, a reinstall)
    monkeypatch.setattr(pdfcache, "_typst_files", lambda: [("_typst.abi3.so", 1, 2)])
    assert _key() != base


def test_the_typst_package_is_read_without_importing_it() -> None:
    names = [name for name, _, _ in pdfcache._typst_files()]
    assert "__init__.py" in names and any(n.startswith("_typst") for n in names)


def test_only_the_newest_entries_are_kept(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(pdfcache, "KEEP", 3)
    cache = PdfCache(tmp_path / "pdf")
    for n in range(3):
        cache.put(f"k{n}", b"%PDF-" + bytes([n]))
        os.utime(tmp_path / "pdf" / f"k{n}.pdf-cache", (n + 1, n + 1))  # k0 is the oldest
    cache.put("k3", b"%PDF-3")
    assert sorted(p.name for p in (tmp_path / "pdf").iterdir()) == [
        f"k{n}.pdf-cache" for n in (1, 2, 3)
    ]
    assert cache.get("k3") == b"%PDF-3"
    assert cache.get("k0") is None
