"""Themes: Jinja templates and static files, a site's own files overriding built-in ones.

A theme named `N` is the union of `<builtin themes>/N/` and the site's `theme/N/`, file by
file: a site that only wants another stylesheet keeps just `theme/default/static/style.css`.
Every file is read once here, so rendering afterwards depends on nothing but its inputs
(the compiled-template cache in the site's `.cvgen/` only saves time: the same source gives
the same output with or without it).

The Jinja environment is strict (`StrictUndefined`: a typo fails loudly) and escapes
everything (content can never inject markup); Markdown goes through `cvgen.markup`, whose
output is safe HTML. Template errors become a `CvgenError` naming the file and line.
"""

from __future__ import annotations

import difflib
import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
from markupsafe import Markup

from cvgen.config import Config
from cvgen.errors import CvgenError
from cvgen.markup import block_markdown, inline_markdown
from cvgen.render.text import (
    format_date,
    place_of,
    plain_text,
    safe_href,
    tel_href,
    text_of,
    texts_of,
)
from cvgen.resources import builtin_themes_dir

_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
TEMPLATES = "templates"
STATIC = "static"
PDF = "pdf"
FONTS = "fonts"


@dataclass(frozen=True)
class Theme:
    """A theme read into memory: template sources and static files by relative path."""

    name: str
    # template name (posix path below templates/) -> (source text, file name shown in errors)
    templates: Mapping[str, tuple[str, str]]
    static: Mapping[str, bytes]
    env: jinja2.Environment
    # pdf/: the Typst template files (name -> (bytes, file name shown in errors)) and the
    # pdf/fonts/ folders that exist, built-in first (Typst reads fonts from folders)
    pdf: Mapping[str, tuple[bytes, str]] = field(default_factory=dict)
    font_dirs: tuple[Path, ...] = ()


class _MemoryLoader(jinja2.BaseLoader):
    """Serves templates read at load time; their file names are what errors show."""

    def __init__(self, templates: Mapping[str, tuple[str, str]]) -> None:
        self.templates = templates

    def get_source(
        self, _environment: jinja2.Environment, template: str
    ) -> tuple[str, str | None, Callable[[], bool] | None]:
        try:
            source, filename = self.templates[template]
        except KeyError:
            raise jinja2.TemplateNotFound(template) from None
        return source, filename, lambda: True


def _markdown_filter(text: Any, heading_offset: int = 0) -> Markup:
    return Markup(block_markdown(str(text), heading_offset=heading_offset))


def _inline_filter(text: Any) -> Markup:
    return Markup(inline_markdown(str(text)))


class _CompileCache(jinja2.FileSystemBytecodeCache):
    """Compiled templates kept between runs (keyed by a checksum of the source): compiling
    is most of a build's time. Best effort: a cache that cannot be written is skipped."""

    def load_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            super().load_bytecode(bucket)
        except Exception:  # unreadable, truncated, another Python's: compile afresh
            bucket.reset()

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        try:
            Path(self.directory).mkdir(parents=True, exist_ok=True)
            super().dump_bytecode(bucket)
        except OSError:
            pass


def compile_cache_dir(config: Config) -> Path:
    """`<site>/.cvgen/templates-<jinja version>`: the site's own git-ignored state folder, so
    a build writes nowhere outside the site (a folder that cannot be written is skipped)."""
    return config.state_dir.resolve() / f"templates-{jinja2.__version__}"


def make_environment(
    templates: Mapping[str, tuple[str, str]], cache: Path | None = None
) -> jinja2.Environment:
    """The strict, escaping environment every theme renders with."""
    env = jinja2.Environment(
        loader=_MemoryLoader(templates),
        bytecode_cache=_CompileCache(str(cache)) if cache is not None else None,
        undefined=jinja2.StrictUndefined,
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        auto_reload=False,
    )
    env.filters["inline_markdown"] = _inline_filter
    env.filters["markdown"] = _markdown_filter
    env.filters["plain"] = plain_text
    env.filters["date"] = format_date
    env.filters["href"] = safe_href
    env.filters["tel"] = tel_href
    # fields outside the JSON Resume schema (`technologies`, a volunteer's `location` ...)
    env.filters["texts_of"] = texts_of
    env.filters["text_of"] = text_of
    env.filters["place"] = place_of
    return env


def _display_name(path: Path, root: Path) -> str:
    """`theme/default/templates/x.html` for a site file, the full path for a built-in one."""
    try:
        return path.relative_to(root).as_posix()
    except ValueError:
        return path.as_posix()


