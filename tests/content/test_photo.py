"""`basics.image`: a local photo copied and fingerprinted, a remote one only when opted in."""

from __future__ import annotations

import dataclasses
import json
import struct
import zlib
from pathlib import Path

import pytest

from cvgen.build import build
from cvgen.content.photo import (
    Photo,
    PhotoNotShown,
    load_photo,
    remote_photo_origin,
    sniff_image,
)
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.render.site import render_site
from cvgen.render.theme import Theme, load_theme
from cvgen.settings.config import Config, PhotoConfig, SiteConfig, load_config
from tests.conftest import run_cvgen
from tests.render.conftest import make_config, make_cv


@pytest.fixture
def theme(tmp_path: Path) -> Theme:
    return load_theme(Config(root=tmp_path))


def png(width: int, height: int, rgb: tuple[int, int, int] = (200, 120, 40)) -> bytes:
    """A real, decodable PNG of one colour."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    row = b"\x00" + bytes(rgb) * width
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(row * height))
        + chunk(b"IEND", b"")
    )


JPEG = (
    b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    b"\xff\xdb\x00\x04\x00\x00"  # a (truncated) table segment before the frame
    b"\xff\xc0\x00\x11\x08\x01\xe0\x02\x80\x03\x01\x22\x00\x02\x11\x01\x03\x11\x01"
)
WEBP_LOSSLESS = b"RIFF\x1a\x00\x00\x00WEBPVP8L\x0d\x00\x00\x00\x2f" + (
    ((300 - 1) | ((200 - 1) << 14)).to_bytes(4, "little")
)


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png(64, 48), ("png", 64, 48)),
        (JPEG, ("jpeg", 640, 480)),
        (WEBP_LOSSLESS, ("webp", 300, 200)),
        (b"GIF89a\x10\x00\x08\x00", ("gif", 16, 8)),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", None),
        (b"", None),
    ],
)
def test_sniff_reads_kind_and_size_from_the_bytes(
    data: bytes, expected: tuple[str, int, int] | None
) -> None:
    assert sniff_image(data) == expected


def site(tmp_path: Path, image: str, **photo: object) -> tuple[Config, object]:
    (tmp_path / "content").mkdir(exist_ok=True)
    config = dataclasses.replace(make_config(tmp_path), photo=PhotoConfig(**photo))  # type: ignore[arg-type]
    return config, make_cv(basics__image=image)


def test_a_local_photo_is_copied_fingerprinted_and_sized(theme: Theme, tmp_path: Path) -> None:
    config, cv = site(tmp_path, "me.png", alt="Ada at her desk")
    (tmp_path / "content" / "me.png").write_bytes(png(320, 400))
    photo = load_photo(config, cv, [])  # type: ignore[arg-type]
    assert photo is not None and (photo.kind, photo.width, photo.height) == ("png", 320, 400)
    pages = render_site(cv, theme, config, photo)  # type: ignore[arg-type]
    [asset] = [name for name in pages if name.startswith("assets/photo.")]
    assert pages[asset] == png(320, 400)
    html = pages["index.html"].decode("utf-8")
    assert (
        f'<img class="photo" src="{asset}" alt="Ada at her desk" width="160" height="160"' in html
    )
    css = next(data for name, data in pages.items() if name.startswith("assets/style."))
    assert b"object-fit:cover" in css and b"object-position:50% 30%" in css


def test_without_a_photo_there_is_no_img_and_no_photo_css(theme: Theme, tmp_path: Path) -> None:
    pages = render_site(make_cv(), theme, make_config(tmp_path))
    assert b"<img" not in pages["index.html"]
    css = next(data for name, data in pages.items() if name.startswith("assets/style."))
    assert b".photo" not in css


def test_alt_defaults_to_the_name(theme: Theme, tmp_path: Path) -> None:
    config, cv = site(tmp_path, "content/me.png")  # a path written from the site root works
    (tmp_path / "content" / "me.png").write_bytes(png(8, 8))
    pages = render_site(cv, theme, config, load_photo(config, cv, []))  # type: ignore[arg-type]
    assert 'alt="Ada Lovelace"' in pages["index.html"].decode("utf-8")


@pytest.mark.parametrize(
    ("image", "message"),
    [
        ("https://img.example.com/me.jpg", r"on another host.*`photo: \{remote: true\}`"),
        ("../secret.png", r"outside content/"),
        ("missing.png", r"no file content/missing\.png"),
        ("notes.txt", r"not a JPEG, PNG, WebP, AVIF or GIF image"),
        ("ftp://example.com/me.png", r"expected a file under content/ or an http\(s\) URL"),
    ],
)
def test_photos_that_cannot_show_are_errors(tmp_path: Path, image: str, message: str) -> None:
    config, cv = site(tmp_path, image)
    (tmp_path / "secret.png").write_bytes(png(4, 4))
    (tmp_path / "content" / "notes.txt").write_text("hello")
    with pytest.raises(CvgenError, match=r"(?m)^content/cv\.yaml: basics\.image: .*" + message):
        load_photo(config, cv, [])  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("image", "remote", "origin"),
    [
        ("https://img.example.com/me.jpg", True, "https://img.example.com"),
        ("https://Img.Example.com:8443/a/me.jpg?s=200#x", True, "https://img.example.com:8443"),
        ("http://user:secret@photos.example.org/me.png", True, "http://photos.example.org"),
        ("https://img.example.com/me.jpg", False, ""),  # not opted in: left out, not allowed
        ("me.png", True, ""),  # a local photo is on the site's own origin
        ("", True, ""),
    ],
)
def test_the_csp_allows_the_remote_photos_origin_only_when_opted_in(
    tmp_path: Path, image: str, remote: bool, origin: str
) -> None:
    (tmp_path / "cvgen.yaml").write_text(
        f'site:\n  url: "https://ada.dev/"\nphoto:\n  remote: {str(remote).lower()}\n'
    )
    (tmp_path / "content").mkdir()
    line = f"  image: {image}\n" if image else ""
    (tmp_path / "content" / "cv.yaml").write_text(f"basics:\n  name: Ada\n{line}")
    assert remote_photo_origin(load_config(tmp_path)) == origin


def test_a_remote_photo_needs_the_opt_in(theme: Theme, tmp_path: Path) -> None:
    config, cv = site(tmp_path, "https://img.example.com/me.jpg", remote=True)
    photo = load_photo(config, cv, [])  # type: ignore[arg-type]
    assert photo == Photo(
        source="https://img.example.com/me.jpg", url="https://img.example.com/me.jpg"
    )
    html = render_site(cv, theme, config, photo)["index.html"].decode("utf-8")  # type: ignore[arg-type]
    assert 'src="https://img.example.com/me.jpg"' in html and 'referrerpolicy="no-referrer"' in html


def test_a_heavy_photo_warns_through_the_build_s_warnings(tmp_path: Path) -> None:
    config, cv = site(tmp_path, "big.png")
    image = png(8, 8)
    big = tmp_path / "content" / "big.png"
    big.write_bytes(image + b"\0" * (150_000 - len(image)))  # 150 KB: not heavy yet
    warnings: list[Issue] = []
    load_photo(config, cv, warnings)  # type: ignore[arg-type]
    assert warnings == []
    big.write_bytes(image + b"\0" * (150_001 - len(image)))
    load_photo(config, cv, warnings)  # type: ignore[arg-type]
    # sizes count 1000 bytes to the KB, as `cvgen publish` prints them
    assert [w.message for w in warnings] == [
        "big.png is 150.0 KB, heavier than the rest of the page; a 400 px copy is plenty"
    ]


@pytest.mark.parametrize(
    "image", ["https://img.example.com/me.jpg", "images/me.jpg", "../secret.png"]
)
def test_a_photo_the_page_cannot_show_is_left_out_with_a_warning(
    tmp_path: Path, image: str
) -> None:
    """What the official schema accepts builds (issue 11): real resume.json files name
    photos on their own websites or relative to them. The page leaves the photo out and
    says why; --strict makes that an error and writes nothing."""
    (tmp_path / "cvgen.yaml").write_text('site:\n  url: "https://ada.dev/"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "cv.yaml").write_text(
        f"basics:\n  name: Ada Lovelace\n  image: {image}\n", encoding="utf-8"
    )
    (tmp_path / "unit").mkdir()
    with pytest.raises(PhotoNotShown):
        load_photo(*site(tmp_path / "unit", image), [])  # type: ignore[arg-type]
    report = build(tmp_path)
    [warning] = report.warnings
    assert (warning.file, warning.line, warning.col, warning.field) == (
        "content/cv.yaml",
        3,
        3,
        "basics.image",
    )
    assert "left out" in warning.message
    assert b"<img" not in (tmp_path / "output" / "index.html").read_bytes()
    with pytest.raises(ContentError):
        build(tmp_path, tmp_path / "strict-output", strict=True)
    assert not (tmp_path / "strict-output").exists()


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        pytest.param(
            "cv.yaml",
            "basics:\n  name: Ada\n  label: Engineer\n\n  picture: me.png\n",
            (5, 3),
            id="v0 name in cv.yaml",
        ),
        pytest.param(
            "resume.json",
            '{\n  "basics": {\n    "name": "Ada",\n      "image": "images/me.png"\n  }\n}\n',
            (4, 7),
            id="resume.json",
        ),
    ],
)
def test_photo_warnings_and_errors_point_at_basics_image(
    tmp_path: Path, name: str, text: str, where: tuple[int, int]
) -> None:
    """Like every other warning: file:line:col of the `image` (or v0 `picture`) key."""
    (tmp_path / "cvgen.yaml").write_text('site:\n  url: "https://ada.dev/"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / name).write_text(text, encoding="utf-8")
    prefix = f"content/{name}:{where[0]}:{where[1]}: "
    warnings = [str(w) for w in build(tmp_path).warnings]
    assert [w for w in warnings if w.startswith(prefix + "basics.image: no file content/")]

    # a file that is no image: an error, at the same place, and nothing written
    image = "me.png" if name == "cv.yaml" else "images/me.png"
    (tmp_path / "content" / image).parent.mkdir(exist_ok=True)
    (tmp_path / "content" / image).write_text("not a picture")
    with pytest.raises(ContentError) as caught:
        build(tmp_path, tmp_path / "out")
    assert [str(i) for i in caught.value.issues] == [
        f"{prefix}basics.image: {image} is not a JPEG, PNG, WebP, AVIF or GIF image; save it as one"
    ]
    assert not (tmp_path / "out").exists()


def test_a_heavy_photo_is_a_counted_warning_that_strict_refuses(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from cvgen.cli import cli

    (tmp_path / "cvgen.yaml").write_text('site:\n  url: "https://ada.dev/"\n')
    (tmp_path / "content").mkdir()
    (tmp_path / "content" / "cv.yaml").write_text(
        "basics:\n  name: Ada Lovelace\n  image: big.png\n", encoding="utf-8"
    )
    image = png(8, 8)
    (tmp_path / "content" / "big.png").write_bytes(image + b"\0" * (400_000 - len(image)))
    [warning] = build(tmp_path).warnings
    assert str(warning) == (
        "content/cv.yaml:3:3: basics.image: big.png is 400.0 KB, heavier than the rest of"
        " the page; a 400 px copy is plenty"
    )
    before = (tmp_path / "output" / "index.html").read_bytes()
    result = CliRunner().invoke(cli, ["build", "--root", str(tmp_path), "--strict"])
    assert result.exit_code == 1, result.output
    assert "heavier than the rest of the page" in result.output
    assert "Traceback" not in result.output
    assert (tmp_path / "output" / "index.html").read_bytes() == before  # nothing lost


def test_the_published_resume_json_names_the_photo_the_site_serves(
    theme: Theme, tmp_path: Path
) -> None:
    # basics.image: me.png is the source's file; the site serves the fingerprinted copy
    config, cv = site(tmp_path, "me.png")
    (tmp_path / "content" / "me.png").write_bytes(png(32, 40))
    photo = load_photo(config, cv, [])  # type: ignore[arg-type]
    # a new site (no address yet): the path beside resume.json
    unaddressed = dataclasses.replace(config, site=SiteConfig(url=None))
    pages = render_site(cv, theme, unaddressed, photo)  # type: ignore[arg-type]
    [asset] = [name for name in pages if name.startswith("assets/photo.")]
    assert json.loads(pages["resume.json"])["basics"]["image"] == asset
    # with the site's address known, an absolute URL (a variant's page is one folder down)
    addressed = dataclasses.replace(config, site=SiteConfig(url="https://cv.example.com/"))
    pages = render_site(cv, theme, addressed, photo)  # type: ignore[arg-type]
    assert json.loads(pages["resume.json"])["basics"]["image"] == f"https://cv.example.com/{asset}"
    pages = render_site(cv, theme, addressed, photo, variant="backend", assets_at="../")  # type: ignore[arg-type]
    assert json.loads(pages["resume.json"])["basics"]["image"] == f"https://cv.example.com/{asset}"
    # and the source keeps its own name
    assert cv.resume["basics"]["image"] == "me.png"  # type: ignore[attr-defined]


def pixel_bomb(width: int, height: int) -> bytes:
    """A PNG whose header says `width` x `height`, its pixels one compressed zero run: about
    1.6 MB for 20,000 x 20,000, 3.2 GB once decoded as the PDF does."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    compressor = zlib.compressobj(9)
    row = b"\x00" * (width * 3 + 1)
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def test_a_pixel_bomb_is_refused_from_its_header_before_anything_decodes_it(
    example_site: Path,
) -> None:
    """Through the real CLI: an error at basics.image, quickly, in little memory."""
    import resource
    import time

    bomb = pixel_bomb(20_000, 20_000)
    assert len(bomb) < 2_000_000
    (example_site / "content" / "photo.png").write_bytes(bomb)
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(
        cv.read_text(encoding="utf-8").replace("basics:\n", "basics:\n  image: photo.png\n", 1),
        encoding="utf-8",
    )

    def limit_memory() -> None:  # 1 GB: decoding the bomb would need 3.2
        resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))

    started = time.monotonic()
    done = run_cvgen("build", "--root", str(example_site), preexec_fn=limit_memory)
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "basics.image: photo.png is 20,000 x 20,000 pixels, over the 50 megapixels" in (
        done.stderr
    )
    assert time.monotonic() - started < 30
    assert not (example_site / "output").exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (pixel_bomb(10_000, 5_001), r"is 10,000 x 5,001 pixels, over the 50 megapixels"),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF" + b"\x00" * 40, r"is damaged: its header gives no size"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 16, r"is damaged: its header gives no size"),
    ],
    ids=["50 MP and a row", "JPEG without a frame", "PNG of 0 x 0"],
)
def test_photos_too_large_or_without_a_size_are_errors(
    tmp_path: Path, data: bytes, message: str
) -> None:
    config, cv = site(tmp_path, "me.png")
    (tmp_path / "content" / "me.png").write_bytes(data)
    with pytest.raises(
        CvgenError, match=r"(?m)^content/cv\.yaml: basics\.image: me\.png " + message
    ):
        load_photo(config, cv, [])  # type: ignore[arg-type]
    (tmp_path / "content" / "me.png").write_bytes(pixel_bomb(10_000, 5_000))  # just inside
    assert load_photo(config, cv, []).width == 10_000  # type: ignore[arg-type, union-attr]


