from __future__ import annotations

import pytest

from cvgen.bundle.headers import headers_for
from cvgen.publish.plan import Plan, Upload
from cvgen.publish.report import human_size, plan_table, summary_line


@pytest.mark.parametrize(
    ("size", "text"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 KB"), (12400, "12.4 KB"), (2_500_000, "2.5 MB")],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text


def test_summary_line_format() -> None:
    assert (
        summary_line(3, 12400, 0, 2, 0.8)
        == "uploaded 3 files (12.4 KB), deleted 0, invalidated 2 paths in 0.8 s"
    )
    assert summary_line(1, 5, 1, 1, 0.04).startswith(
        "uploaded 1 file (5 B), deleted 1, invalidated 1 path"
    )


def test_plan_table_lists_reason_size_cache_control_and_totals() -> None:
    plan = Plan(
        uploads=(
            Upload(
                "assets/site.0123456789.css",
                "new",
                2048,
                "s",
                headers_for("assets/site.0123456789.css"),
            ),
            Upload("index.html", "content", 1000, "s", headers_for("index.html")),
        ),
        deletes=("old.html",),
        invalidations=("/", "/index.html", "/old.html"),
        unchanged=4,
    )
    lines = plan_table(plan).splitlines()
    assert lines[0].split() == ["path", "reason", "size", "cache-control"]
    assert lines[1].split()[:4] == ["assets/site.0123456789.css", "new", "2.0", "KB"]
    assert "public, max-age=31536000, immutable" in lines[1]
    assert lines[2].split()[:2] == ["index.html", "content"]
    assert lines[3].split() == ["old.html", "delete"]
    assert lines[4] == "total: 2 uploads (3.0 KB), 1 delete, 4 unchanged"
    assert lines[5] == "invalidate (3): / /index.html /old.html"
    assert plan_table(Plan()).splitlines()[-1] == "invalidate: none"
