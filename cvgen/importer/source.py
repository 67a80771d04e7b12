"""Reading a source from disk: a file (YAML or JSON), a folder or a ZIP of CSV files."""

from __future__ import annotations

import zipfile
from pathlib import Path

from cvgen.content.jsondoc import read_json
from cvgen.errors import ContentError, CvgenError
from cvgen.importer.convert import convert_document, convert_files
from cvgen.importer.model import Imported
from cvgen.yamldoc import MAX_FILE_BYTES, YamlDoc, decode_text, parse_yaml

_ZIP_MAGIC = b"PK\x03\x04"


def import_source(path: Path) -> Imported:
    """The CV at `path`, converted; a CvgenError naming the path for what cannot be read."""
    if path.is_dir():
        files = {
            p.relative_to(path).as_posix(): _decoded(p.read_bytes(), p.name)
            for p in sorted(path.rglob("*.csv"))
            if p.is_file()
        }
        return convert_files(files, str(path))
    if not path.is_file():
        raise CvgenError(
            f"{path}: no such file or folder; name a RenderCV file, a JSON Resume or LinkedIn's export"
        )
    raw = path.read_bytes()
    if raw.startswith(_ZIP_MAGIC):
        return convert_files(_zip_files(path), str(path))
    if path.suffix.lower() == ".csv":
        return convert_files({path.name: _decoded(raw, path.name)}, str(path))
    result = convert_document(read_source_document(path))
    result.assets = {
        str((path.parent / source).resolve()): target for source, target in result.assets.items()
    }
    return result


def _zip_files(path: Path) -> dict[str, str]:
    """The CSV files of a ZIP, each at most MAX_FILE_BYTES (a bomb is refused, not unpacked)."""
    try:
        with zipfile.ZipFile(path) as archive:
            files = {}
            for info in archive.infolist():
                if info.is_dir() or not info.filename.lower().endswith(".csv"):
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise CvgenError(
                        f"{path}: {info.filename} unpacks to {info.file_size:,} bytes, over the "
                        f"{MAX_FILE_BYTES:,}-byte limit for one file"
                    )
                data = archive.read(info)[: MAX_FILE_BYTES + 1]
                files[info.filename] = _decoded(data, f"{path}:{info.filename}")
            return files
    except (zipfile.BadZipFile, OSError) as exc:
        raise CvgenError(f"{path}: not a ZIP file that can be read ({exc})") from None


def _decoded(raw: bytes, name: str) -> str:
    try:
        return decode_text(raw, name)
    except ContentError as exc:
        raise CvgenError(str(exc.issues[0])) from None


def read_source_document(path: Path) -> YamlDoc:
    """A YAML or JSON file (told by its first character) parsed with positions."""
    text = decode_text(path.read_bytes(), str(path))
    if text.lstrip().startswith(("{", "[")):
        doc, problems = read_json(text, str(path))
    else:
        doc = parse_yaml(text, str(path), keep_going=True)
        problems = doc.issues
    if problems:
        raise ContentError(problems)
    return doc
