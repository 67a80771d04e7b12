"""Request path -> file: traversal in every spelling is refused, folders serve index.html."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.serve.paths import Located, locate, url_segments


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/", ()),
        ("/index.html", ("index.html",)),
        ("/assets/site.abc123.css", ("assets", "site.abc123.css")),
        ("/a//b/./c", ("a", "b", "c")),
        ("/caf%C3%A9.html", ("café.html",)),
        ("/with%20space/", ("with space",)),
        # refused: traversal, plain and encoded
        ("/../etc/passwd", None),
        ("/a/../../etc/passwd", None),
        ("/a/..", None),
        ("/%2e%2e/etc/passwd", None),
        ("/%2E%2E%2Fetc%2Fpasswd", None),
        ("/.%2e/secret", None),
        ("/%2e./secret", None),
        # double-encoded: `%252e` decodes to `%2e`, refused rather than guessed
        ("/%252e%252e%252fetc%252fpasswd", None),
        ("/%25", ("%",)),  # a lone percent sign is not a second layer
        # backslashes, raw or encoded
        ("/..\\..\\etc\\passwd", None),
        ("/%5c..%5cetc", None),
        ("/a\\b", None),
        # NUL and control characters
        ("/index.html%00.png", None),
        ("/index.html\x00", None),
        ("/a%0Ab", None),
        ("/a%7f", None),
        # undecodable bytes, relative or absolute-URL forms
        ("/%ff%fe", None),
        ("index.html", None),
        ("", None),
        ("http://evil.example/", None),
    ],
)
def test_url_segments(raw: str, expected: tuple[str, ...] | None) -> None:
    assert url_segments(raw) == expected


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "blog").mkdir(parents=True)
    (site / "empty").mkdir()
    (site / "index.html").write_text("home")
    (site / "blog" / "index.html").write_text("blog")
    (site / "style.css").write_text("css")
    (tmp_path / "secret.txt").write_text("outside")
    (site / "escape").symlink_to(tmp_path / "secret.txt")
    (site / "escape-dir").symlink_to(tmp_path)
    return site


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("/", Located(Path("index.html"))),
        ("/index.html", Located(Path("index.html"))),
        ("/blog/", Located(Path("blog/index.html"))),
        ("/blog", Located(None, redirect="/blog/")),
        ("/style.css", Located(Path("style.css"))),
        ("/missing.html", Located(None)),
        ("/empty/", Located(None)),
        ("/style.css/", Located(Path("style.css"))),
        # refused
        ("/../secret.txt", None),
        ("/%2e%2e/secret.txt", None),
        ("/escape", None),  # symlink to a file outside the site
        ("/escape-dir/secret.txt", None),
        # `//evil.example/blog` has segments ("evil.example", "blog"): a missing file, and
        # never a redirect to another host
        ("//evil.example", Located(None)),
    ],
)
def test_locate(site: Path, raw: str, expected: Located | None) -> None:
    found = locate(site, raw)
    if expected is None or expected.file is None:
        assert found == expected
    else:
        assert found == Located((site / expected.file).resolve())


def test_redirect_is_rebuilt_from_checked_segments(site: Path) -> None:
    (site / "evil.example").mkdir()
    found = locate(site, "//evil.example")
    assert found == Located(None, redirect="/evil.example/")
