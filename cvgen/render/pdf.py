"""The CV typeset as a PDF with Typst, from the theme's `pdf/cv.typ` and the CV as data.

The template gets the CV only as JSON (`sys.inputs.cv`, prepared by `pdfdata`), never as
markup, so nothing in a CV can run as Typst code. The theme's `pdf/` files are handed to
Typst from memory (a site's own files override built-in ones file by file, like the HTML
templates); `cvgen.typ`, the helpers every template imports, comes with cvgen unless the
theme has its own. Fonts come from the theme's `pdf/fonts/` folders first, then Typst's
own and the machine's (for scripts and emoji the theme's font lacks).

Accessible: a tagged PDF declaring PDF/UA-1 (Typst refuses to write one that breaks it).
Deterministic: the template leaves the document date out and Typst writes no other
clock or random value, so the same CV, theme and fonts give the same bytes.
A template error becomes a `CvgenError` naming the `.typ` file, line and column.
Fast: a PDF made from the same inputs before is taken from the site's `.cvgen/pdf/`
(`pdfcache`) without loading Typst at all.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from cvgen.check.pdfread import PageFill, page_fill, read_pdf
from cvgen.content.model import CV
from cvgen.content.photo import FIELD as PHOTO_FIELD
from cvgen.content.photo import Photo
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.render.pdfcache import FOLDER, PdfCache, pdf_key
from cvgen.render.pdfdata import pdf_data
from cvgen.render.pdffit import Fitted, fit, overrun_message, overruns
from cvgen.render.shown import ShownCV, show
from cvgen.render.theme import Theme
from cvgen.settings.config import CONFIG_FILE, Config

TEMPLATE = "cv.typ"
HELPERS = "cvgen.typ"
HELPERS_SOURCE = Path(__file__).resolve().parent / HELPERS
# Typst's name for the entry point of a project handed over as a dict of files
_MAIN = "main.typ"
# PDF/UA-1: tagged, with a title, headings, reading order and link descriptions, which
# screen readers and accessibility checkers look for. Typst checks conformance itself.
STANDARDS = ["ua-1"]
_LOCATION = re.compile(r"┌─ (?P<file>[^\n]+?):(?P<line>\d+):(?P<col>\d+)")

_compilers: dict[tuple[Any, ...], Any] = {}
_lock = threading.Lock()


def _compiler(font_dirs: tuple[Path, ...], system_fonts: bool) -> Any:
    """A Typst compiler with the fonts loaded, kept for the process (`cvgen serve` reuses it:
    reading fonts is most of a small compile). Keyed by the font files and their mtimes."""
    import typst

    key = tuple(
        (str(path), path.stat().st_mtime_ns)
        for folder in font_dirs
        for path in sorted(folder.iterdir())
        if path.is_file()
    ) + (system_fonts,)
    compiler = _compilers.get(key)
    if compiler is None:
        if len(_compilers) > 4:  # the theme's fonts changed a few times (cvgen serve)
            _compilers.clear()
        compiler = _compilers[key] = typst.Compiler(
            font_paths=[str(d) for d in font_dirs], ignore_system_fonts=not system_fonts
        )
    return compiler


def template_files(theme: Theme) -> tuple[dict[str, bytes], dict[str, str]]:
    """The Typst project as {virtual name: bytes}, and each virtual name's shown file name."""
    if TEMPLATE not in theme.pdf:
        raise CvgenError(
            f"theme `{theme.name}` has no pdf/{TEMPLATE}; add theme/{theme.name}/pdf/{TEMPLATE} "
            "or set `pdf.enabled: false` in cvgen.yaml"
        )
    files: dict[str, bytes] = {}
    names: dict[str, str] = {}
    if HELPERS not in theme.pdf:
        files[HELPERS] = HELPERS_SOURCE.read_bytes()
        names[HELPERS] = HELPERS_SOURCE.as_posix()
    for name, (data, shown) in theme.pdf.items():
        virtual = _MAIN if name == TEMPLATE else name
        files[virtual] = data
        names[virtual] = shown
    return files, names


def _where(exc: Any, names: Mapping[str, str]) -> tuple[str, int, int] | None:
    """The template file (as the user sees it), line and column a Typst diagnostic names."""
    match = _LOCATION.search(str(getattr(exc, "diagnostic", "") or ""))
    if not match:
        return None
    virtual = match.group("file").lstrip("/")
    # lines are 1-based in the diagnostic, columns 0-based
    return names.get(virtual, virtual), int(match.group("line")), int(match.group("col")) + 1


def _what(exc: Any) -> str:
    """`PDF template: unknown variable: foo (hint: ...)`."""
    text = str(getattr(exc, "message", "") or exc).strip()
    hints = [str(h) for h in getattr(exc, "hints", None) or []]
    if hints:
        text += " (" + "; ".join(f"hint: {h}" for h in hints) + ")"
    return f"PDF template: {text}"


