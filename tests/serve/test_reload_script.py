"""The live-reload client script where it runs: in headless Chromium, fed `LiveState`s.

The page and the script come from playwright routes (no server); `EventSource` is replaced
by a stand-in the test pushes states through, so each reaction (overlay, stylesheet swap,
reload, disconnecting hidden tabs) is seen on its own. `test_browser.py` covers the same
script end to end behind `cvgen serve`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from cvgen.serve.reload import (
    CLIENT_JS,
    EVENTS_PATH,
    OVERLAY_ID,
    WARNINGS_ID,
    LiveState,
    script_tag,
)

pytestmark = pytest.mark.browser

ORIGIN = "http://cvgen.test"
PAGE = f"""<!doctype html><html><head>
<link rel="stylesheet" href="/assets/site.aaaaaaaa.css">
<link rel="stylesheet" href="https://elsewhere.test/assets/site.aaaaaaaa.css">
</head><body><h1>Ada</h1>{script_tag("b1").decode()}</body></html>"""

# Stands in for the browser's EventSource: records every stream the script opens.
FAKE_EVENT_SOURCE = """
window.__streams = [];
window.EventSource = class {
  constructor(url) { this.url = url; this.closed = false; window.__streams.push(this); }
  close() { this.closed = true; }
};
let hidden = false;
Object.defineProperty(document, "hidden", { get: () => hidden });
window.__setHidden = (value) => {
  hidden = value;
  document.dispatchEvent(new Event("visibilitychange"));
};
"""


class Preview:
    """The page as served by `cvgen serve`, and a channel to push states into it."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.loads = 0  # how many times the browser fetched the page (reloads included)
        page.add_init_script(FAKE_EVENT_SOURCE)
        page.route(f"{ORIGIN}/**", self._serve)
        page.route("https://elsewhere.test/**", lambda route: route.fulfill(body="", status=200))
        page.goto(f"{ORIGIN}/")
        page.wait_for_function("() => window.cvgenLive && window.__streams.length === 1")

    def _serve(self, route: Any) -> None:
        path = route.request.url[len(ORIGIN) :].split("?")[0]
        if path == "/":
            self.loads += 1
            route.fulfill(body=PAGE, content_type="text/html")
        elif path == "/__cvgen/live.js":
            route.fulfill(body=CLIENT_JS, content_type="text/javascript")
        elif path.endswith(".css"):
            route.fulfill(body="h1{}", content_type="text/css")
        else:
            route.fulfill(status=404, body="")

    def push(self, state: LiveState) -> None:
        """Deliver `state` to the newest stream, as the server's event stream would."""
        self.page.evaluate(
            "(data) => { const s = window.__streams.at(-1); s.onmessage({ data }); }",
            state.to_json(),
        )

    def links(self) -> list[str]:
        return list(
            self.page.evaluate(
                "() => [...document.querySelectorAll('link[rel=stylesheet]')]"
                ".map(l => l.getAttribute('href'))"
            )
        )


@pytest.fixture
def preview(page: Any) -> Iterator[Preview]:
    yield Preview(page)
    assert page.console_errors == []


def test_the_script_listens_on_the_event_path_with_its_build(preview: Preview) -> None:
    assert preview.page.evaluate("() => window.__streams[0].url") == EVENTS_PATH
    assert preview.page.evaluate("() => window.cvgenLive") == {"build": "b1", "seq": -1}
    preview.push(LiveState(build="b1", seq=4))
    assert preview.page.evaluate("() => window.cvgenLive") == {"build": "b1", "seq": 4}
    assert preview.loads == 1


def test_a_failed_build_shows_its_issues_as_text_and_a_fixed_one_removes_them(
    preview: Preview,
) -> None:
    page = preview.page
    issue = "content/cv.yaml:7:10: basics.label: <b>mapping values</b> are not allowed here"
    preview.push(LiveState(build="b1", issues=(issue, "content/about.md:2:1: title: x"), seq=1))
    overlay = page.get_by_role("alert")
    assert overlay.get_attribute("id") == OVERLAY_ID
    assert issue in overlay.inner_text()
    assert "content/about.md:2:1: title: x" in overlay.inner_text()
    assert page.locator(f"#{OVERLAY_ID} b").count() == 0  # issue text is never markup
    assert page.locator("h1").inner_text() == "Ada"  # the last good page stays under it

    preview.push(LiveState(build="b1", issues=("content/cv.yaml:8:1: other",), seq=2))
    assert page.locator(f"#{OVERLAY_ID}").count() == 1  # replaced, not stacked
    assert "content/cv.yaml:8:1: other" in overlay.inner_text()

    preview.push(LiveState(build="b1", seq=3))
    assert page.locator(f"#{OVERLAY_ID}").count() == 0
    assert preview.loads == 1


