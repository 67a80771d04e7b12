"""The site being previewed: rebuilt on demand into a temp folder, read by request threads.

`LiveSite.rebuild()` renders the whole site in memory, then swaps it into `site_dir`
while no request is reading, and publishes a new `LiveState` to waiting event streams.
Requests that arrive while a rebuild runs wait for it (`reading()`), so a half-built or
half-swapped site is never served. A failed build keeps the last good site and lists its
issues; the next good build clears them. A good build's warnings are published too, for
the page's warnings panel.
"""

from __future__ import annotations

import logging
import secrets
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cvgen.errors import CvgenError, Issue, error_lines
from cvgen.serve.reload import LiveState, classify_change

if TYPE_CHECKING:
    from cvgen.build import Rendered

log = logging.getLogger(__name__)

# `cvgen.build.render_pages` or `serve.preview.render_preview`: config, pages and warnings
RenderFn = Callable[[Path], "Rendered"]
WriteFn = Callable[[Mapping[str, bytes], Path], object]


class _Once:
    """A deferred file: made on the first request, then kept (or its error, repeated)."""

    def __init__(self, make: Callable[[], bytes]) -> None:
        self._make = make
        self._lock = threading.Lock()
        self._result: bytes | CvgenError | None = None

    def get(self) -> bytes:
        with self._lock:
            if self._result is None:
                try:
                    self._result = self._make()
                except CvgenError as exc:
                    self._result = exc
            if isinstance(self._result, CvgenError):
                raise self._result
            return self._result


@dataclass(frozen=True)
class BuildReport:
    """One rebuild's outcome, for the terminal."""

    state: LiveState
    kind: str  # "none", "css", "full" or "failed"
    seconds: float
    changed: tuple[str, ...]  # the source paths that triggered it (empty for the first build)
    # `file:line:col: warning: ...` lines of a build that went on despite them
    warnings: tuple[str, ...] = ()
    strict: bool = False  # the site asks for `build.strict`: `cvgen build` would fail


class LiveSite:
    """The last good build on disk, its state for browsers, and the lock around swaps."""

    # how long a request waits for a running rebuild before serving what is there
    WAIT_FOR_BUILD = 30.0

    def __init__(
        self,
        root: Path,
        site_dir: Path,
        render: RenderFn,
        write: WriteFn,
        report: Callable[[BuildReport], None] = lambda report: None,
    ) -> None:
        self.root = root
        self.site_dir = site_dir
        self._render = render
        self._write = write
        self._report = report
        self._server_id = secrets.token_hex(4)
        self._builds = 0
        self._pages: Mapping[str, bytes] = {}
        self._deferred: dict[str, _Once] = {}
        self._late: list[Issue] = []  # what making a deferred file (a PDF) warned about
        self._state = LiveState(build="")
        self._cond = threading.Condition()
        self._building = 0
        self._readers = 0
        self._closing = False
        self._rebuild_lock = threading.Lock()

    @property
    def state(self) -> LiveState:
        with self._cond:
            return self._state

    def page_files(self) -> list[str]:
        """The files of the site served now (relative paths)."""
        with self._cond:
            return sorted(self._pages)

    def rebuild(self, changed: Iterable[str] = ()) -> BuildReport:
        """Render and swap in the site; never raises for a broken site (see `issues`)."""
        with self._rebuild_lock:
            with self._cond:
                self._building += 1
            try:
                report = self._rebuild(tuple(sorted(changed)))
            finally:
                with self._cond:
                    self._building -= 1
                    self._cond.notify_all()
        self._report(report)
        return report

    def _rebuild(self, changed: tuple[str, ...]) -> BuildReport:
        started = time.perf_counter()
        try:
            rendered = self._render(self.root)
            pages = rendered.pages
            warnings = tuple(w.describe("warning") for w in rendered.warnings)
            strict = rendered.config.build.strict
            change = classify_change(self._pages, pages)
            if change.kind != "none":
                self._swap_in(pages)
            deferred = rendered.deferred
            with self._cond:  # even when the pages did not change (a PDF template did)
                self._deferred = {name: _Once(make) for name, make in deferred.items()}
                self._late = rendered.late_warnings
        except Exception as exc:  # the last good site stays (the swap is atomic)
            if not isinstance(exc, CvgenError):
                log.exception("building the site failed")
            # a ContentError's lines hold the warnings found with the errors
            state = self._publish(issues=tuple(error_lines(exc)), warnings=())
            return BuildReport(state, "failed", time.perf_counter() - started, changed)
        seconds = time.perf_counter() - started
        if change.kind == "none":  # warnings may change alone (a v0 name renamed)
            state = self._publish(issues=(), warnings=warnings, strict=strict)
        else:
            self._builds += 1
            state = self._publish(
                build=f"{self._server_id}-{self._builds}",
                base=self._state.build if change.kind == "css" else "",
                css=change.css,
                issues=(),
                warnings=warnings,
                strict=strict,
            )
        return BuildReport(
            state, change.kind, seconds, changed, warnings, strict and bool(warnings)
        )

    def _swap_in(self, pages: Mapping[str, bytes]) -> None:
        with self._cond:
            # new readers wait (`_building`); let the ones in flight finish first
            self._cond.wait_for(lambda: self._readers == 0, timeout=self.WAIT_FOR_BUILD)
            self._write(pages, self.site_dir)
            self._pages = dict(pages)

    def _publish(self, **fields: Any) -> LiveState:
        with self._cond:
            self._state = replace(self._state, seq=self._state.seq + 1, **fields)
            self._cond.notify_all()
            return self._state

    @contextmanager
    def reading(self) -> Iterator[LiveState]:
        """Hold off swaps while a request reads files; waits for a running rebuild first."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._building == 0 or self._closing, timeout=self.WAIT_FOR_BUILD
            )
            self._readers += 1
            state = self._state
        try:
            yield state
        finally:
            with self._cond:
                self._readers -= 1
                self._cond.notify_all()

    def deferred_file(self, name: str) -> bytes | None:
        """The deferred file `name` of the current build (made now if need be), or None.
        Raises CvgenError when making it fails (a PDF template error)."""
        with self._cond:
            once, late = self._deferred.get(name), self._late
        if once is None:
            return None
        try:
            return once.get()
        finally:
            self._show_late(late)

    def _show_late(self, late: list[Issue]) -> None:
        """Add what typesetting a PDF warned about to the panel (once each)."""
        with self._cond:
            if late is not self._late:
                return  # a newer build has its own
            shown = self._state.warnings
            new = tuple(
                line
                for line in dict.fromkeys(w.describe("warning") for w in sorted(late))
                if line not in shown
            )
            if new:
                self._publish(warnings=shown + new)  # the condition's lock is re-entrant

    def wait_for_state(self, seen_seq: int, timeout: float) -> LiveState | None:
        """The state once its seq differs from `seen_seq` (or after `timeout`); None when closing."""
        with self._cond:
            self._cond.wait_for(
                lambda: self._state.seq != seen_seq or self._closing, timeout=timeout
            )
            return None if self._closing else self._state

    def close(self) -> None:
        """Wake every waiting event stream so the server can shut down at once."""
        with self._cond:
            self._closing = True
            self._cond.notify_all()