def test_a_photo_that_grew_past_the_limit_is_never_read_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The size is checked, then the file is read: a file that grew in between (or one whose
    size its file system misreports) is read only up to the limit, then refused."""
    import os

    config, cv = site(tmp_path, "me.png")
    grown = tmp_path / "content" / "me.png"
    with grown.open("wb") as handle:  # sparse: 2 GB on disk costs nothing
        handle.write(png(4, 4))
        handle.truncate(2_000_000_000)
    real_stat = Path.stat

    def stale_stat(self: Path, **kwargs: object) -> os.stat_result:
        found = real_stat(self, **kwargs)  # type: ignore[arg-type]
        if self.name == "me.png":  # as the file was when it was checked: 4 x 4 pixels
            return os.stat_result((found.st_mode, *found[1:6], 100, *found[7:]))
        return found

    def read_whole(self: Path) -> bytes:
        raise AssertionError(f"{self.name} read whole: 2 GB in memory")

    monkeypatch.setattr(Path, "stat", stale_stat)
    monkeypatch.setattr(Path, "read_bytes", read_whole)
    with pytest.raises(CvgenError, match=r"me\.png is over 20 MB"):
        load_photo(config, cv, [])  # type: ignore[arg-type]


def test_a_corrupt_photo_is_blamed_on_the_photo_not_the_template(example_site: Path) -> None:
    """Its header is fine, its pixels are not: the PDF cannot decode it. The error names
    basics.image at its line, not `PDF template: theme/default/pdf/sections.typ:84`."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", 40, 40, 8, 2, 0, 0, 0)
    corrupt = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"not zlib")
    (example_site / "content" / "photo.png").write_bytes(corrupt + chunk(b"IEND", b""))
    cv = example_site / "content" / "cv.yaml"
    cv.write_text(
        cv.read_text(encoding="utf-8").replace("basics:\n", "basics:\n  image: photo.png\n", 1),
        encoding="utf-8",
    )
    done = run_cvgen("build", "--root", str(example_site))
    assert done.returncode == 1 and "Traceback" not in done.stderr, done.stderr
    assert "content/cv.yaml:6:3: basics.image: photo.png cannot be decoded for the PDF (" in (
        done.stderr
    )
    assert "PDF template" not in done.stderr
    assert not (example_site / "output").exists()
