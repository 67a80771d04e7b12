"""Ignore rules, debounce arithmetic and threads, and real watchdog events from a save storm."""

from __future__ import annotations

import shutil
import threading
import time
from pathlib import Path

import pytest

from cvgen.serve.watcher import Debouncer, QuietWindow, SourceWatcher, is_ignored


@pytest.mark.parametrize(
    ("path", "ignored"),
    [
        # real sources
        ("content/cv.yaml", False),
        ("content/about.md", False),
        ("content/resume.json", False),
        ("theme/default/static/site.css", False),
        ("theme/default/templates/index.html", False),
        ("cvgen.yaml", False),
        ("content/2024-talk.md", False),
        ("theme/default/static/fonts/font.woff2", False),
        ("theme/default/static/icon.svg", False),
        ("theme/default/static/.well-known/security.txt", False),
        # vim
        ("content/.cv.yaml.swp", True),
        ("content/.cv.yaml.swo", True),
        ("content/.cv.yaml.swx", True),
        ("content/.cv.yaml.swpx", True),
        ("content/.cv.yaml.svz", True),
        ("content/cv.yaml.swp", True),
        ("content/4913", True),
        ("content/5036", True),
        ("content/cv.yaml~", True),
        # emacs
        ("content/.#cv.yaml", True),
        ("content/#cv.yaml#", True),
        # atomic-save temp files
        ("content/cv.yaml.tmp", True),
        ("content/cv.yaml.tmp.12345", True),
        ("content/cv.yaml.TMP", True),
        ("content/cv.yaml.part", True),
        ("content/cv.yaml.bak", True),
        ("content/cv.yaml.orig", True),
        ("content/cv.yaml___jb_tmp___", True),
        ("content/cv.yaml___jb_old___", True),
        ("content/.goutputstream-ABC123", True),
        ("content/cv.yaml.kate-swp", True),
        ("content/.~lock.cv.odt#", True),
        ("content/~$cv.docx", True),
        ("content/sedAb12Cd", True),
        # OS droppings and tool folders
        ("content/.DS_Store", True),
        ("content/Thumbs.db", True),
        ("theme/__pycache__/x.cpython-311.pyc", True),
        ("theme/.git/index", True),
        ("theme/node_modules/pkg/index.js", True),
        ("", True),
    ],
)
def test_is_ignored(path: str, ignored: bool) -> None:
    assert is_ignored(path) is ignored


def test_quiet_window_waits_for_silence_then_caps_the_wait() -> None:
    window = QuietWindow(quiet=0.1, max_wait=1.0)
    assert window.wait_time(5.0) is None
    window.note(10.0)
    assert window.wait_time(10.0) == pytest.approx(0.1)
    window.note(10.05)  # another event restarts the quiet period
    assert window.wait_time(10.1) == pytest.approx(0.05)
    assert window.wait_time(10.2) == 0.0
    # an endless stream of events is still flushed max_wait after the first one
    for step in range(1, 30):
        window.note(10.0 + step * 0.05)
    assert window.wait_time(10.95) == pytest.approx(0.05)
    assert window.wait_time(11.0) == 0.0
    window.clear()
    assert window.wait_time(11.0) is None


class FakeClock:
    """Time that moves only when a test says so. The debouncer waits for the fake seconds
    it computes in real time and then looks at this clock again, so with small windows it
    notices `advance` within a fraction of a real second, and a stalled machine can never
    split a storm or fire a window early."""

    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


class Calls:
    """The batches a debouncer delivered, and a way to wait for the n-th one."""

    def __init__(self, fail_first: bool = False) -> None:
        self.batches: list[set[str]] = []
        self.fail_first = fail_first
        self._cond = threading.Condition()

    def __call__(self, paths: set[str]) -> None:
        with self._cond:
            self.batches.append(paths)
            self._cond.notify_all()
        if self.fail_first and len(self.batches) == 1:
            raise RuntimeError("boom")

    def wait_for(self, count: int, timeout: float = 5.0) -> list[set[str]]:
        with self._cond:
            assert self._cond.wait_for(lambda: len(self.batches) >= count, timeout), self.batches
            return list(self.batches)


