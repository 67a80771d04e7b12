"""Invisible control characters in Markdown bodies (sections and entry files): left out of
every output (page, PDF, resume.json) with a located warning, like the same characters
are refused, located, in YAML (`tests/content/bad/control_characters`)."""

from __future__ import annotations

import json
import logging
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.build import build
from cvgen.cli import cli
from cvgen.errors import ContentError
from tests.render.test_pdf import pdftotext

# C0 (not tab or newline), DEL, C1 (NEL too), U+FFFE: what YAML refuses in cv.yaml
CONTROLS = "\x00\x01\x07\x1b\x7f\x85\x9b\ufffe"
ANY_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
ABOUT = "---\ntitle: About\n---\nPasted from a PDF: Ca\x01pital\nand a list:\n\n- Ne\x1b[1mxt\x7f\n"
ENTRY = (
    "---\nname: Initech\nposition: Engineer\nstartDate: 2019-01\n---\n"
    "Ran\x85 the\x9b build farm.\n\n- Cut builds\x00 to 4 minutes\ufffe\n"
)


def write_site(site: Path) -> None:
    (site / "content" / "about.md").write_text(ABOUT, encoding="utf-8")
    (site / "content" / "work").mkdir()
    (site / "content" / "work" / "initech.md").write_text(ENTRY, encoding="utf-8")