def _error_message(exc: Any, names: Mapping[str, str]) -> str:
    """`PDF template: theme/default/pdf/cv.typ:12:5: unknown variable: foo (hint: ...)`."""
    where = _where(exc, names)
    what = _what(exc)
    if where is None:
        return what
    file, line, col = where
    return what.replace(": ", f": {file}:{line}:{col}: ", 1)


def _warning(exc: Any, names: Mapping[str, str]) -> Issue:
    """A Typst warning as an Issue at the template's file:line:col, for the build's warnings."""
    where = _where(exc, names)
    return Issue(*(where or ("", 0, 0)), "", _what(exc))


_TYPST_ESCAPE = re.compile(r"\\u\{([0-9a-fA-F]{1,6})\}")
_MISSING_GLYPH = re.compile(r"the text `\"?(?P<text>.*?)\"?` could not be displayed")


def _ua_warning(exc: Any, names: Mapping[str, str]) -> Issue:
    """Why the PDF is not PDF/UA-1, and what to do; usually a character no font has."""
    missing = _MISSING_GLYPH.search(str(getattr(exc, "message", "")))
    if missing:
        # Typst quotes the text as a string literal: `\u{378}` for what it cannot print
        text = _TYPST_ESCAPE.sub(lambda m: chr(int(m.group(1), 16)), missing.group("text"))
        return Issue(
            "cv.pdf",
            0,
            0,
            "",
            f"no font here has {text!r}, so the PDF shows an empty "
            "box there and is not PDF/UA-1; install a font that has it (emoji: Debian's "
            "fonts-noto-color-emoji) or put one in theme/<name>/pdf/fonts/",
        )
    found = _warning(exc, names)
    return replace(found, message=f"{found.message}; the PDF is tagged but not PDF/UA-1")


@dataclass(frozen=True)
class PdfSettings:
    """How the build asks a template to set the CV (`sys.inputs.settings`, beside the CV as
    `sys.inputs.cv`): the page budget it is fitted into and whether contact items get icons."""

    pages: int | None = None
    icons: bool = False

    def inputs(self, level: float) -> str:
        """The settings a template reads (`settings` in cvgen.typ) at fit level `level`."""
        return json.dumps({"fit": level, "icons": self.icons}, separators=(",", ":"))

    def key(self) -> str:
        """What the fitted PDF depends on: the budget, not the level it was fitted at."""
        return json.dumps({"pages": self.pages, "icons": self.icons}, separators=(",", ":"))


@dataclass(frozen=True)
class Typeset:
    """One Typst run: the PDF, what it warned about, and whether it is the same on every
    machine (typeset from the theme's and Typst's fonts alone, without a warning)."""

    pdf: bytes
    warnings: tuple[Issue, ...]
    clean: bool


def _typeset(
    files: Mapping[str, bytes],
    names: Mapping[str, str],
    inputs: Mapping[str, str],
    font_dirs: tuple[Path, ...],
) -> Typeset:
    """One Typst run, first with the theme's and Typst's own fonts only: a CV they can print
    needs no scan of the machine's fonts (faster, and the same bytes on every machine).
    PDF/UA-1 makes Typst refuse a character no font has, which tells us when to try again
    with the machine's fonts (Hebrew, CJK, emoji ...); if even they lack it, the PDF is
    written anyway (with an empty box there, not PDF/UA-1) and a warning says what to
    install. Call with `_lock` held."""
    import typst

    found: list[Issue] = []
    try:
        pdf: Any = None
        refusal: Any = None
        theme_fonts_alone = False
        for system_fonts in (False, True):
            try:
                pdf, typst_warnings = _compiler(font_dirs, system_fonts).compile_with_warnings(
                    input=dict(files),
                    format="pdf",
                    sys_inputs=dict(inputs),
                    pdf_standards=STANDARDS,
                )
                theme_fonts_alone = not system_fonts
                break
            except typst.TypstError as exc:
                if "PDF/UA" not in str(exc.message):
                    raise
                refusal = exc
                if not _MISSING_GLYPH.search(str(exc.message)):
                    break  # not about fonts: the machine's would not help
        if pdf is None:
            # Content PDF/UA cannot describe (a character no font has, an image without
            # alt text ...): still a tagged PDF, just not a conforming one.
            found.append(_ua_warning(refusal, names))
            pdf, typst_warnings = _compiler(font_dirs, True).compile_with_warnings(
                input=dict(files), format="pdf", sys_inputs=dict(inputs)
            )
    except typst.TypstError as exc:
        raise CvgenError(_error_message(exc, names)) from None
    found.extend(_warning(warning, names) for warning in typst_warnings)
    if not isinstance(pdf, bytes):
        raise CvgenError("PDF template: Typst returned no PDF")
    return Typeset(pdf, tuple(found), theme_fonts_alone and not typst_warnings)


