"""Themes: Jinja templates and static files, a site's own files overriding built-in ones.

A theme named `N` is the union of `<builtin themes>/N/` and the site's `theme/N/`, file by
file: a site that only wants other colours keeps just `theme/default/templates/css/theme.css`.
A theme may extend another (`extends: default` in its `theme.yaml`): it then starts from
every file of that theme and replaces only the ones it has itself, so the three built-in
themes share their section templates, translations and most of their stylesheet.
Every file is read once here, so rendering afterwards depends on nothing but its inputs
(the compiled-template cache in the site's `.cvgen/` only saves time: the same source gives
the same output with or without it).

The Jinja environment is strict (`StrictUndefined`: a typo fails loudly) and escapes
everything (content can never inject markup); Markdown goes through `cvgen.markup`, whose
output is safe HTML. Template errors become a `CvgenError` naming the file and line.
"""

from __future__ import annotations

import re
import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jinja2
import yaml
from markupsafe import Markup

from cvgen.cldr import country_name, format_date, language_name
from cvgen.errors import CvgenError
from cvgen.markup import block_markdown, inline_markdown
from cvgen.render.labels import parse_translation
from cvgen.render.text import place_of, plain_text, safe_href, tel_href, text_of, texts_of
from cvgen.resources import builtin_themes_dir
from cvgen.settings.config import Config
from cvgen.suggestions import closest, did_you_mean
from cvgen.yamldoc import decode_text, own_yaml, parse_yaml

_THEME_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]*")
TEMPLATES = "templates"
STATIC = "static"
PDF = "pdf"
FONTS = "fonts"
TRANSLATIONS = "translations"
MANIFEST = "theme.yaml"
_MANIFEST_KEYS = {"description": str, "extends": str}


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
    # language tag (file stem of translations/<tag>.yaml) -> word key -> text
    translations: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    description: str = ""
    # this theme and the ones it extends, itself first: ("sidebar", "default")
    lineage: tuple[str, ...] = ()


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


# Locale-aware filters read the page's language (`lang` in the context) themselves.
@jinja2.pass_context
def _date_filter(context: jinja2.runtime.Context, value: Any) -> str:
    return format_date(value, str(context.get("lang") or "en"))


@jinja2.pass_context
def _country_filter(context: jinja2.runtime.Context, value: Any) -> str:
    return country_name(value, str(context.get("lang") or "en"))


@jinja2.pass_context
def _language_filter(context: jinja2.runtime.Context, value: Any) -> str:
    return language_name(value, str(context.get("lang") or "en"))


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
    env.filters["date"] = _date_filter
    env.filters["country"] = _country_filter
    env.filters["language_name"] = _language_filter
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


def _own_folders(name: str, site_themes: Path) -> list[Path]:
    """The built-in and the site's folder of one theme (those that exist), built-in first."""
    folders: list[Path] = []
    for folder in (builtin_themes_dir() / name, site_themes / name):
        if folder.is_dir() and all(folder.resolve() != f.resolve() for f in folders):
            folders.append(folder)
    return folders


def available_themes(site_themes: Path | None = None) -> list[str]:
    """Names of the built-in themes and the site's own (folders under theme/)."""
    roots = [builtin_themes_dir()] + ([site_themes] if site_themes is not None else [])
    return sorted(
        {
            p.name
            for d in roots
            if d.is_dir()
            for p in d.iterdir()
            if p.is_dir() and _THEME_NAME.fullmatch(p.name)
        }
    )


def theme_summaries(root: Path | None = None) -> list[str]:
    """`name  description` lines for `cvgen themes`: the built-in themes, then the site's
    own (found from `root`, or from the current folder up, when there is a site)."""
    site_themes: Path | None = None
    site_root = root
    if site_root is None:
        site_root = next(
            (f for f in (Path.cwd(), *Path.cwd().parents) if (f / "cvgen.yaml").is_file()), None
        )
    if site_root is not None:
        site_themes = site_root / "theme"
    names = available_themes(site_themes)
    width = max((len(name) for name in names), default=0)
    lines = []
    for name in names:
        lineage = theme_lineage(
            name, site_themes or Path("/nonexistent"), (site_root or Path.cwd()).resolve()
        )
        own = lineage[0][2]
        text = own.get("description", "")
        if "extends" in own and not text:
            text = f"(extends {own['extends']})"
        builtin = (builtin_themes_dir() / name).is_dir()
        where = "" if builtin else "  [this site's own]"
        lines.append(f"{name.ljust(width)}  {text}{where}".rstrip())
    return lines


def _theme_yaml(path: Path, raw: bytes, shown: str) -> Any:
    """A theme's YAML file: a site's own (under theme/) through the reader every user file
    goes through (duplicate keys, positions, limits; a ContentError names file:line:col);
    cvgen's built-in ones through the plain fast one."""
    if path.resolve().is_relative_to(builtin_themes_dir().resolve()):
        try:
            return own_yaml(raw.decode("utf-8"))
        except (yaml.YAMLError, UnicodeDecodeError) as exc:  # a broken install
            raise CvgenError(f"{shown}: not readable YAML ({exc})") from None
    return parse_yaml(decode_text(raw, shown), shown).data


