"""Change kinds between two renders, script injection, and the event payload.

The client script itself is tested where it runs, in Chromium: `test_reload_script.py`."""

from __future__ import annotations

import json

import pytest

from cvgen.serve.reload import (
    FULL_CHANGE,
    NO_CHANGE,
    Change,
    LiveState,
    classify_change,
    error_page,
    inject_script,
    script_tag,
)


def page(css: str, text: str = "Hello") -> bytes:
    return (
        f'<!doctype html><html><head><link rel="stylesheet" href="/{css}"></head>'
        f"<body><h1>{text}</h1></body></html>"
    ).encode()


OLD = {
    "index.html": page("assets/site.aaaaaaaa.css"),
    "404.html": page("assets/site.aaaaaaaa.css", "Not found"),
    "assets/site.aaaaaaaa.css": b"body{color:red}",
    "assets/counter.js": b"//js",
}


def with_css(new_hash: str, text: str = "Hello", extra: dict[str, bytes] | None = None):
    css = f"assets/site.{new_hash}.css"
    pages = {
        "index.html": page(css, text),
        "404.html": page(css, "Not found"),
        css: b"body{color:blue}",
        "assets/counter.js": b"//js",
    }
    return {**pages, **(extra or {})}


def two_styles(main: str, variant: str) -> dict[str, bytes]:
    """A main page and a variant whose stylesheets differ (each links its own)."""
    return {
        "index.html": page(f"assets/site.{main}.css"),
        "backend/index.html": page(f"assets/site.{variant}.css", "Backend"),
        f"assets/site.{main}.css": b"body{color:" + main.encode() + b"}",
        f"assets/site.{variant}.css": b"body{color:" + variant.encode() + b"}",
    }


TWO_STYLES = two_styles("aaaaaaaa", "bbbbbbbb")


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        pytest.param(OLD, dict(OLD), NO_CHANGE, id="identical"),
        pytest.param({}, OLD, FULL_CHANGE, id="first build"),
        pytest.param(
            OLD,
            with_css("bbbbbbbb"),
            Change("css", {"/assets/site.aaaaaaaa.css": "/assets/site.bbbbbbbb.css"}),
            id="fingerprinted css renamed, pages differ only by its name",
        ),
        pytest.param(OLD, with_css("bbbbbbbb", "Hi"), FULL_CHANGE, id="css and text changed"),
        pytest.param(
            OLD, with_css("bbbbbbbb", extra={"new.html": b"x"}), FULL_CHANGE, id="page added"
        ),
        pytest.param(
            OLD,
            {k: v for k, v in with_css("bbbbbbbb").items() if k != "404.html"},
            FULL_CHANGE,
            id="page removed",
        ),
        pytest.param(
            OLD,
            {**OLD, "assets/counter.js": b"//js2"},
            FULL_CHANGE,
            id="script changed",
        ),
        pytest.param(
            OLD,
            {**OLD, "assets/site.aaaaaaaa.css": b"body{color:green}"},
            Change("css", {"/assets/site.aaaaaaaa.css": "/assets/site.aaaaaaaa.css"}),
            id="same-name stylesheet edited",
        ),
        pytest.param(
            OLD,
            with_css("bbbbbbbb", extra={"assets/print.cccccccc.css": b"x"}),
            FULL_CHANGE,
            id="stylesheet added",
        ),
        pytest.param(
            {**OLD, "assets/print.cccccccc.css": b"x"},
            with_css("bbbbbbbb"),
            FULL_CHANGE,
            id="stylesheet removed",
        ),
        pytest.param(
            TWO_STYLES,
            two_styles("cccccccc", "dddddddd"),
            Change(
                "css",
                {
                    "/assets/site.aaaaaaaa.css": "/assets/site.cccccccc.css",
                    "/assets/site.bbbbbbbb.css": "/assets/site.dddddddd.css",
                },
            ),
            id="two stylesheets of one name (main page, variant) paired by their pages",
        ),
        pytest.param(
            TWO_STYLES,
            two_styles("cccccccc", "cccccccc"),
            Change(
                "css",
                {
                    "/assets/site.aaaaaaaa.css": "/assets/site.cccccccc.css",
                    "/assets/site.bbbbbbbb.css": "/assets/site.cccccccc.css",
                },
            ),
            id="two stylesheets of one name become one",
        ),
        pytest.param(
            two_styles("cccccccc", "cccccccc"),
            TWO_STYLES,
            FULL_CHANGE,
            id="one stylesheet becomes two of one name: no one-to-one swap",
        ),
        pytest.param(
            TWO_STYLES,
            {**two_styles("cccccccc", "dddddddd"), "backend/index.html": page("assets/x", "Hi")},
            FULL_CHANGE,
            id="two stylesheets of one name, and a page's text changed",
        ),
    ],
)
def test_classify_change(old, new, expected: Change) -> None:
    assert classify_change(old, new) == expected


def test_inject_script_goes_before_the_last_body_end() -> None:
    html = b"<html><body><p>`</body>` in text</p></BODY></html>"
    out = inject_script(html, "abc-1")
    assert out == (
        b"<html><body><p>`</body>` in text</p>"
        b'<script src="/__cvgen/live.js?build=abc-1" defer></script></BODY></html>'
    )
    assert inject_script(b"<p>fragment</p>", "x") == b"<p>fragment</p>" + script_tag("x")


def test_live_state_event_and_json() -> None:
    state = LiveState(
        build="s-2", base="s-1", css={"/a.css": "/b.css"}, issues=("x",), warnings=("w",), seq=7
    )
    message = state.sse_message().decode()
    assert message.endswith("\n\n")
    assert "id: 7\n" in message
    data = json.loads(message.split("data: ", 1)[1])
    assert data == {
        "build": "s-2",
        "base": "s-1",
        "css": {"/a.css": "/b.css"},
        "issues": ["x"],
        "warnings": ["w"],
        "strict": False,
        "seq": 7,
    }


def test_error_page_escapes_issue_text() -> None:
    body = error_page(("content/cv.yaml:3:1: basics: <script>alert(1)</script>",)).decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<script>" not in body
