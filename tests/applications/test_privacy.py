"""`privacy.public_hide`: the fields it names are in no public file (page, PDF, resume.json,
JSON-LD, meta) and in every application's; a field it cannot name is an error."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cvgen.build import render_pages
from cvgen.errors import ContentError
from tests.applications.test_build import ACME, GLOBEX, SITE

PRIVATE = [b"+49 30 1234567", b"grace@example.com", b"Hauptstrasse 5", b"tel:+4930"]


def site_with(tmp_path: Path, privacy: str, pdf: bool = False) -> Path:
    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    config = (root / "cvgen.yaml").read_text(encoding="utf-8")
    if pdf:
        config = config.replace("pdf:\n  enabled: false\n", "")
    (root / "cvgen.yaml").write_text(config + privacy, encoding="utf-8")
    return root


def pdf_text(data: bytes, tmp_path: Path) -> bytes:
    path = tmp_path / "x.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout


def test_hidden_fields_leave_every_public_file_and_stay_in_applications(tmp_path: Path) -> None:
    root = site_with(
        tmp_path, "privacy:\n  public_hide: [phone, location.address, email]\n", pdf=True
    )
    pages = render_pages(root).pages
    public = [p for p in pages if not p.startswith("a/")]
    assert {"index.html", "de/index.html", "backend/index.html", "resume.json", "cv.pdf"} <= set(
        public
    )
    for path in public:
        data = pdf_text(pages[path], tmp_path) if path.endswith(".pdf") else pages[path]
        for secret in PRIVATE:
            assert secret not in data, (path, secret)
    assert b"Berlin" in pages["index.html"]  # the city is not hidden
    for folder in (ACME, GLOBEX):
        page, resume = pages[folder + "index.html"], pages[folder + "resume.json"]
        assert b"+49 30 1234567" in page and b"grace@example.com" in page
        assert b"Hauptstrasse 5" in resume
        assert b"+49 30 1234567" in pdf_text(pages[folder + "cv.pdf"], tmp_path)
        assert b"grace@example.com" in pdf_text(pages[folder + "letter.pdf"], tmp_path)


def test_without_public_hide_the_public_page_shows_them(tmp_path: Path) -> None:
    pages = render_pages(site_with(tmp_path, "")).pages
    assert b"+49 30 1234567" in pages["index.html"]


@pytest.mark.parametrize(
    ("privacy", "message"),
    [
        (
            "privacy:\n  public_hide: [phone, adress]\n",
            "cvgen.yaml:17:24: privacy.public_hide[1]: `adress` is not a `basics` field",
        ),
        (
            "privacy:\n  public_hide: [location.street]\n",
            "cvgen.yaml:17:17: privacy.public_hide[0]: `location.street` is not a `basics` field",
        ),
        (
            "privacy:\n  public_hide: phone\n",
            "cvgen.yaml:17:16: privacy.public_hide: expected a list, got 'phone'",
        ),
        ("privacy:\n  hide: [phone]\n", "privacy.hide: unknown"),
    ],
)
def test_a_field_public_hide_cannot_name_is_an_error(
    tmp_path: Path, privacy: str, message: str
) -> None:
    with pytest.raises(ContentError) as caught:
        render_pages(site_with(tmp_path, privacy))
    assert message in "\n".join(issue.describe() for issue in caught.value.issues)