QUIET = 0.05  # fake seconds; also the longest real pause before the thread looks again


def started(calls: Calls, clock: FakeClock, max_wait: float = 1.0) -> Debouncer:
    debouncer = Debouncer(calls, quiet=QUIET, max_wait=max_wait, clock=clock)
    debouncer.start()
    return debouncer


def test_debouncer_turns_a_storm_into_one_call() -> None:
    calls, clock = Calls(), FakeClock()
    debouncer = started(calls, clock)
    try:
        for name in ["4913", ".cv.yaml.swp", "cv.yaml~", "cv.yaml", "cv.yaml", "about.md"]:
            debouncer.add(name)
            clock.advance(0.01)  # each save well inside the quiet window of the one before
        time.sleep(4 * QUIET)  # real time passes, fake time does not: nothing is due yet
        assert calls.batches == []
        clock.advance(QUIET)
        assert calls.wait_for(1) == [{"4913", ".cv.yaml.swp", "cv.yaml~", "cv.yaml", "about.md"}]
        # a later save is a new batch of its own
        debouncer.add("cv.yaml")
        clock.advance(QUIET)
        assert calls.wait_for(2)[1:] == [{"cv.yaml"}]
    finally:
        debouncer.stop()


def test_debouncer_fires_only_when_due_and_each_event_restarts_the_wait() -> None:
    calls, clock = Calls(), FakeClock()
    debouncer = started(calls, clock)
    try:
        debouncer.add("a")
        clock.advance(QUIET * 0.8)
        debouncer.add("b")  # the window restarts here
        clock.advance(QUIET * 0.8)  # past a's window, not b's
        time.sleep(4 * QUIET)
        assert calls.batches == []
        clock.advance(QUIET * 0.2)
        assert calls.wait_for(1) == [{"a", "b"}]
    finally:
        debouncer.stop()


def test_an_endless_stream_of_saves_is_flushed_after_max_wait() -> None:
    calls, clock = Calls(), FakeClock()
    debouncer = started(calls, clock, max_wait=0.2)
    try:
        for step in range(8):  # a save every half quiet window: the quiet window never ends
            debouncer.add(f"f{step}")
            clock.advance(QUIET / 2)
        # now 0.2 fake seconds after f0 but only QUIET/2 after f7: due by max_wait alone
        assert calls.wait_for(1) == [{f"f{step}" for step in range(8)}]
        debouncer.add("f8")
        clock.advance(QUIET)
        assert calls.wait_for(2)[1:] == [{"f8"}]
    finally:
        debouncer.stop()


def test_debouncer_survives_a_failing_action(caplog: pytest.LogCaptureFixture) -> None:
    calls, clock = Calls(fail_first=True), FakeClock()
    debouncer = started(calls, clock)
    try:
        debouncer.add("x")
        clock.advance(QUIET)
        calls.wait_for(1)
        debouncer.add("y")
        clock.advance(QUIET)
        assert calls.wait_for(2) == [{"x"}, {"y"}]
        assert "boom" in caplog.text
    finally:
        debouncer.stop()


def _site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "theme" / "default").mkdir(parents=True)
    (root / "content" / "cv.yaml").write_text("basics: {name: A}\n")
    (root / "theme" / "default" / "site.css").write_text("body{}\n")
    (root / "cvgen.yaml").write_text("site: {url: 'http://x/'}\n")
    return root