def _read_tree(folder: Path, root: Path, decode: bool | None) -> dict[str, Any]:
    """Files below `folder` by posix name: text (`decode`), bytes (False) or (bytes, shown name)."""
    found: dict[str, Any] = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.rglob("*")):
        relative = path.relative_to(folder)
        if not path.is_file() or any(part.startswith(".") for part in relative.parts):
            continue  # editor droppings such as .index.html.swp
        name = relative.as_posix()
        data = path.read_bytes()
        if decode:
            try:
                found[name] = (data.decode("utf-8"), _display_name(path, root))
            except UnicodeDecodeError as exc:
                raise CvgenError(
                    f"{_display_name(path, root)}: not valid UTF-8 (byte {exc.start}); "
                    "save the template as UTF-8"
                ) from None
        elif decode is None:
            found[name] = (data, _display_name(path, root))
        else:
            found[name] = data
    return found


def theme_folders(config: Config) -> list[Path]:
    """The folders making up the configured theme, lowest priority first."""
    candidates = [builtin_themes_dir() / config.theme, config.theme_dir / config.theme]
    folders: list[Path] = []
    for folder in candidates:
        if folder.is_dir() and all(folder.resolve() != f.resolve() for f in folders):
            folders.append(folder)
    return folders


def load_theme(config: Config) -> Theme:
    """Read the configured theme (built-in files overridden by the site's own)."""
    root = config.root.resolve()
    if not _THEME_NAME.fullmatch(config.theme):
        raise CvgenError(
            f"cvgen.yaml: theme: {config.theme!r} is not a theme name; "
            "use letters, digits, `-` and `_` (the folder name under theme/)"
        )
    folders = theme_folders(config)
    if not folders:
        known = sorted(
            {
                p.name
                for d in (builtin_themes_dir(), config.theme_dir)
                if d.is_dir()
                for p in d.iterdir()
                if p.is_dir()
            }
        )
        hint = difflib.get_close_matches(config.theme, known, n=1)
        advice = (
            f"did you mean `{hint[0]}`?" if hint else "available: " + ", ".join(known or ["none"])
        )
        raise CvgenError(
            f"cvgen.yaml: theme: no theme `{config.theme}` in theme/ or the built-in themes; {advice}"
        )
    templates: dict[str, tuple[str, str]] = {}
    static: dict[str, bytes] = {}
    pdf: dict[str, tuple[bytes, str]] = {}
    for folder in folders:
        templates.update(_read_tree(folder.resolve() / TEMPLATES, root, decode=True))
        static.update(_read_tree(folder.resolve() / STATIC, root, decode=False))
        pdf.update(
            (name, value)
            for name, value in _read_tree(folder.resolve() / PDF, root, decode=None).items()
            if not name.startswith(f"{FONTS}/")
        )
    font_dirs = tuple(
        folder.resolve() / PDF / FONTS for folder in folders if (folder / PDF / FONTS).is_dir()
    )
    if "index.html" not in templates:
        raise CvgenError(
            f"theme `{config.theme}`: no templates/index.html in {', '.join(str(f) for f in folders)}"
        )
    env = make_environment(templates, compile_cache_dir(config))
    return Theme(config.theme, templates, static, env, pdf, font_dirs)


def _template_line(exc: BaseException, filenames: set[str]) -> tuple[str, int] | None:
    """The innermost template frame of a traceback (Jinja rewrites frames to template lines)."""
    found = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if frame.filename in filenames and frame.lineno is not None:
            found = (frame.filename, frame.lineno)
    return found


def render_template(theme: Theme, name: str, context: Mapping[str, Any]) -> str:
    """Render one template, turning any template failure into `file:line: message`."""
    filenames = {filename for _, filename in theme.templates.values()}
    try:
        return theme.env.get_template(name).render(context)
    except jinja2.TemplateSyntaxError as exc:
        where = f"{exc.filename or name}:{exc.lineno}"
        raise CvgenError(f"{where}: {exc.message}") from None
    except jinja2.TemplateNotFound as exc:
        location = _template_line(exc, filenames)
        where = f"{location[0]}:{location[1]}: " if location else ""
        raise CvgenError(
            f"{where}template `{exc.name}` not found in theme `{theme.name}`"
        ) from None
    except Exception as exc:
        # A template bug (undefined name, bad filter argument ...) if it happened in a template
        location = _template_line(exc, filenames)
        if location is None:
            raise
        message = (
            str(exc) if isinstance(exc, jinja2.TemplateError) else f"{type(exc).__name__}: {exc}"
        )
        raise CvgenError(f"{location[0]}:{location[1]}: {message}") from None
