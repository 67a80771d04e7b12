"""A site with three applications (two variants, two languages) builds each to its private
folder: what is written, what no public file holds, and byte-identical rebuilds."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.build import build, render_pages

SITE = Path(__file__).parent / "site"
ACME = "a/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/"
GLOBEX = "a/globex-9e8d7c6b5a4938271605f4e3d2c1b0a9/"
INITECH = "a/initech-0123456789abcdef0123456789abcdef/"
TOKENS = [b"3f0c9a1b2d4e5f60718293a4b5c6d7e8", b"9e8d7c6b5a4938271605f4e3d2c1b0a9"]
TOKENS += [b"0123456789abcdef0123456789abcdef"]
# what never leaves the machine: the notes and the posting's address
PRIVATE = [b"SECRET-NOTE", b"acme.example/jobs"]


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(SITE, tmp_path / "site")
    return tmp_path / "site"


def test_each_application_gets_its_folder_with_its_page_letter_and_assets(root: Path) -> None:
    pages = render_pages(root).pages
    apps = sorted(p for p in pages if p.startswith("a/"))
    for folder, letter in ((ACME, True), (GLOBEX, True), (INITECH, False)):
        mine = [p.removeprefix(folder) for p in apps if p.startswith(folder)]
        expected = {"index.html", "resume.json", "cv.docx", "cv.txt"}  # pdf.enabled: false
        expected |= {"letter.html"} if letter else set()
        assert expected <= set(mine)
        assert {p for p in mine if not p.startswith("assets/")} == expected
        assert any(p.startswith("assets/style.") for p in mine)  # its own: frozen with it
    acme = pages[ACME + "index.html"].decode()
    assert '<html lang="en">' in acme and "Backend Engineer" in acme  # its variant
    assert '<meta name="robots" content="noindex, nofollow">' in acme
    assert '<meta name="referrer" content="no-referrer">' in acme
    assert 'rel="canonical"' not in acme and "hreflang" not in acme
    assert '<a href="letter.html">Cover letter</a>' in acme
    globex = pages[GLOBEX + "index.html"].decode()
    assert '<html lang="de">' in globex and "Anschreiben" in globex
    letter = pages[GLOBEX + "letter.html"].decode()
    assert "8. Dezember 2026" in letter  # the date in the application's language
    assert "<p>ich bewerbe mich als Frontend-Entwicklerin.</p>" in letter
    assert '<p class="letter-signature">Grace Hopper</p>' in letter
    recipient = pages[ACME + "letter.html"].decode()
    assert "Jane Doe<br>Acme<br>Main Street 1<br>10115 Berlin</address>" in recipient
    assert "December 7, 2026" in recipient  # CLDR English


def test_no_public_file_names_a_token_and_no_file_holds_the_notes(root: Path) -> None:
    pages = render_pages(root).pages
    public = {p: d for p, d in pages.items() if not p.startswith("a/")}
    assert {"index.html", "sitemap.xml", "robots.txt", "resume.json", "de/index.html"} <= set(
        public
    )
    for path, data in public.items():
        for token in TOKENS:
            assert token not in data, (path, token)
        assert b"/a/" not in data and b"acme" not in data.lower(), path
    for path, data in pages.items():
        for secret in PRIVATE:
            assert secret not in data, (path, secret)


def test_two_builds_are_byte_identical(root: Path, tmp_path: Path) -> None:
    first, second = tmp_path / "one", tmp_path / "two"
    build(root, first)
    build(root, second)
    files = sorted(p.relative_to(first) for p in first.rglob("*") if p.is_file())
    assert files == sorted(p.relative_to(second) for p in second.rglob("*") if p.is_file())
    assert any(str(p).startswith("a/") for p in files)
    for path in files:
        assert (first / path).read_bytes() == (second / path).read_bytes(), path


def test_a_partial_build_leaves_other_languages_applications_out(root: Path) -> None:
    pages = render_pages(root, language="de").pages
    assert not any(p.startswith("a/") for p in pages)  # de/ holds none; they live in a/
    english = render_pages(root, language="en").pages
    assert any(p.startswith(ACME) for p in english)
    assert not any(p.startswith(GLOBEX) for p in english)
