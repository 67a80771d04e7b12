"""load_content on real folders, and the JSON Resume export against the official schema."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from cvgen.content.export import SCHEMA_URL, resume_document, resume_json
from cvgen.content.load import load_content
from cvgen.content.model import CV, RESUME_SECTIONS
from cvgen.errors import ContentError, CvgenError
from cvgen.settings.config import Config, load_config

REPO = Path(__file__).resolve().parents[2]
JSONRESUME = REPO / "tests" / "data" / "jsonresume"
SAMPLES = [JSONRESUME / "sample.resume.json", *sorted((JSONRESUME / "examples").glob("*.json"))]
SCHEMA = json.loads(
    (REPO / "cvgen" / "schemas" / "jsonresume.schema.json").read_text(encoding="utf-8")
)


def site_with(tmp_path: Path, files: dict[str, str | bytes]) -> Config:
    for name, body in files.items():
        path = tmp_path / "content" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(body, bytes):
            path.write_bytes(body)
        else:
            path.write_text(body, encoding="utf-8")
    return Config(root=tmp_path)


def issues(config: Config) -> list[str]:
    with pytest.raises(ContentError) as caught:
        load_content(config)
    return [str(issue) for issue in caught.value.issues]


def validate_against_schema(document: object) -> None:
    jsonschema.Draft7Validator(SCHEMA, format_checker=jsonschema.FormatChecker()).validate(document)


def test_example_cv_loads_and_looks_like_a_real_cv() -> None:
    cv = load_content(load_config(REPO))
    assert cv.source == "content/cv.yaml"
    assert cv.name == "Ada Lindqvist"
    resume = cv.resume
    assert len(resume["basics"]["profiles"]) >= 2
    assert len(resume["work"]) >= 4
    assert all(job["highlights"] for job in resume["work"])
    assert len(resume["education"]) >= 2 and len(resume["projects"]) >= 3
    for section in ("skills", "languages", "certificates", "awards", "interests", "volunteer"):
        assert resume[section], section
    assert [(s.slug, s.title, s.order) for s in cv.sections][0] == ("about", "About", 5)
    # only example domains: no real person's or company's address
    for url in _strings(resume):
        if "://" in url or "@" in url:
            host = url.split("@")[-1].split("://")[-1].split("/")[0]
            assert host.endswith(("example.com", "example.org")), url


def _strings(value: object) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def test_example_export_validates_against_the_official_schema() -> None:
    cv = load_content(load_config(REPO))
    data = resume_json(cv)
    assert data.endswith(b"}\n") and not data.endswith(b"\n\n")
    document = json.loads(data)
    validate_against_schema(document)
    assert document["$schema"] == SCHEMA_URL
    assert list(document)[:3] == ["$schema", "basics", "work"]
    assert "references" not in document  # empty sections are left out
    assert "Fjällräv" in data.decode("utf-8")  # UTF-8, not \u escapes


def test_export_is_deterministic(example_site: Path) -> None:
    first = resume_json(load_content(load_config(example_site)))
    # Same content read again (new objects, same bytes)
    assert resume_json(load_content(load_config(example_site))) == first


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.name)
def test_official_samples_load_without_issues_and_round_trip(tmp_path: Path, sample: Path) -> None:
    config = site_with(tmp_path, {"resume.json": sample.read_text(encoding="utf-8")})
    cv = load_content(config)
    assert cv.source == "content/resume.json"
    original = json.loads(sample.read_text(encoding="utf-8"))
    assert cv.name == original["basics"]["name"]
    exported = json.loads(resume_json(cv))
    validate_against_schema(exported)
    # Nothing of the sample is lost on the way through (empty strings aside).
    assert exported == _without_empty(original)


def _without_empty(value: object) -> object:
    if isinstance(value, dict):
        return {k: _without_empty(v) for k, v in value.items() if v not in ("", [], {}, None)}
    if isinstance(value, list):
        return [_without_empty(v) for v in value]
    return value


def test_yaml_and_json_give_the_same_cv(tmp_path: Path) -> None:
    yaml_site = site_with(
        tmp_path / "y",
        {"cv.yaml": "basics:\n  name: Ada\nwork:\n  - name: A\n    startDate: 2020\n"},
    )
    json_site = site_with(
        tmp_path / "j",
        {
            "resume.json": '{\n\t"basics": {"name": "Ada"},\n\t"work": [{"name": "A", "startDate": "2020"}]\n}'
        },
    )
    assert load_content(yaml_site).resume == load_content(json_site).resume


def test_normalised_shape(tmp_path: Path) -> None:
    cv = load_content(site_with(tmp_path, {"cv.yaml": "basics:\n  name: Ada\n"}))
    assert cv.resume["basics"] == {"name": "Ada", "profiles": []}
    assert all(cv.resume[name] == [] for name in RESUME_SECTIONS)
    assert cv.sections == ()
    assert json.loads(resume_json(cv)) == {"$schema": SCHEMA_URL, "basics": {"name": "Ada"}}


def test_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    cv = load_content(site_with(tmp_path, {"cv.yaml": "\ufeffbasics:\n  name: Åsa\n".encode()}))
    assert cv.name == "Åsa"


def test_sections_sorted_by_order_then_slug(tmp_path: Path) -> None:
    config = site_with(
        tmp_path,
        {
            "cv.yaml": "basics:\n  name: Ada\n",
            "talks.md": "---\ntitle: Talks\n---\n# Recent\n\n- One <b>x</b>\n",
            "about.md": "---\ntitle: About me\norder: 10\n---\n\nHello *there*.\n",
            "books.md": "---\ntitle: Books\n---\nRead.\n",
            "zz-first.md": "---\ntitle: First\norder: -1\n---\n",
        },
    )
    sections = load_content(config).sections
    assert [(s.slug, s.order) for s in sections] == [
        ("zz-first", -1),
        ("about", 10),
        ("books", 100),
        ("talks", 100),
    ]
    about = sections[1]
    assert about.title == "About me" and about.source == "content/about.md"
    assert about.html == "<p>Hello <em>there</em>.</p>"
    # body headings nest under the section's <h2>; raw HTML is escaped
    assert sections[3].html == "<h3>Recent</h3>\n<ul>\n<li>One &lt;b&gt;x&lt;/b&gt;</li>\n</ul>"
    assert sections[0].html == ""


def test_front_matter_with_crlf_line_endings(tmp_path: Path) -> None:
    config = site_with(
        tmp_path,
        {"cv.yaml": "basics:\n  name: Ada\n", "about.md": b"---\r\ntitle: About\r\n---\r\nHi.\r\n"},
    )
    (section,) = load_content(config).sections
    assert (section.title, section.html) == ("About", "<p>Hi.</p>")


def test_problems_in_several_files_are_reported_together(tmp_path: Path) -> None:
    config = site_with(
        tmp_path,
        {
            "cv.yaml": "basics:\n  name: Ada\n  label: [a, b]\n",
            "about.md": "---\ntitle: About\nordre: 1\n---\n",
        },
    )
    assert issues(config) == [
        "content/about.md:3:1: ordre: unknown front matter key `ordre`; did you mean `order`?",
        "content/cv.yaml:3:3: basics.label: expected text, got a list",
    ]


def test_json_nan_is_refused(tmp_path: Path) -> None:
    config = site_with(tmp_path, {"resume.json": '{"basics": {"name": "Ada", "phone": NaN}}'})
    assert issues(config) == [
        'content/resume.json:1:37: basics.phone: NaN is not valid JSON; write a number, or "NaN"'
        " for text"
    ]


def test_missing_content_folder_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(CvgenError, match="no content folder"):
        load_content(Config(root=tmp_path))


def test_cv_model_contract() -> None:
    cv = CV(resume={"basics": {"name": "Ada"}}, sections=(), source="content/cv.yaml")
    assert resume_document(cv)["basics"] == {"name": "Ada"}
