"""Any value under `variants:`, `languages:`, `sections:`, `photo:` or `pdf:` in cvgen.yaml
is a setting or an error naming cvgen.yaml, its line and the field; never a traceback, and
the site then renders or stops with that error (issue 28's new inputs)."""

from __future__ import annotations

import contextlib
import shutil
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cvgen.build import render_pages
from cvgen.errors import ContentError, CvgenError
from cvgen.settings.config import load_config

REPO = Path(__file__).resolve().parents[2]
KEYS = ["variants", "languages", "sections", "photo", "pdf"]
scalars = (
    st.none()
    | st.booleans()
    | st.integers(-(10**20), 10**20)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.text(max_size=12)
    | st.sampled_from(["de", "en", "backend", "a4", "cv.pdf", "x" * 300 + ".pdf", "me.png"])
)
values = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.dictionaries(
            st.sampled_from(
                ["name", "tags", "title", "remote", "filename", "paper", "enabled", "de"]
            )
            | st.text(max_size=6),
            inner,
            max_size=4,
        )
    ),
    max_leaves=10,
)


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("site")
    shutil.copy(REPO / "cvgen.yaml", root / "cvgen.yaml")
    shutil.copytree(REPO / "content", root / "content")
    return root


@pytest.mark.slow
@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(key=st.sampled_from(KEYS), value=values)
def test_any_value_of_the_new_settings_is_a_setting_or_a_located_error(
    site: Path, key: str, value: object
) -> None:
    original = yaml.safe_load((REPO / "cvgen.yaml").read_text(encoding="utf-8"))
    original[key] = value
    (site / "cvgen.yaml").write_text(yaml.safe_dump(original, allow_unicode=True), "utf-8")
    try:
        load_config(site)
    except ContentError as exc:
        assert exc.issues and all(issue.file == "cvgen.yaml" for issue in exc.issues), exc.issues
        return
    except CvgenError as exc:
        assert "cvgen.yaml" in str(exc) or key in str(exc), exc
        return
    with contextlib.suppress(CvgenError):  # a clean error: its message is tested where made
        render_pages(site)