def read_manifest(folders: list[Path], root: Path) -> dict[str, str]:
    """A theme's `theme.yaml` (`description`, `extends`), the site's keys over the built-in's."""
    manifest: dict[str, str] = {}
    for folder in folders:
        path = folder / MANIFEST
        if not path.is_file():
            continue
        shown = _display_name(path, root)
        data = _theme_yaml(path, path.read_bytes(), shown) or {}
        if not isinstance(data, dict):
            raise CvgenError(f"{shown}: expected `description:` and optionally `extends:`")
        for key, value in data.items():
            if key not in _MANIFEST_KEYS:
                raise CvgenError(
                    f"{shown}: unknown key `{key}`{did_you_mean(str(key), _MANIFEST_KEYS)}"
                )
            if not isinstance(value, str) or not value.strip():
                raise CvgenError(f"{shown}: `{key}` must be text")
            manifest[key] = value.strip()
    return manifest


def _unknown_theme(name: str, site_themes: Path) -> CvgenError:
    known = available_themes(site_themes)
    hint = closest(name, known)
    advice = f"did you mean `{hint}`?" if hint else "available: " + ", ".join(known or ["none"])
    return CvgenError(
        f"cvgen.yaml: theme: no theme `{name}` in theme/ or the built-in themes; {advice}"
        " (`cvgen themes` lists them)"
    )


def theme_lineage(
    name: str, site_themes: Path, root: Path
) -> list[tuple[str, list[Path], dict[str, str]]]:
    """The theme and the ones it extends, itself first: (name, folders, manifest) each."""
    lineage: list[tuple[str, list[Path], dict[str, str]]] = []
    current: str | None = name
    while current is not None:
        if any(current == seen for seen, _, _ in lineage):
            chain = " -> ".join([n for n, _, _ in lineage] + [current])
            raise CvgenError(f"theme `{name}`: `extends` goes round in a circle ({chain})")
        if not _THEME_NAME.fullmatch(current):
            raise CvgenError(
                f"theme `{lineage[-1][0]}`: extends {current!r}, which is not a theme name"
            )
        folders = _own_folders(current, site_themes)
        if not folders:
            raise _unknown_theme(current, site_themes)
        manifest = read_manifest(folders, root)
        lineage.append((current, folders, manifest))
        current = manifest.get("extends")
    return lineage


def _read_translations(folder: Path, root: Path) -> dict[str, dict[str, str]]:
    found: dict[str, dict[str, str]] = {}
    for name, data in _read_tree(folder, root, decode=False).items():
        if "/" in name or not name.endswith((".yaml", ".yml")):
            continue
        shown = _display_name(folder / name, root)
        parsed = _theme_yaml(folder / name, data, shown)
        found[name.rsplit(".", 1)[0]] = parse_translation(parsed, shown)
    return found


def load_theme(config: Config) -> Theme:
    """Read the configured theme: the themes it extends, then its own files; the site's
    files override the built-in ones of the same theme, file by file."""
    root = config.root.resolve()
    if not _THEME_NAME.fullmatch(config.theme):
        raise CvgenError(
            f"cvgen.yaml: theme: {config.theme!r} is not a theme name; "
            "use letters, digits, `-` and `_` (the folder name under theme/)"
        )
    lineage = theme_lineage(config.theme, config.theme_dir, root)
    folders = [folder for _, own, _ in reversed(lineage) for folder in own]
    templates: dict[str, tuple[str, str]] = {}
    static: dict[str, bytes] = {}
    pdf: dict[str, tuple[bytes, str]] = {}
    translations: dict[str, dict[str, str]] = {}
    for folder in folders:
        templates.update(_read_tree(folder.resolve() / TEMPLATES, root, decode=True))
        static.update(_read_tree(folder.resolve() / STATIC, root, decode=False))
        pdf.update(
            (name, value)
            for name, value in _read_tree(folder.resolve() / PDF, root, decode=None).items()
            if not name.startswith(f"{FONTS}/")
        )
        for language, words in _read_translations(folder.resolve() / TRANSLATIONS, root).items():
            translations[language] = {**translations.get(language, {}), **words}
    font_dirs = tuple(
        folder.resolve() / PDF / FONTS for folder in folders if (folder / PDF / FONTS).is_dir()
    )
    if "index.html" not in templates:
        raise CvgenError(
            f"theme `{config.theme}`: no templates/index.html in {', '.join(str(f) for f in folders)}"
        )
    env = make_environment(templates, compile_cache_dir(config))
    description = lineage[0][2].get("description", "")
    return Theme(
        config.theme,
        templates,
        static,
        env,
        pdf,
        font_dirs,
        translations=translations,
        description=description,
        lineage=tuple(name for name, _, _ in lineage),
    )


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
