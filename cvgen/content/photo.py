"""`basics.image`: the owner's photo, read from content/ (or, opted in, a remote URL).

A local photo is copied into the site's assets with a fingerprinted name, like every other
asset, so the page still makes no request to another host. A remote URL would be exactly
such a request, so it needs `photo.remote: true` in cvgen.yaml. The file's type is read
from its first bytes (not trusted from its name) and its size in pixels from its header,
so the page can reserve the photo's box before it loads.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from urllib.parse import urlsplit

from cvgen.content.model import CV
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.hosts import origin_of
from cvgen.settings.config import CONFIG_FILE, Config
from cvgen.sizes import human_size

# Above this the photo outweighs the rest of the page several times over.
HEAVY_BYTES = 150_000
MAX_BYTES = 20_000_000  # KB and MB count in 1000s everywhere (cvgen/sizes.py)
# Decoding takes 4 bytes a pixel (the PDF decodes the photo): a 1.6 MB PNG of 20,000 x 20,000
# pixels made the build use 3.2 GB. 50 megapixels is more than any camera's photo.
MAX_PIXELS = 50_000_000
FIELD = "basics.image"
SUFFIXES = {"jpeg": ".jpg", "png": ".png", "webp": ".webp", "gif": ".gif", "avif": ".avif"}


class PhotoNotShown(CvgenError):
    """A photo the page cannot show but whose absence harms nothing else: the build goes
    on without it and says why (`issue`: a warning; an error with --strict). The schema
    accepts any text in `basics.image`, and real resume.json files often name a photo on
    their own website or a path relative to it."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(str(issue))
        self.issue = issue


@dataclass(frozen=True)
class Photo:
    """A local photo (`data` set, `url` None) or an opted-in remote one (`url` set)."""

    source: str  # what basics.image says
    data: bytes | None = None
    url: str | None = None
    kind: str = ""  # jpeg, png, webp, gif, avif ("" for a remote photo: not read)
    width: int = 0  # pixels, 0 when unknown
    height: int = 0

    @property
    def asset_name(self) -> str:
        """`photo.jpg`: the name the fingerprinted copy is made from."""
        return "photo" + SUFFIXES.get(self.kind, "")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    i = 2
    while i + 9 < len(data):
        if data[i] != 0xFF:
            i += 1
            continue
        marker = data[i + 1]
        if marker in (0xD8, 0x01) or 0xD0 <= marker <= 0xD7 or marker == 0xFF:
            i += 1 if marker == 0xFF else 2
            continue
        length = struct.unpack(">H", data[i + 2 : i + 4])[0]
        # SOF0..SOF15 except DHT (C4), JPG (C8) and DAC (CC) carry the frame size
        if 0xC0 <= marker <= 0xCF and marker not in (0xC4, 0xC8, 0xCC):
            height, width = struct.unpack(">HH", data[i + 5 : i + 9])
            return width, height
        i += 2 + length
    return 0, 0


