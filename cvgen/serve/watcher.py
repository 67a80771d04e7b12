"""Watching the site's sources: which file events matter, and one rebuild per save storm.

- `is_ignored(path)`: pure; True for editor and OS droppings (vim swap and probe files,
  `~` backups, emacs locks, JetBrains/gedit/kate temp files, `*.tmp`, ...).
- `QuietWindow`: pure; when the debounced action is due, given the event times.
- `Debouncer`: a thread calling `action(paths)` once events stop for `quiet` seconds
  (or `max_wait` after the first event of an endless stream).
- `SourceWatcher`: watchdog observers on `content/`, `theme/`, the built-in themes and
  `cvgen.yaml`, feeding the relevant events into a Debouncer.

Only writes count: watchdog also reports `opened`/`closed_no_write` events on Linux, and
the build itself reads every source file, so counting those would rebuild forever.
"""

from __future__ import annotations

import contextlib
import logging
import re
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePath
from typing import Any

log = logging.getLogger(__name__)

# Names (last path component) that editors, tools and OSes create next to real files.
_IGNORED_NAME = re.compile(
    r"""
    ^\..*\.s[vw][a-z]x?$        # vim swap files: .cv.yaml.swp, .swo, ..., .svz, .swpx
    | .*\.sw[pox]$              # vim swap files kept elsewhere: cv.yaml.swp
    | .*~$                      # backups: cv.yaml~ (vim, emacs, gedit, nano)
    | ^\d+$                     # vim's write probe: 4913, 5036, ...
    | ^\.\#.*                   # emacs lock links: .#cv.yaml
    | ^\#.*\#$                  # emacs auto-save: #cv.yaml#
    | .*\.(tmp|temp|part|bak|orig|rej|crdownload)(\.[^.]*)?$  # cv.yaml.tmp, x.tmp.1234
    | .*___jb_(tmp|old|bak)___$ # JetBrains safe write
    | ^\.goutputstream-.*       # gedit
    | .*\.kate-swp$             # kate
    | ^\.~lock\..*\#$           # LibreOffice
    | ^~\$.*                    # MS Office
    | ^sed[A-Za-z0-9]{6}$       # sed -i
    | ^\.(DS_Store|directory)$ | ^(Thumbs\.db|desktop\.ini)$
    | .*\.py[co]$
    """,
    re.VERBOSE | re.IGNORECASE,
)
# Folders whose contents never feed the build.
_IGNORED_DIRS = frozenset({".git", ".hg", ".svn", "__pycache__", "node_modules", ".cache"})


def is_ignored(path: str | PurePath) -> bool:
    """Whether a changed file is editor/OS noise that must not trigger a rebuild."""
    parts = PurePath(path).parts
    if not parts:
        return True
    return bool(_IGNORED_NAME.match(parts[-1])) or any(p in _IGNORED_DIRS for p in parts[:-1])


@dataclass
class QuietWindow:
    """Debounce arithmetic: due `quiet` s after the last event, or `max_wait` s after the first."""

    quiet: float
    max_wait: float
    first: float | None = None
    last: float | None = None

    def note(self, now: float) -> None:
        if self.first is None:
            self.first = now
        self.last = now

    def wait_time(self, now: float) -> float | None:
        """Seconds until due (0 when due now); None when nothing is pending."""
        if self.first is None or self.last is None:
            return None
        due = min(self.last + self.quiet, self.first + self.max_wait)
        return max(0.0, due - now)

    def clear(self) -> None:
        self.first = self.last = None


@dataclass
class Debouncer:
    """Collects paths from any thread and calls `action(paths)` on its own thread when due.

    Events arriving while `action` runs start a new window, so a save made during a
    rebuild gets a rebuild of its own afterwards.
    """

    action: Callable[[set[str]], object]
    quiet: float = 0.06
    max_wait: float = 1.0
    clock: Callable[[], float] = time.monotonic
    _window: QuietWindow = field(init=False)
    _paths: set[str] = field(init=False, default_factory=set)
    _cond: threading.Condition = field(init=False, default_factory=threading.Condition)
    _stopped: bool = field(init=False, default=False)
    _thread: threading.Thread | None = field(init=False, default=None)

    def __post_init__(self) -> None:
        self._window = QuietWindow(self.quiet, self.max_wait)

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="cvgen-debounce", daemon=True)
        self._thread.start()

    def add(self, path: str) -> None:
        with self._cond:
            self._paths.add(path)
            self._window.note(self.clock())
            self._cond.notify()

    def stop(self, timeout: float = 5.0) -> None:
        with self._cond:
            self._stopped = True
            self._cond.notify()
        if self._thread is not None:
            self._thread.join(timeout)

    def _next_batch(self) -> set[str] | None:
        with self._cond:
            while not self._stopped:
                wait = self._window.wait_time(self.clock())
                if wait is None:
                    self._cond.wait()
                elif wait > 0:
                    self._cond.wait(wait)
                else:
                    batch, self._paths = self._paths, set()
                    self._window.clear()
                    return batch
            return None

    def _run(self) -> None:
        while (batch := self._next_batch()) is not None:
            try:
                self.action(batch)
            except Exception:  # keep watching whatever a rebuild does
                log.exception("rebuild after changes to %s failed", sorted(batch))