def _fill(run: Typeset) -> PageFill:
    return page_fill(run.pdf)


def fit_pdf(
    files: Mapping[str, bytes],
    names: Mapping[str, str],
    cv: str,
    font_dirs: tuple[Path, ...],
    settings: PdfSettings,
) -> tuple[Fitted[Typeset], list[Typeset]]:
    """The Typst runs fitting the CV (JSON text) into `settings.pages`, and the one chosen."""
    with _lock:  # one compile at a time per compiler (the dev server builds off-thread)
        runs: list[Typeset] = []

        def typeset(level: float) -> Typeset:
            inputs = {"cv": cv, "settings": settings.inputs(level)}
            runs.append(_typeset(files, names, inputs, font_dirs))
            return runs[-1]

        return fit(typeset, _fill, settings.pages), runs


def compile_pdf(
    files: Mapping[str, bytes],
    names: Mapping[str, str],
    data: Any,
    font_dirs: tuple[Path, ...],
    cache: PdfCache | None,
    warnings: list[Issue],
    settings: PdfSettings = PdfSettings(),
    overflow: Callable[[str], Issue] | None = None,
) -> bytes:
    """Typeset `files` (entry point `cv.typ`) with `data` as `sys.inputs.cv`, fitted into
    `settings.pages` (see `pdffit`; each step a Typst run, see `_typeset`). What the chosen
    run warned about goes to `warnings`; so does a budget even the theme's tightest setting
    spills over, as `overflow` words it from what runs over.

    With `cache`, a PDF made from the same inputs and settings before is returned as it was
    stored, and a new one is stored when every run was clean (the machine's fonts are no
    input the key covers; a hit must not hide a warning) and nothing spilled.
    """
    cv = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    key = ""
    if cache is not None:
        key = pdf_key(files, {"cv": cv, "settings": settings.key()}, font_dirs, STANDARDS)
        if (stored := cache.get(key)) is not None:
            return stored
    fitted, runs = fit_pdf(files, names, cv, font_dirs, settings)
    chosen = fitted.result
    warnings.extend(chosen.warnings)
    if fitted.overflow and settings.pages is not None:
        pages = read_pdf(chosen.pdf, fonts=False).pages
        found = overruns(data.get("sections") or [], [p.text for p in pages], settings.pages)
        message = overrun_message(found, settings.pages, fitted.pages)
        words = overflow or (lambda text: Issue("cv.pdf", 0, 0, "pdf.pages", text))
        warnings.append(words(message))
    if cache is not None and all(run.clean for run in runs) and not fitted.overflow:
        cache.put(key, chosen.pdf)
    return chosen.pdf


def render_pdf(
    cv: CV,
    theme: Theme,
    config: Config,
    photo: Photo | None = None,
    shown: ShownCV | None = None,
    *,
    warnings: list[Issue],
) -> bytes:
    """The CV as PDF bytes, typeset by the theme's `pdf/cv.typ` (with the photo, when the CV
    has one the PDF can show) and fitted into `pdf.pages`, or as typeset before from the
    same inputs (`.cvgen/pdf/`). `shown`: the CV as shown, when the caller has it (else
    computed from `cv`). What the typesetting warns about goes to `warnings`, and so does a
    budget even the tightest setting spills over (at the `pdf.pages` that asks for it)."""
    files, names = template_files(theme)
    document = pdf_data(shown or show(cv, config, theme), config, photo)
    cache = PdfCache(config.state_dir / FOLDER)
    settings = PdfSettings(pages=config.pdf.pages, icons=config.pdf.icons)

    def overflow(message: str) -> Issue:
        return Issue(CONFIG_FILE, *config.pdf.pages_spot, config.pdf.pages_at, message)

    try:
        return compile_pdf(
            files, names, document, theme.font_dirs, cache, warnings, settings, overflow
        )
    except CvgenError as exc:
        # the photo's bytes, not the template: say so where the user names the photo
        reason = _IMAGE_FAILURE.search(exc.format_message())
        if photo is None or photo.data is None or reason is None:
            raise
        raise ContentError(
            [
                cv.issue(
                    PHOTO_FIELD,
                    f"{photo.source} cannot be decoded for the PDF"
                    f" ({reason.group(1) or 'damaged'}); open it in an image editor and save it"
                    " again",
                )
            ]
        ) from None


_IMAGE_FAILURE = re.compile(r"failed to decode image(?: \((.*)\))?")
