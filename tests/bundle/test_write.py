"""write_site: atomic swap, no leftovers, path guards."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.bundle.write import MARKER, check_page_path, write_site
from cvgen.errors import CvgenError


def tree(folder: Path) -> dict[str, bytes]:
    """The pages in `folder`, without cvgen's marker."""
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in folder.rglob("*")
        if p.is_file() and p.name != MARKER
    }


def siblings(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.parent.iterdir())


def test_writes_exactly_the_pages(tmp_path: Path) -> None:
    dest = tmp_path / "output"
    pages = {"index.html": b"<p>hi</p>", "assets/a.1234567890.css": b"a{}", "x/y/z.txt": b"z"}
    assert write_site(pages, dest) == dest.resolve()
    assert tree(dest) == pages
    assert siblings(dest) == ["output"]  # no staging folder left behind


def test_replaces_previous_output_and_drops_stray_files(tmp_path: Path) -> None:
    dest = tmp_path / "output"
    write_site({"index.html": b"old", "old.css": b"old"}, dest)
    (dest / "stray.txt").write_text("left by hand")
    write_site({"index.html": b"new"}, dest)
    assert tree(dest) == {"index.html": b"new"}
    assert siblings(dest) == ["output"]


def test_failure_while_writing_leaves_previous_output_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "output"
    before = {"index.html": b"old", "assets/s.css": b"s"}
    write_site(before, dest)
    calls = []
    real = Path.write_bytes

    def failing(self: Path, data: bytes) -> int:
        calls.append(self)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real(self, data)

    monkeypatch.setattr(Path, "write_bytes", failing)
    with pytest.raises(
        CvgenError, match=r"No space left on device \(errno 28\); .* was left as it"
    ):
        write_site({"a.html": b"1", "b.html": b"2", "c.html": b"3"}, dest)
    monkeypatch.undo()
    assert tree(dest) == before
    assert siblings(dest) == ["output"]


def test_failure_during_the_swap_restores_previous_output(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    dest = tmp_path / "output"
    write_site({"index.html": b"old"}, dest)
    real = Path.rename

    def failing(self: Path, target: Path) -> Path:
        if self.name.startswith(".output.new-"):
            raise OSError("rename failed")
        return real(self, target)

    monkeypatch.setattr(Path, "rename", failing)
    with pytest.raises(CvgenError, match="rename failed"):
        write_site({"index.html": b"new"}, dest)
    monkeypatch.undo()
    assert tree(dest) == {"index.html": b"old"}
    assert siblings(dest) == ["output"]


@pytest.mark.parametrize(
    "name", ["/etc/passwd", "../escape.html", "a/../../b", "a//b", "./a", "", "a\\b", "a/."]
)
def test_rejects_page_paths_leaving_the_output(tmp_path: Path, name: str) -> None:
    with pytest.raises(CvgenError, match="refusing to write"):
        write_site({"index.html": b"ok", name: b"x"}, tmp_path / "output")
    assert not (tmp_path / "output").exists()
    assert not (tmp_path.parent / "escape.html").exists()
    assert check_page_path("assets/a.css").parts == ("assets", "a.css")


def test_refuses_an_output_folder_holding_the_sources(tmp_path: Path) -> None:
    (tmp_path / "content").mkdir()
    (tmp_path / "cvgen.yaml").write_text("site: {}\n")
    protect = [tmp_path / "cvgen.yaml", tmp_path / "content"]
    for dest in (tmp_path, tmp_path / "content", tmp_path.parent):
        with pytest.raises(CvgenError, match="holds the site's sources"):
            write_site({"index.html": b"x"}, dest, protect=protect)
    assert (tmp_path / "cvgen.yaml").read_text() == "site: {}\n"
    with pytest.raises(CvgenError, match="inside the site's sources"):
        write_site({"index.html": b"x"}, tmp_path / "content" / "out", protect=protect)
    assert not (tmp_path / "content" / "out").exists()


@pytest.mark.parametrize("marker", ["cvgen.yaml", ".git", "content", "pyproject.toml"])
def test_refuses_to_replace_a_project_folder(tmp_path: Path, marker: str) -> None:
    dest = tmp_path / "elsewhere"
    (dest / marker).mkdir(parents=True)
    with pytest.raises(CvgenError, match=f"holds {marker}"):
        write_site({"index.html": b"x"}, dest)
    assert (dest / marker).is_dir()


def test_refuses_a_file_or_symlink_as_output(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    with pytest.raises(CvgenError, match="is not a folder"):
        write_site({"index.html": b"x"}, tmp_path / "file")
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    with pytest.raises(CvgenError, match="symbolic link"):
        write_site({"index.html": b"x"}, tmp_path / "link")
    with pytest.raises(CvgenError, match="refusing to use /"):
        write_site({"index.html": b"x"}, Path("/"))


def test_creates_missing_parent_folders(tmp_path: Path) -> None:
    write_site({"index.html": b"x"}, tmp_path / "a" / "b" / "site")
    assert (tmp_path / "a" / "b" / "site" / "index.html").read_bytes() == b"x"


def test_every_write_leaves_the_marker(tmp_path: Path) -> None:
    dest = write_site({"index.html": b"x"}, tmp_path / "out")
    assert (dest / MARKER).is_file()
    with pytest.raises(CvgenError, match="cvgen's own marker"):
        write_site({"index.html": b"x", f"a/{MARKER}": b"forged"}, tmp_path / "other")


@pytest.mark.parametrize("name", [".git", ".github", "home", "docs", "output-by-hand"])
def test_refuses_a_folder_it_did_not_make(tmp_path: Path, name: str) -> None:
    dest = tmp_path / name
    (dest / "objects").mkdir(parents=True)
    (dest / "objects" / "pack").write_bytes(b"history")
    (dest / "HEAD").write_text("ref: refs/heads/main\n")
    before = tree(dest)
    with pytest.raises(CvgenError, match=f"cvgen did not make it \\(no {MARKER} in it\\)"):
        write_site({"index.html": b"x"}, dest)
    assert tree(dest) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no staging folder either


def test_replaces_a_folder_it_made_an_empty_one_and_the_sites_own_output(tmp_path: Path) -> None:
    made = write_site({"index.html": b"old", "a.css": b"a"}, tmp_path / "made")
    (made / "stray.txt").write_text("added by hand")
    write_site({"index.html": b"new"}, made)
    assert tree(made) == {"index.html": b"new"}
    (tmp_path / "empty").mkdir()
    write_site({"index.html": b"x"}, tmp_path / "empty")
    # a folder inside one cvgen made (a variant's folder of a full build)
    write_site({"index.html": b"v"}, made / "backend")
    assert tree(made) == {"index.html": b"new", "backend/index.html": b"v"}
    # the site's own output/, written by a cvgen from before the marker
    own = tmp_path / "site" / "output"
    (own / "de").mkdir(parents=True)
    (own / "de" / "index.html").write_bytes(b"old")
    (own / "index.html").write_bytes(b"old")
    write_site({"index.html": b"de"}, own / "de", own=own)
    write_site({"index.html": b"root"}, own, own=own)
    assert tree(own) == {"index.html": b"root"}
