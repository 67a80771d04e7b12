"""`cvgen import`: convert a source and write it into a site, never overwriting unasked.

Everything is converted, checked (the new `cv.yaml` must validate without an error) and
compared with what is on disk before the first file is written; each file is replaced
atomically. What was written, translated, kept and ignored is reported for the CLI.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from cvgen.content.validate import validate_resume
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.importer.model import Imported
from cvgen.importer.output import config_edits, content_files
from cvgen.importer.source import import_source
from cvgen.schemas import FILES, SITE_FOLDER, modeline
from cvgen.settings.config import CONFIG_FILE, parse_config
from cvgen.settings.write import replace_atomically
from cvgen.site_repo.source import InstallSource
from cvgen.yamldoc import decode_text, parse_yaml

CV_FILE = "content/cv.yaml"


@dataclass
class Report:
    imported: Imported
    imported_from: str
    written: list[str] = field(default_factory=list)  # paths under the site
    removed: list[str] = field(default_factory=list)
    settings: list[str] = field(default_factory=list)  # cvgen.yaml keys set
    paste: list[str] = field(default_factory=list)  # cvgen.yaml lines to add by hand
    warnings: list[Issue] = field(default_factory=list)


def import_into_site(
    source: Path,
    root: Path,
    *,
    entries: bool = False,
    force: bool = False,
    imported: Imported | None = None,
) -> Report:
    """Convert `source` (unless `imported` is its conversion already) and write it into the
    site at `root` (which holds cvgen.yaml)."""
    imported = imported or import_source(source)
    files = content_files(imported, entries=entries)
    if (root / SITE_FOLDER / FILES["cv"][0]).is_file():  # as `cvgen new` starts cv.yaml
        files[CV_FILE] = modeline("cv", CV_FILE) + files[CV_FILE]
    whole = content_files(imported)["content/cv.yaml"]  # entries checked as cv.yaml would be
    problems = validate_resume(parse_yaml(whole, "content/cv.yaml")).errors
    if problems:
        raise ContentError(problems, note=" in the imported CV (please report this)")
    assets: dict[str, Path] = {}
    for origin, name in imported.assets.items():
        if Path(origin).is_file():
            assets[f"content/{name}"] = Path(origin)
        else:
            imported.warnings.append(
                Issue(
                    str(source),
                    0,
                    0,
                    "cv.photo",
                    f"no file {origin}; copy your photo to content/{name}",
                )
            )
    existing = [p for p in [*files, *assets] if (root / p).exists()]
    stale = [p for p in ("content/resume.json",) if (root / p).exists()]
    if (existing or stale) and not force:
        named = ", ".join([*existing, *stale])
        raise CvgenError(
            f"{named} exist{'s' if len(existing) + len(stale) == 1 else ''} already; nothing was written (`--force` replaces {'it' if len(existing) + len(stale) == 1 else 'them'})"
        )
    config_path = root / CONFIG_FILE
    config_text = decode_text(config_path.read_bytes(), CONFIG_FILE)
    new_config, settings, paste = config_edits(config_text, imported)
    try:
        parse_config(parse_yaml(new_config, CONFIG_FILE), root)
    except ContentError:  # the user's file holds something the edits did not expect
        new_config, settings, paste = (
            config_text,
            [],
            [*paste, *config_edits("", imported)[0].splitlines()],
        )
    report = Report(
        imported, str(source), settings=settings, paste=paste, warnings=list(imported.warnings)
    )
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        replace_atomically(target, text.encode("utf-8"))
        report.written.append(path)
    for asset, photo in assets.items():
        shutil.copyfile(photo, root / asset)
        report.written.append(asset)
    for path in stale:
        (root / path).unlink()
        report.removed.append(path)
    if settings:
        replace_atomically(config_path, new_config.encode("utf-8"))
        report.written.append(CONFIG_FILE)
    return report


def new_site_from(
    source: Path,
    path: Path,
    *,
    ci: bool = True,
    install: InstallSource | None = None,
    entries: bool = False,
) -> tuple[list[str], Report]:
    """`cvgen new PATH --from SOURCE`: a new site holding the imported CV (not the example).

    The source is converted before anything is made, so a source that cannot be imported
    leaves no half-made site behind."""
    imported = import_source(source)  # fails here, before PATH is touched, if it cannot be read
    from cvgen.site_repo.create import create_site

    existed = path.exists()
    made = create_site(path, ci=ci, source=install, example=False)
    try:
        report = import_into_site(source, path, entries=entries, imported=imported)
    except BaseException:  # PATH was new or empty: leave it so
        for child in path.iterdir() if existed else ():
            shutil.rmtree(child) if child.is_dir() else child.unlink()
        if not existed:
            shutil.rmtree(path, ignore_errors=True)
        raise
    return made, report
