"""One definition of fingerprinted names, shared by render, publish and the dev server."""

from __future__ import annotations

import subprocess
import sys

import pytest

from cvgen.bundle.fingerprint import fingerprint, is_fingerprinted, split_fingerprint


def test_fingerprint_names_an_asset_by_its_content() -> None:
    assert fingerprint("style.css", b"body{}") == "assets/style.7c98040a54.css"
    assert fingerprint("fonts/inter.woff2", b"body{}") == "assets/fonts/inter.7c98040a54.woff2"
    assert fingerprint("style.css", b"body{ }") != fingerprint("style.css", b"body{}")


@pytest.mark.parametrize(
    ("path", "parts"),
    [
        ("assets/style.7c98040a54.css", ("assets/style", "7c98040a54", "css")),
        ("site.0123abcd.js", ("site", "0123abcd", "js")),
        (
            "a/b/c.min.00112233445566778899aabbccddeeff.css",
            ("a/b/c.min", "00112233445566778899aabbccddeeff", "css"),
        ),
        ("assets/style.css", None),
        ("assets/style.1234567.css", None),  # under 8 hex digits
        ("assets/style.ABCDEF0123.css", None),  # hex is lowercase
        ("index.html", None),
        ("assets.0123456789/style.css", None),  # a folder's name does not count
    ],
)
def test_split_fingerprint(path: str, parts: tuple[str, str, str] | None) -> None:
    assert split_fingerprint(path) == parts
    assert is_fingerprinted(path) is (parts is not None)


def test_every_name_render_makes_is_one_publish_caches_and_serve_can_pair() -> None:
    for name in ("style.css", "print.css", "counter.js", "fonts/a.woff2", "favicon.svg"):
        path = fingerprint(name, name.encode())
        assert is_fingerprinted(path), path


def test_the_dev_server_imports_nothing_of_publish() -> None:
    code = (
        "import sys, cvgen.serve.preview, cvgen.serve.server, cvgen.serve.site;"
        "print(sorted(m for m in sys.modules if m.startswith('cvgen.publish')))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"