class Recorder:
    def __init__(self, root: Path, quiet: float = 0.3) -> None:
        self.batches: list[set[str]] = []
        self.event = threading.Event()
        self.debouncer = Debouncer(self._action, quiet=quiet)
        self.watcher = SourceWatcher(root, self.debouncer.add)

    def _action(self, paths: set[str]) -> None:
        self.batches.append(paths)
        self.event.set()

    def __enter__(self) -> Recorder:
        self.debouncer.start()
        self.watcher.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.watcher.stop()
        self.debouncer.stop()

    def settle(self, seconds: float = 0.8) -> list[set[str]]:
        time.sleep(seconds)
        return self.batches


def test_vim_style_save_storm_gives_one_rebuild(tmp_path: Path) -> None:
    root = _site(tmp_path)
    content = root / "content"
    with Recorder(root) as rec:
        # vim with `backupcopy=no`: probe file, swap file, rename to backup, write, delete backup
        (content / "4913").write_text("")
        (content / "4913").unlink()
        (content / ".cv.yaml.swp").write_bytes(b"\0" * 64)
        (content / "cv.yaml").rename(content / "cv.yaml~")
        (content / "cv.yaml").write_text("basics: {name: B}\n")
        (content / "cv.yaml~").unlink()
        (content / ".cv.yaml.swp").unlink()
        assert rec.event.wait(3)
        batches = rec.settle()
    assert len(batches) == 1
    assert str((content / "cv.yaml").resolve()) in batches[0]
    assert all(not Path(p).name.startswith(("4913", ".cv.yaml.swp")) for p in batches[0])


def test_atomic_rename_save_gives_one_rebuild(tmp_path: Path) -> None:
    root = _site(tmp_path)
    css = root / "theme" / "default" / "site.css"
    with Recorder(root) as rec:
        tmp = css.with_name("site.css.tmp.4242")
        tmp.write_text("body{color:red}\n")
        tmp.replace(css)
        (root / "theme" / "default" / ".#site.css").symlink_to("user@host.123")
        assert rec.event.wait(3)
        batches = rec.settle()
    assert batches == [{str(css.resolve())}]


def test_only_editor_noise_gives_no_rebuild(tmp_path: Path) -> None:
    root = _site(tmp_path)
    with Recorder(root) as rec:
        (root / "content" / ".cv.yaml.swp").write_text("x")
        (root / "content" / "cv.yaml~").write_text("x")
        (root / "content" / "4913").write_text("")
        # reading sources (as every build does) is not a change either
        (root / "content" / "cv.yaml").read_text()
        # nor are writes outside the sources: output/, .cvgen/, other root files
        (root / "output").mkdir()
        (root / "output" / "index.html").write_text("x")
        (root / ".cvgen").mkdir()
        (root / ".cvgen" / "counter.sqlite3").write_text("x")
        (root / "notes.txt").write_text("x")
        assert rec.settle(0.5) == []
        # positive control: the same watcher does report a real save
        (root / "content" / "cv.yaml").write_text("basics: {name: B}\n")
        assert rec.event.wait(3)
        batches = rec.settle(0.5)
    assert batches == [{str((root / "content" / "cv.yaml").resolve())}]


def test_config_and_late_created_folders_are_watched(tmp_path: Path) -> None:
    root = tmp_path / "site"
    root.mkdir()
    (root / "cvgen.yaml").write_text("a: 1\n")
    with Recorder(root) as rec:
        (root / "cvgen.yaml").write_text("a: 2\n")
        assert rec.event.wait(3)
        rec.event.clear()
        assert rec.batches[0] == {str((root / "cvgen.yaml").resolve())}
        (root / "content").mkdir()  # appears after the server started
        assert rec.event.wait(3)
        rec.event.clear()
        rec.settle(0.5)
        (root / "content" / "about.md").write_text("---\ntitle: About\n---\n")
        assert rec.event.wait(3)
        batches = rec.settle(0.5)
    assert str((root / "content" / "about.md").resolve()) in batches[-1]


def test_extra_dirs_inside_a_watched_tree_are_not_watched_twice(tmp_path: Path) -> None:
    root = _site(tmp_path)
    seen: list[str] = []
    watcher = SourceWatcher(root, seen.append, extra_dirs=[root / "theme", root / "theme" / "x"])
    assert sorted(watcher._watched) == sorted(
        [root.resolve(), (root / "content").resolve(), (root / "theme").resolve()]
    )