def _webp_size(data: bytes) -> tuple[int, int]:
    chunk = data[12:16]
    if chunk == b"VP8 " and len(data) >= 30:
        width, height = struct.unpack("<HH", data[26:30])
        return width & 0x3FFF, height & 0x3FFF
    if chunk == b"VP8L" and len(data) >= 25:
        bits = int.from_bytes(data[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    if chunk == b"VP8X" and len(data) >= 30:
        return int.from_bytes(data[24:27], "little") + 1, int.from_bytes(data[27:30], "little") + 1
    return 0, 0


def _avif_size(data: bytes) -> tuple[int, int]:
    at = data.find(b"ispe")
    if at < 0 or len(data) < at + 16:
        return 0, 0
    width, height = struct.unpack(">II", data[at + 8 : at + 16])
    return width, height


def sniff_image(data: bytes) -> tuple[str, int, int] | None:
    """(kind, width, height) from an image's first bytes, or None if it is no image we show.
    Width and height are 0 where the header does not say."""
    if data.startswith(b"\xff\xd8\xff"):
        return ("jpeg", *_jpeg_size(data))
    if data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) >= 24:
        width, height = struct.unpack(">II", data[16:24])
        return "png", width, height
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return ("webp", *_webp_size(data))
    if data[:6] in (b"GIF87a", b"GIF89a") and len(data) >= 10:
        width, height = struct.unpack("<HH", data[6:10])
        return "gif", width, height
    if data[4:8] == b"ftyp" and data[8:12] in (b"avif", b"avis"):
        return ("avif", *_avif_size(data))
    return None


def remote_photo_origin(config: Config) -> str:
    """The origin (`https://host[:port]`) of the remote photo the site opted in to, which the
    deployed Content-Security-Policy's `img-src` must allow; "" without one (no opt-in, a
    local photo, or none). Reads content/ only when `photo.remote` is on."""
    if not config.photo.remote:
        return ""
    from cvgen.content.load import load_content

    source = str(load_content(config).resume["basics"].get("image") or "").strip()
    parts = urlsplit(source)
    try:
        _ = parts.port  # a port that is no number raises ValueError
    except ValueError:  # validation has already said what is wrong with it
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return origin_of(source)


def load_photo(config: Config, cv: CV, warnings: list[Issue]) -> Photo | None:
    """The photo `basics.image` names, or None without one; PhotoNotShown when it names
    one the page cannot show, ContentError when the file there is broken (both pointing at
    `basics.image` in the CV file). A photo heavier than the page goes to `warnings`."""
    source = str(cv.resume["basics"].get("image") or "").strip()
    if not source:
        return None

    def not_shown(advice: str) -> PhotoNotShown:
        return PhotoNotShown(cv.issue(FIELD, advice))

    def broken(message: str) -> ContentError:
        return ContentError([cv.issue(FIELD, message)])

    scheme = urlsplit(source).scheme.lower()
    if scheme or source.startswith("//"):
        if scheme not in ("http", "https") or not urlsplit(source).netloc:
            raise broken("expected a file under content/ or an http(s) URL")
        if not config.photo.remote:
            raise not_shown(
                f"{source} is on another host, and the page loads nothing from other hosts, "
                "so the photo is left out; save it under content/ and write its path (like "
                f"`photo.jpg`), or allow it with `photo: {{remote: true}}` in {CONFIG_FILE}",
            )
        return Photo(source=source, url=source)
    content = config.content_dir.resolve()
    path = (content / source.removeprefix("content/")).resolve()
    if not path.is_relative_to(content):
        raise not_shown(
            f"{source} is outside content/, so the photo is left out; put it in content/"
        )
    if not path.is_file():
        raise not_shown(
            f"no file content/{path.relative_to(content).as_posix()}, so the photo is left "
            "out; put the photo there or fix the path (it is relative to content/)",
        )
    too_big = f"{source} is over 20 MB; save a smaller copy (400 px is plenty)"
    if path.stat().st_size > MAX_BYTES:
        raise broken(too_big)
    with path.open("rb") as handle:  # at most the limit, even if it grew since
        data = handle.read(MAX_BYTES + 1)
    if len(data) > MAX_BYTES:
        raise broken(too_big)
    found = sniff_image(data)
    if found is None:
        raise broken(f"{source} is not a JPEG, PNG, WebP, AVIF or GIF image; save it as one")
    kind, width, height = found
    if not width or not height:
        raise broken(
            f"{source} is damaged: its header gives no size in pixels; open it in an image"
            " editor and save it again"
        )
    if width * height > MAX_PIXELS:
        raise broken(
            f"{source} is {width:,} x {height:,} pixels, over the {MAX_PIXELS // 10**6}"
            " megapixels a photo may have (decoding it would take"
            f" {human_size(4 * width * height)}); save a smaller copy (400 px is plenty)"
        )
    if len(data) > HEAVY_BYTES:
        warnings.append(
            cv.issue(
                FIELD,
                f"{source} is {human_size(len(data))}, heavier than the rest of the page;"
                " a 400 px copy is plenty",
            )
        )
    return Photo(source=source, data=data, kind=kind, width=width, height=height)