def test_markdown_controls_are_left_out_with_a_located_warning(
    example_site: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write_site(example_site)
    with caplog.at_level(logging.WARNING):
        report = build(example_site)
    warnings = [str(w) for w in report.warnings]
    expected = [
        ("content/about.md", 4, 22, "0001"),
        ("content/about.md", 7, 5, "001B"),
        ("content/about.md", 7, 11, "007F"),
        ("content/work/initech.md", 6, 4, "0085"),
        ("content/work/initech.md", 6, 9, "009B"),
        ("content/work/initech.md", 8, 13, "0000"),
        ("content/work/initech.md", 8, 27, "FFFE"),
    ]
    assert warnings == [
        f"{file}:{line}:{col}: invisible control character U+{code} here (often pasted from"
        " a PDF or a terminal); left out; delete it"
        for file, line, col, code in expected
    ]
    out = report.output
    html = (out / "index.html").read_text("utf-8")
    assert "Capital" in html and "Ne[1mxt" in html  # the rest of the text stays
    assert "Ran the build farm." in html and "Cut builds to 4 minutes" in html
    exported = (out / "resume.json").read_text("utf-8")
    job = next(w for w in json.loads(exported)["work"] if w["name"] == "Initech")
    assert job["summary"] == "Ran the build farm."
    assert job["highlights"] == ["Cut builds to 4 minutes"]
    # pdftotext ends each page with a form feed of its own
    pdf = pdftotext((out / "cv.pdf").read_bytes(), tmp_path).replace("\f", "")
    assert "Capital" in pdf and "Ran the build farm." in pdf
    for name, text in {"index.html": html, "resume.json": exported, "cv.pdf": pdf}.items():
        assert not ANY_CONTROL.search(text), name
    assert "\\u00" not in exported  # not written as JSON escapes either
    assert "no font here has" not in caplog.text  # nothing unprintable reached the PDF

    with pytest.raises(ContentError) as caught:  # --strict: errors, nothing written
        build(example_site, tmp_path / "strict", strict=True)
    assert [str(i) for i in caught.value.issues] == warnings
    assert not (tmp_path / "strict").exists()


def test_the_cli_prints_them_as_warnings_and_builds(example_site: Path) -> None:
    write_site(example_site)
    result = CliRunner().invoke(cli, ["build", "--root", str(example_site)])
    assert result.exit_code == 0, result.output
    assert "content/about.md:4:22: warning: invisible control character U+0001" in result.output


def test_translated_bodies_get_the_same_treatment(tmp_path: Path) -> None:
    """`about.de.md`, `work/remington.de.md` (languages: in cvgen.yaml): the same warning."""
    from tests.test_languages import SITE

    root = tmp_path / "site"
    shutil.copytree(SITE, root)
    about = root / "content" / "about.de.md"
    about.write_text(about.read_text("utf-8").replace("gern", "ge\x01rn"), "utf-8")
    job = root / "content" / "work" / "remington.de.md"
    job.write_text(job.read_text("utf-8").replace("Compiler", "Comp\x1biler"), "utf-8")
    overlay = root / "content" / "cv.de.yaml"
    text = overlay.read_text("utf-8")
    overlay.write_text(text.replace("label: Softwareentwicklerin", 'label: "Soft\\x01ware"'))
    report = build(root)
    assert [str(w) for w in report.warnings if "control character" in w.message] == [
        "content/about.de.md:4:15: invisible control character U+0001 here (often pasted from"
        " a PDF or a terminal); left out; delete it",
        f"content/cv.de.yaml:3:10: basics.label: {TEXT_WARNING.format('0001')}",
        "content/work/remington.de.md:6:17: invisible control character U+001B here (often"
        " pasted from a PDF or a terminal); left out; delete it",
    ]
    german = (report.output / "de" / "index.html").read_text("utf-8")
    assert "gern" in german and "Compiler-Team" in german and "Software" in german
    assert not ANY_CONTROL.search(german)


# The same characters inside text values, where the file itself is fine: YAML escapes,
# JSON escapes (as tools that export JSON write pasted text), and DEL/C1 that JSON allows
# as they are. Raw in a YAML file they are errors (tests/content/bad/control_characters).
ESCAPED_YAML = (
    "basics:\n"
    '  name: "Ada\\x01 Lovelace"\n'
    '  label: "Engi\\x1bneer"\n'
    "work:\n"
    "  - name: Initech\n"
    '    summary: "Ran\\x7f builds"\n'
    '    stack: ["Py\\u0085thon"]\n'  # a field outside the schema: kept, cleaned too
    "talks:\n"
    '  - title: "On \\x9bCVs"\n'  # a custom section
)
ESCAPED_JSON = (
    '{\n  "basics": {\n    "name": "Ada\\u0001 Lovelace",\n    "label": "Engi\x7fneer"\n  },\n'
    '  "work": [{"name": "Initech", "summary": "Ran\x9b builds"}]\n}\n'
)
TEXT_WARNING = (
    "invisible control character U+{} in this text (often pasted from a PDF or a terminal);"
    " left out; delete it"
)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        pytest.param(
            "cv.yaml",
            ESCAPED_YAML,
            [
                ("2:9", "basics.name", "0001"),
                ("3:10", "basics.label", "001B"),
                ("6:14", "work[0].summary", "007F"),
                ("7:13", "work[0].stack[0]", "0085"),
                ("9:12", "talks[0].title", "009B"),
            ],
            id="YAML escapes",
        ),
        pytest.param(
            "resume.json",
            ESCAPED_JSON,
            [
                ("3:13", "basics.name", "0001"),
                ("4:14", "basics.label", "007F"),
                ("6:43", "work[0].summary", "009B"),
            ],
            id="JSON escapes and raw DEL, C1",
        ),
    ],
)
def test_control_characters_inside_values_are_left_out_with_a_located_warning(
    example_site: Path,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    name: str,
    text: str,
    expected: list[tuple[str, str, str]],
) -> None:
    content = example_site / "content"
    (content / "cv.yaml").unlink()
    (content / name).write_text(text, encoding="utf-8")
    about = content / "about.md"
    about.write_text('---\ntitle: "Ab\\x07out"\n---\nHello.\n', encoding="utf-8")
    with caplog.at_level(logging.WARNING):
        report = build(example_site)
    file = f"content/{name}"
    assert [str(w) for w in report.warnings] == sorted(
        [
            *(f"{file}:{at}: {field}: {TEXT_WARNING.format(code)}" for at, field, code in expected),
            f"content/about.md:2:8: title: {TEXT_WARNING.format('0007')}",
        ]
    )
    out = report.output
    html = (out / "index.html").read_text("utf-8")
    exported = (out / "resume.json").read_text("utf-8")
    pdf = pdftotext((out / "cv.pdf").read_bytes(), tmp_path).replace("\f", "")
    assert "Ada Lovelace" in html and "Engineer" in html and "Ran builds" in html
    assert '"name": "Ada Lovelace"' in exported and "Ran builds" in exported
    assert "Ada Lovelace" in pdf and "Ran builds" in " ".join(pdf.split())
    for output, body in {"index.html": html, "resume.json": exported, "cv.pdf": pdf}.items():
        assert not ANY_CONTROL.search(body), output
        assert "\\u00" not in body, output
    assert "no font here has" not in caplog.text