_WRITE_EVENTS = frozenset({"created", "deleted", "modified", "moved"})


class SourceWatcher:
    """Feeds writes under the site's sources into `on_change(path)`.

    Watches `root` itself without recursion (for `cvgen.yaml`, and for `content/` or
    `theme/` appearing later) and `content/`, `theme/` and `extra_dirs` recursively,
    never the whole root: a repo root also holds `.venv/` and `output/`.
    """

    SOURCE_DIRS = ("content", "theme")
    CONFIG_FILE = "cvgen.yaml"

    def __init__(
        self, root: Path, on_change: Callable[[str], None], extra_dirs: Iterable[Path] = ()
    ) -> None:
        from watchdog.observers import Observer

        self.root = root.resolve()
        self.on_change = on_change
        self._observer: Any = Observer()
        self._observer.daemon = True
        self._watched: dict[Path, Any] = {}  # folder -> watchdog's ObservedWatch
        self._trees: list[Path] = []
        self._lock = threading.Lock()
        self._schedule(self.root, recursive=False)
        for name in self.SOURCE_DIRS:
            self._schedule(self.root / name, recursive=True)
        for folder in extra_dirs:
            self._schedule(folder.resolve(), recursive=True)

    def _schedule(self, folder: Path, *, recursive: bool, renew: bool = False) -> None:
        """Watch `folder`; `renew` replaces an old watch (the folder was deleted and re-made)."""
        with self._lock:
            if not folder.is_dir():
                return
            if folder in self._watched:
                if not renew:
                    return
                with contextlib.suppress(KeyError, OSError):
                    self._observer.unschedule(self._watched[folder])
            elif any(folder.is_relative_to(tree) for tree in self._trees):
                return  # already inside a recursive watch (the repo's own theme/)
            self._watched[folder] = self._observer.schedule(
                _Handler(self), str(folder), recursive=recursive
            )
            if recursive and folder not in self._trees:
                self._trees.append(folder)
        log.info("watching %s%s", folder, " (recursive)" if recursive else "")

    def relevant(self, path: str) -> bool:
        """Whether a write to `path` can change the built site."""
        target = Path(path)
        if target.parent == self.root:
            return target.name in (self.CONFIG_FILE, *self.SOURCE_DIRS)
        # judged below the watched folder: a site may itself live under `~/.cache/`
        tree = next((tree for tree in self._trees if target.is_relative_to(tree)), None)
        return tree is not None and not is_ignored(target.relative_to(tree))

    def dispatch(self, event_type: str, is_directory: bool, paths: Iterable[str]) -> None:
        if event_type not in _WRITE_EVENTS or (is_directory and event_type == "modified"):
            return
        for path in paths:
            if not self.relevant(path):
                continue
            target = Path(path)
            if target.parent == self.root and target.name in self.SOURCE_DIRS:
                # content/ or theme/ appeared (again: a checkout may delete and re-make it)
                self._schedule(target, recursive=True, renew=event_type != "deleted")
            self.on_change(path)

    def start(self) -> None:
        self._observer.start()

    def stop(self, timeout: float = 5.0) -> None:
        self._observer.stop()
        self._observer.join(timeout)


def _event_paths(event: Any) -> list[str]:
    paths = [event.src_path]
    if getattr(event, "dest_path", ""):
        paths.append(event.dest_path)
    return [p.decode() if isinstance(p, bytes) else str(p) for p in paths]


class _Handler:
    """A watchdog event handler (duck-typed: the observer only calls `dispatch`)."""

    def __init__(self, watcher: SourceWatcher) -> None:
        self.watcher = watcher

    def dispatch(self, event: Any) -> None:
        self.watcher.dispatch(event.event_type, event.is_directory, _event_paths(event))
