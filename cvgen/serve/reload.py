"""The reload channel: what a build changed, how browsers hear of it, and the client script.

Each successful build that changes the output gets a new build id (`<server>-<n>`). The
server pushes a `LiveState` to every open page over Server-Sent Events (`EVENTS_PATH`);
the injected client script (`CLIENT_JS`, loaded from `SCRIPT_PATH`) compares the build
id it was served with:

- same build, issues listed: show the error overlay; no issues: remove it;
- warnings listed (a build that went on despite them): a small panel in a corner lists
  them, dismissible until the list changes; none: remove it;
- new build whose only change is stylesheets (`css` maps old to new URL paths and
  `base` is the page's build): swap the `<link rel=stylesheet>` hrefs in place;
- any other new build: `location.reload()`.

The script tag is added by `inject_script` when the dev server sends an HTML response,
so it never reaches `render_pages` or `cvgen build` output. It is an external same-origin
script and styles the overlay through the CSSOM, so a strict Content-Security-Policy in
a theme does not block it.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from html import escape
from urllib.parse import quote

from cvgen.bundle.fingerprint import split_fingerprint

LIVE_PREFIX = "/__cvgen/"
SCRIPT_PATH = LIVE_PREFIX + "live.js"
EVENTS_PATH = LIVE_PREFIX + "events"
STATE_PATH = LIVE_PREFIX + "state"
OVERLAY_ID = "cvgen-overlay"
WARNINGS_ID = "cvgen-warnings"


@dataclass(frozen=True)
class LiveState:
    """What every open page should show. `seq` grows with every build attempt."""

    build: str  # id of the site being served; "" before the first good build
    base: str = ""  # the build this one differs from only by `css`
    css: Mapping[str, str] = field(default_factory=dict)  # old URL path -> new URL path
    issues: tuple[str, ...] = ()  # the failed build's `file:line:col: field: message` lines
    # the served build's `file:line:col: warning: field: message` lines (as the terminal)
    warnings: tuple[str, ...] = ()
    strict: bool = False  # `build.strict` is on: `cvgen build` fails while there are warnings
    seq: int = 0

    def to_json(self) -> str:
        return json.dumps(
            {
                "build": self.build,
                "base": self.base,
                "css": dict(self.css),
                "issues": list(self.issues),
                "warnings": list(self.warnings),
                "strict": self.strict,
                "seq": self.seq,
            },
            sort_keys=True,
        )

    def sse_message(self) -> bytes:
        """One Server-Sent Events message; `retry` makes pages reconnect fast after a restart."""
        return f"retry: 500\nid: {self.seq}\ndata: {self.to_json()}\n\n".encode()


@dataclass(frozen=True)
class Change:
    """How two renders differ: `none`, `css` (stylesheets only, see `css`) or `full`."""

    kind: str
    css: Mapping[str, str] = field(default_factory=dict)


NO_CHANGE = Change("none")
FULL_CHANGE = Change("full")


def classify_change(old: Mapping[str, bytes], new: Mapping[str, bytes]) -> Change:
    """Compare two `render_pages` results (output path -> bytes).

    A change is `css` when every changed file is a stylesheet, or a page that differs
    only by the new fingerprinted stylesheet names; browsers can then swap stylesheets
    without reloading. Anything else, including the first build, is `full`.
    """
    changed = {path for path in old.keys() | new.keys() if old.get(path) != new.get(path)}
    if not changed:
        return NO_CHANGE
    if not old:
        return FULL_CHANGE
    css = {path for path in changed if path.endswith(".css")}
    removed = [p for p in css if p in old and p not in new]
    added = [p for p in css if p in new and p not in old]
    renamed = _pair_renamed_stylesheets(removed, added)
    if renamed is None:
        renamed = _pair_through_pages(old, new, changed - css, removed, added)
    if renamed is None:
        return FULL_CHANGE
    for path in changed - css:
        if path not in old or path not in new:
            return FULL_CHANGE
        patched = old[path]
        for before, after in renamed.items():
            patched = patched.replace(_basename(before), _basename(after))
        if patched != new[path]:
            return FULL_CHANGE
    edited = {path: path for path in css if path in old and path in new}
    return Change("css", {"/" + a: "/" + b for a, b in {**renamed, **edited}.items()})


def _basename(path: str) -> bytes:
    return path.rsplit("/", 1)[-1].encode()


def _pair_renamed_stylesheets(removed: list[str], added: list[str]) -> dict[str, str] | None:
    """Match `site.<old hash>.css` with `site.<new hash>.css`; None when they do not pair up."""

    def stems(paths: list[str]) -> dict[str, str] | None:
        by_stem: dict[str, str] = {}
        for path in paths:
            parts = split_fingerprint(path)
            if parts is None or parts[2] != "css" or parts[0] in by_stem:
                return None
            by_stem[parts[0]] = path
        return by_stem

    old, new = stems(removed), stems(added)
    if old is None or new is None or old.keys() != new.keys():
        return None
    return {old[stem]: new[stem] for stem in old}


def _pair_through_pages(
    old: Mapping[str, bytes],
    new: Mapping[str, bytes],
    pages: set[str],
    removed: list[str],
    added: list[str],
) -> dict[str, str] | None:
    """Pair stylesheets sharing a stem (the main page's `assets/style.<a>.css` and a
    variant's `assets/style.<b>.css`, see `cvgen.bundle.folders`) by the pages linking
    them: in each page, the one it linked before with the one it links now. None when a
    page, or two pages, do not pair them up one to one."""
    pairs: dict[str, str] = {}
    for path in pages:
        if path not in old or path not in new:
            return None
        gone = [name for name in removed if _basename(name) in old[path]]
        came = [name for name in added if _basename(name) in new[path]]
        found = _pair_renamed_stylesheets(gone, came)
        if found is None:
            return None
        for before, after in found.items():
            if pairs.setdefault(before, after) != after:
                return None
    if sorted(pairs) != sorted(removed) or set(pairs.values()) != set(added):
        return None
    return pairs


def script_tag(build: str) -> bytes:
    return f'<script src="{SCRIPT_PATH}?build={quote(build)}" defer></script>'.encode()


def inject_script(html: bytes, build: str) -> bytes:
    """The page with the live-reload script tag added before its last `</body>`."""
    tag = script_tag(build)
    at = html.lower().rfind(b"</body>")
    if at < 0:
        return html + tag
    return html[:at] + tag + html[at:]


def error_page(issues: tuple[str, ...]) -> bytes:
    """The page served (status 500) while no build has ever succeeded."""
    lines = "\n".join(escape(line) for line in issues)
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        "<title>Build failed - cvgen serve</title></head>\n<body>"
        "<h1>The site could not be built</h1>\n"
        f"<pre>{lines}</pre>\n"
        "<p>Fix the file and save it: this page updates by itself.</p>\n"
        "</body></html>\n"
    ).encode()


CLIENT_JS = (
    r"""
// cvgen serve: live reload, stylesheet swap, build error overlay and warnings panel
// (dev server only).
(function () {
  "use strict";
  var me = document.currentScript;
  var build = me ? new URL(me.src).searchParams.get("build") || "" : "";
  var OVERLAY = "__OVERLAY_ID__";

  function hideOverlay() {
    var old = document.getElementById(OVERLAY);
    if (old) old.remove();
  }

  function showOverlay(lines, served) {
    hideOverlay();
    var box = document.createElement("div");
    box.id = OVERLAY;
    box.setAttribute("role", "alert");
    var s = box.style;
    // no theme rule (`body > *` widths, grids, fonts) may reach the overlay
    s.all = "initial";
    s.display = "block"; s.width = "auto"; s.maxWidth = "none";
    s.position = "fixed"; s.left = "0"; s.right = "0"; s.top = "0";
    s.zIndex = "2147483647"; s.maxHeight = "80vh"; s.overflow = "auto";
    s.margin = "0"; s.padding = "1rem 1.25rem"; s.boxSizing = "border-box";
    s.background = "#7f1d1d"; s.color = "#fff"; s.borderBottom = "4px solid #fca5a5";
    s.font = "14px/1.5 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    s.textAlign = "left";
    var title = document.createElement("strong");
    title.textContent = served
      ? "cvgen: the build failed; still showing the last good version"
      : "cvgen: the build failed; there is no good version to show yet";
    title.style.display = "block";
    title.style.marginBottom = "0.5rem";
    var pre = document.createElement("pre");
    pre.textContent = lines.join("\n");
    pre.style.margin = "0"; pre.style.whiteSpace = "pre-wrap"; pre.style.font = "inherit";
    var hint = document.createElement("div");
    hint.textContent = "Fix the file and save it: this message goes away by itself.";
    hint.style.marginTop = "0.5rem"; hint.style.opacity = "0.8";
    box.appendChild(title); box.appendChild(pre); box.appendChild(hint);
    (document.body || document.documentElement).appendChild(box);
  }

  // Warnings: a small panel in a corner, out of the way of the page; dismissed, it stays
  // away (across reloads) until the list changes.
  var WARNINGS = "__WARNINGS_ID__";
  var DISMISSED = "cvgen-warnings-dismissed";

  function remember(key) {
    try {
      if (key === null) sessionStorage.removeItem(DISMISSED);
      else sessionStorage.setItem(DISMISSED, key);
    } catch (e) { /* no storage: a dismissal lasts until the next reload */ }
  }

  function dismissed(key) {
    try { return sessionStorage.getItem(DISMISSED) === key; } catch (e) { return false; }
  }

  function hideWarnings() {
    var old = document.getElementById(WARNINGS);
    if (old) old.remove();
  }

  function showWarnings(lines, strict) {
    var key = (strict ? "strict\n" : "") + lines.join("\n");
    var old = document.getElementById(WARNINGS);
    if (old && old.getAttribute("data-lines") === key) return;
    hideWarnings();
    if (!lines.length) { remember(null); return; }
    if (dismissed(key)) return;
    var box = document.createElement("aside");
    box.id = WARNINGS;
    box.setAttribute("role", "status");
    box.setAttribute("aria-label", "cvgen build warnings");
    box.setAttribute("data-lines", key);
    var s = box.style;
    s.all = "initial";
    s.display = "block"; s.position = "fixed"; s.right = "0.75rem"; s.bottom = "0.75rem";
    s.zIndex = "2147483646"; s.maxWidth = "min(40rem, calc(100vw - 1.5rem))";
    s.maxHeight = "40vh"; s.overflow = "auto"; s.boxSizing = "border-box";
    s.padding = "0.5rem 0.75rem"; s.background = "#fffbeb"; s.color = "#713f12";
    s.border = "1px solid #f59e0b"; s.borderRadius = "6px";
    s.boxShadow = "0 2px 10px rgba(0, 0, 0, 0.2)";
    s.font = "12px/1.45 ui-monospace, SFMono-Regular, Menlo, Consolas, monospace";
    s.textAlign = "left";
    var close = document.createElement("button");
    close.type = "button";
    close.textContent = "\u00d7";
    close.title = "Dismiss until the warnings change";
    close.setAttribute("aria-label", "Dismiss warnings");
    var c = close.style;
    c.all = "initial"; c.cssFloat = "right"; c.cursor = "pointer"; c.color = "inherit";
    c.font = "bold 16px/1 sans-serif"; c.marginLeft = "0.75rem";
    close.addEventListener("click", function () { remember(key); hideWarnings(); });
    var title = document.createElement("strong");
    title.textContent = "cvgen: " + lines.length + " warning" + (lines.length === 1 ? "" : "s") +
      (strict ? " (build.strict is on: `cvgen build` fails until they are fixed)" : "");
    var pre = document.createElement("pre");
    pre.textContent = lines.join("\n");
    pre.style.margin = "0.25rem 0 0"; pre.style.whiteSpace = "pre-wrap"; pre.style.font = "inherit";
    box.appendChild(close); box.appendChild(title); box.appendChild(pre);
    (document.body || document.documentElement).appendChild(box);
  }

  function swapStylesheets(css, next) {
    var links = document.querySelectorAll('link[rel~="stylesheet"]');
    for (var i = 0; i < links.length; i++) {
      var url = new URL(links[i].href, location.href);
      var target = css[url.pathname];
      if (target === undefined || url.origin !== location.origin) continue;
      links[i].href = target === url.pathname ? target + "?build=" + encodeURIComponent(next) : target;
    }
  }

  function apply(state) {
    if (state.build !== build) {
      if (state.base === build && build !== "" && Object.keys(state.css).length) {
        swapStylesheets(state.css, state.build);
        build = state.build;
      } else {
        location.reload();
        return;
      }
    }
    if (state.issues.length) {
      showOverlay(state.issues, state.build !== "");
      hideWarnings();  // the overlay lists any warnings found with the errors
    } else {
      hideOverlay();
      showWarnings(state.warnings || [], state.strict === true);
    }
  }

  // for tests and curious authors: which build this page shows, and the last state seen
  var live = (window.cvgenLive = { build: build, seq: -1 });
  var events = null;
  function connect() {
    if (events) return;
    events = new EventSource("__EVENTS_PATH__");
    events.onmessage = function (event) {
      var state = JSON.parse(event.data);
      apply(state);
      live.build = build;
      live.seq = state.seq;
    };
  }
  function disconnect() {
    if (events) events.close();
    events = null;
  }
  // Browsers allow about six HTTP/1.1 connections per host: hidden tabs give theirs back
  // and catch up (reload or overlay) from the first state they get when shown again.
  document.addEventListener("visibilitychange", function () {
    if (document.hidden) disconnect(); else connect();
  });
  window.addEventListener("pagehide", disconnect);
  window.addEventListener("pageshow", function () { if (!document.hidden) connect(); });
  if (!document.hidden) connect();
})();
""".replace("__OVERLAY_ID__", OVERLAY_ID)
    .replace("__WARNINGS_ID__", WARNINGS_ID)
    .replace("__EVENTS_PATH__", EVENTS_PATH)
    .lstrip()
    .encode()
)
