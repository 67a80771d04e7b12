"""Which converter a source needs, told from its content (not its name). Pure."""

from __future__ import annotations

from collections.abc import Mapping

from cvgen.errors import CvgenError
from cvgen.importer.jsonresume import import_json_resume, looks_like_json_resume
from cvgen.importer.linkedin import FILE_NAMES, import_linkedin, looks_like_linkedin
from cvgen.importer.model import Imported
from cvgen.importer.rendercv import import_rendercv, looks_like_rendercv
from cvgen.yamldoc import YamlDoc

EXPECTED = (
    "expected a RenderCV file (YAML with `cv:`), a JSON Resume (JSON or YAML with `basics:`, "
    f"`work:` ...) or LinkedIn's data export (a ZIP or folder with {', '.join(FILE_NAMES[:3])} ...)"
)


def convert_document(doc: YamlDoc) -> Imported:
    """A RenderCV file or a JSON Resume, told apart by their keys."""
    if looks_like_rendercv(doc.data):
        return import_rendercv(doc)
    if looks_like_json_resume(doc.data):
        return import_json_resume(doc)
    keys = ", ".join(f"`{k}`" for k in list(doc.data)[:5]) if isinstance(doc.data, dict) else ""
    found = f"its top-level keys are {keys}" if keys else "it holds no mapping of sections"
    raise CvgenError(f"{doc.file}: not a CV cvgen can import ({found}); {EXPECTED}")


def convert_files(files: Mapping[str, str], where: str) -> Imported:
    """LinkedIn's export, as its CSV files (name -> text)."""
    if looks_like_linkedin(files):
        return import_linkedin(files)
    raise CvgenError(f"{where}: none of LinkedIn's CSV files found; {EXPECTED}")
