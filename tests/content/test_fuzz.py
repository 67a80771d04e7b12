"""Random damage to the example CV gives a located ContentError or a build, never a traceback.

Bytes of `content/cv.yaml` (of a Markdown file's front matter, and of the official sample
`resume.json`) are flipped, inserted or deleted at random; every result must render or fail with `ContentError`, whose every
issue names the file. The same harness found 13 classes of crash before (issue 18).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.build import render_pages
from cvgen.errors import ContentError

REPO = Path(__file__).resolve().parents[2]
EXAMPLE_CV = (REPO / "content" / "cv.yaml").read_bytes()
EXAMPLE_SECTION = (REPO / "content" / "about.md").read_bytes()
SAMPLE_JSON = (REPO / "tests" / "data" / "jsonresume" / "sample.resume.json").read_bytes()

# One edit: (where, as a fraction of the length; what: a byte, or None to delete one).
edits = st.lists(
    st.tuples(
        st.floats(0, 1, exclude_max=True),
        st.one_of(st.none(), st.integers(0, 255), st.sampled_from(list(b"!&*[{:-<>|#'\"\\\t\n"))),
        st.booleans(),  # insert rather than replace
    ),
    min_size=1,
    max_size=4,
)


def damaged(data: bytes, changes: list[tuple[float, int | None, bool]]) -> bytes:
    out = bytearray(data)
    for where, byte, insert in changes:
        at = int(where * len(out))
        if byte is None:
            del out[at]
        elif insert:
            out.insert(at, byte)
        else:
            out[at] = byte
    return bytes(out)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    shutil.copy(REPO / "cvgen.yaml", root / "cvgen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


def build_or_content_error(root: Path, name: str) -> None:
    try:
        render_pages(root)
    except ContentError as exc:
        assert exc.issues
        assert all(issue.file.startswith("content/") for issue in exc.issues), exc.issues
        assert any(issue.file == name for issue in exc.issues), exc.issues
        # every problem in the damaged file is located (the file is there and not empty)
        assert all(issue.line > 0 for issue in exc.issues if issue.file == name), exc.issues


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=edits)
def test_damaged_cv_yaml_never_gives_a_traceback(
    site: Path, changes: list[tuple[float, int | None, bool]]
) -> None:
    (site / "content" / "cv.yaml").write_bytes(damaged(EXAMPLE_CV, changes))
    try:
        build_or_content_error(site, "content/cv.yaml")
    finally:
        (site / "content" / "cv.yaml").write_bytes(EXAMPLE_CV)


@pytest.mark.slow
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=edits)
def test_damaged_front_matter_never_gives_a_traceback(
    site: Path, changes: list[tuple[float, int | None, bool]]
) -> None:
    front_matter = EXAMPLE_SECTION.index(b"---", 3) + 3
    # damage only the front matter, where YAML is parsed; the body is Markdown
    head = damaged(EXAMPLE_SECTION[:front_matter], changes)
    (site / "content" / "about.md").write_bytes(head + EXAMPLE_SECTION[front_matter:])
    try:
        build_or_content_error(site, "content/about.md")
    finally:
        (site / "content" / "about.md").write_bytes(EXAMPLE_SECTION)


@pytest.mark.slow
@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(changes=edits)
def test_damaged_resume_json_never_gives_a_traceback(
    site: Path, changes: list[tuple[float, int | None, bool]]
) -> None:
    cv_yaml = site / "content" / "cv.yaml"
    resume_json = site / "content" / "resume.json"
    cv_yaml.unlink()
    resume_json.write_bytes(damaged(SAMPLE_JSON, changes))
    try:
        build_or_content_error(site, "content/resume.json")
    finally:
        resume_json.unlink()
        cv_yaml.write_bytes(EXAMPLE_CV)