def test_builtin_themes_outside_the_site_are_watched(tmp_path: Path) -> None:
    root = tmp_path / "site"
    (root / "content").mkdir(parents=True)
    (root / "cvgen.yaml").write_text("a: 1\n")
    builtin = tmp_path / "builtin"
    (builtin / "default" / "static").mkdir(parents=True)
    css = builtin / "default" / "static" / "style.css"
    css.write_text("body{}\n")
    batches: list[set[str]] = []
    fired = threading.Event()
    debouncer = Debouncer(lambda paths: (batches.append(paths), fired.set()), quiet=0.05)
    watcher = SourceWatcher(root, debouncer.add, extra_dirs=[builtin])
    debouncer.start()
    watcher.start()
    try:
        css.write_text("body{color:red}\n")
        (builtin / "default" / "static" / ".style.css.swp").write_text("x")
        assert fired.wait(3)
        time.sleep(0.2)
    finally:
        watcher.stop()
        debouncer.stop()
    assert batches == [{str(css.resolve())}]


def test_a_deleted_and_re_made_content_folder_is_watched_again(tmp_path: Path) -> None:
    root = _site(tmp_path)
    content = root / "content"
    with Recorder(root) as rec:
        shutil.rmtree(content)
        assert rec.event.wait(3)
        rec.settle(0.5)
        rec.event.clear()
        content.mkdir()
        assert rec.event.wait(3)
        rec.settle(0.5)
        rec.event.clear()
        (content / "cv.yaml").write_text("basics: {name: C}\n")
        assert rec.event.wait(3)
        batches = rec.settle(0.5)
    assert str((content / "cv.yaml").resolve()) in batches[-1]


def test_ignore_rules_apply_below_the_site_not_to_where_it_lives(tmp_path: Path) -> None:
    root = _site(tmp_path / ".cache" / "node_modules")
    watcher = SourceWatcher(root, lambda path: None)
    assert watcher.relevant(str(root.resolve() / "content" / "cv.yaml"))
    assert watcher.relevant(str(root.resolve() / "cvgen.yaml"))
    assert not watcher.relevant(str(root.resolve() / "content" / ".git" / "x"))
    assert not watcher.relevant(str(root.resolve() / "content" / "cv.yaml~"))
    assert not watcher.relevant(str(root.resolve() / "notes.txt"))
    assert not watcher.relevant(str(root.resolve() / "output" / "index.html"))


def test_a_save_during_a_rebuild_gets_a_rebuild_of_its_own() -> None:
    calls: list[set[str]] = []
    inside, release, second = threading.Event(), threading.Event(), threading.Event()

    def action(paths: set[str]) -> None:
        calls.append(paths)
        if len(calls) == 1:
            inside.set()
            assert release.wait(5)
        else:
            second.set()

    debouncer = Debouncer(action, quiet=0.03)
    debouncer.start()
    try:
        debouncer.add("a")
        assert inside.wait(2)
        debouncer.add("b")  # saved while the first rebuild runs
        release.set()
        assert second.wait(2)
    finally:
        debouncer.stop()
    assert calls == [{"a"}, {"b"}]


def test_entry_files_in_content_subfolders_trigger_a_rebuild(tmp_path: Path) -> None:
    """content/work/*.md (Markdown entries) are sources like cv.yaml, even in a folder made
    while serving."""
    root = _site(tmp_path)
    with Recorder(root) as rec:
        (root / "content" / "work").mkdir()
        rec.settle(0.5)
        rec.event.clear()
        entry = root / "content" / "work" / "acme.md"
        entry.write_text("---\nname: Acme\n---\n")
        assert rec.event.wait(3)
        batches = rec.settle(0.5)
    assert str(entry.resolve()) in batches[-1]