def test_a_stylesheet_only_build_swaps_links_in_place(preview: Preview) -> None:
    page = preview.page
    page.evaluate("() => { window.__marker = 'kept'; }")
    renamed = {"/assets/site.aaaaaaaa.css": "/assets/site.bbbbbbbb.css"}
    preview.push(LiveState(build="b2", base="b1", css=renamed, seq=1))
    assert preview.links() == [
        "/assets/site.bbbbbbbb.css",
        "https://elsewhere.test/assets/site.aaaaaaaa.css",  # another origin: left alone
    ]
    assert page.evaluate("() => window.cvgenLive.build") == "b2"

    # the same file edited in place: the URL gets the build as a cache-buster
    edited = {"/assets/site.bbbbbbbb.css": "/assets/site.bbbbbbbb.css"}
    preview.push(LiveState(build="b3", base="b2", css=edited, seq=2))
    assert preview.links()[0] == "/assets/site.bbbbbbbb.css?build=b3"
    assert page.evaluate("() => window.__marker") == "kept"
    assert preview.loads == 1


@pytest.mark.parametrize(
    "state",
    [
        pytest.param(LiveState(build="b2", seq=1), id="new build"),
        pytest.param(
            LiveState(
                build="b2",
                base="b0",
                css={"/assets/site.aaaaaaaa.css": "/assets/site.bbbbbbbb.css"},
                seq=1,
            ),
            id="stylesheet change against a build this page never had",
        ),
        pytest.param(LiveState(build="b2", base="b1", seq=1), id="new build, no stylesheets"),
    ],
)
def test_any_other_new_build_reloads_the_page(preview: Preview, state: LiveState) -> None:
    with preview.page.expect_navigation():
        preview.push(state)
    assert preview.loads == 2
    assert preview.links()[0] == "/assets/site.aaaaaaaa.css"


def test_hidden_tabs_give_their_stream_back_and_reconnect_when_shown(preview: Preview) -> None:
    page = preview.page
    page.evaluate("() => window.__setHidden(true)")
    assert page.evaluate("() => window.__streams.map(s => s.closed)") == [True]
    page.evaluate("() => window.__setHidden(false)")
    assert page.evaluate("() => window.__streams.map(s => s.closed)") == [True, False]
    # the new stream's first state brings the tab up to date
    preview.push(LiveState(build="b1", issues=("content/cv.yaml:1:1: x",), seq=9))
    assert page.get_by_role("alert").count() == 1


WARNING = "content/cv.yaml:4:3: warning: basics.website: old JSON Resume (v0) name; <b>x</b>"


def test_warnings_show_in_a_panel_that_can_be_dismissed_until_they_change(
    preview: Preview,
) -> None:
    page = preview.page
    panel = page.locator(f"#{WARNINGS_ID}")
    preview.push(LiveState(build="b1", warnings=(WARNING,), seq=1))
    assert panel.get_attribute("role") == "status"  # not an alert: the build went on
    assert "cvgen: 1 warning" in panel.inner_text()
    assert WARNING in panel.inner_text()
    assert page.locator(f"#{WARNINGS_ID} b").count() == 0  # warning text is never markup
    assert page.get_by_role("alert").count() == 0

    page.get_by_role("button", name="Dismiss warnings").click()
    assert panel.count() == 0
    preview.push(LiveState(build="b1", warnings=(WARNING,), seq=2))
    assert panel.count() == 0  # the same warnings stay dismissed...
    with page.expect_navigation():
        preview.push(LiveState(build="b2", warnings=(WARNING,), seq=3))
    page.wait_for_function("() => window.__streams.length === 1")
    preview.push(LiveState(build="b1", warnings=(WARNING,), seq=4))
    assert panel.count() == 0  # ...across reloads too

    other = "content/about.md:2:1: warning: title: y"
    preview.push(LiveState(build="b1", warnings=(WARNING, other), seq=5))
    assert "cvgen: 2 warnings" in panel.inner_text() and other in panel.inner_text()

    # a failed build: the overlay (which lists warnings found with the errors) replaces it
    preview.push(LiveState(build="b1", issues=("content/cv.yaml:1:1: x",), seq=6))
    assert page.get_by_role("alert").count() == 1 and panel.count() == 0
    preview.push(LiveState(build="b1", warnings=(other,), seq=7))
    assert page.get_by_role("alert").count() == 0 and panel.count() == 1

    preview.push(LiveState(build="b1", seq=8))  # fixed: the panel goes
    assert panel.count() == 0

    # with `build.strict`, the panel says `cvgen build` would fail
    preview.push(LiveState(build="b1", warnings=(other,), strict=True, seq=9))
    assert "build.strict is on: `cvgen build` fails until they are fixed" in panel.inner_text()
    preview.push(LiveState(build="b1", warnings=(other,), seq=10))
    assert "build.strict" not in panel.inner_text()
