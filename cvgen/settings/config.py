"""`cvgen.yaml`: the site project's settings, validated into frozen dataclasses.

Unknown keys are errors with a "did you mean"; every problem is reported at once with
its line and column. Stack outputs from `cvgen infra deploy` are written back by
`cvgen.settings.write` so `cvgen publish` needs no copying by hand.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.settings.languages import (
    folder_clashes,
    parse_languages,
    resolve_titles,
    resolve_variant_texts,
)
from cvgen.settings.pages import check_pages
from cvgen.settings.schema import check_keys
from cvgen.settings.sections import SECTIONS_SCHEMA, SectionsConfig, parse_sections
from cvgen.settings.variants import VariantConfig, parse_variants
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import YamlDoc, decode_text, parse_yaml

CONFIG_FILE = "cvgen.yaml"


@dataclass(frozen=True)
class SiteConfig:
    # None until the owner has an address: pages then carry no canonical link and no sitemap
    # (see cvgen/site_address.py); `cvgen infra deploy` fills it in.
    url: str | None = None
    title: str | None = None  # default: basics.name
    language: str = "en"
    description: str | None = None  # default: basics.label / summary


@dataclass(frozen=True)
class CounterConfig:
    enabled: bool = True
    api: str = "/api/views"  # same origin by default; a full URL for a cross-origin API
    mode: str = "public"  # "public" (throttled, unauthenticated) or "cognito" (SigV4 as a guest)
    identity_pool_id: str | None = None
    role_arn: str | None = None  # the guest role the page assumes (Cognito's basic flow)
    region: str | None = None


PAPERS = ("a4", "letter")
# Countries that print on US Letter by default (everyone else uses A4).
LETTER_REGIONS = frozenset({"US", "CA"})


@dataclass(frozen=True)
class PdfConfig:
    enabled: bool = True
    paper: str | None = None  # "a4" or "letter"; None: from the country (see `paper_for`)
    filename: str = "cv.pdf"  # a stable, unfingerprinted name people can link to
    pages: int | None = None  # the page budget the PDF is fitted into (see render/pdffit.py)
    icons: bool = False  # an icon before each contact item
    # where `pages` is written (`pdf.pages` or a variant's `pdf.pages`), for the warning
    # when even the theme's tightest setting spills over it
    pages_spot: tuple[int, int] = (0, 0)
    pages_at: str = "pdf.pages"


@dataclass(frozen=True)
class FileConfig:
    """`docx:` / `txt:`: the stable, unfingerprinted name of one more output file."""

    filename: str


# What `outputs:` may list, in the order pages link them: name -> the file's extension.
OUTPUTS = {"pdf": ".pdf", "docx": ".docx", "txt": ".txt"}


def paper_for(config: PdfConfig, language: str, country: str | None = None) -> str:
    """`pdf.paper` when set, else Letter in the US and Canada and A4 everywhere else.

    The country is the region of `site.language` (`en-US`, `fr-CA`), else `country` (the
    CV's `basics.location.countryCode`), so `language: en` in Chicago prints on Letter.
    """
    if config.paper is not None:
        return config.paper
    parts = language.replace("_", "-").split("-")
    region = next((p.upper() for p in parts[1:] if len(p) == 2 and p.isalpha()), None)
    if region is None and country:
        region = country.strip().upper()
    return "letter" if region in LETTER_REGIONS else "a4"


@dataclass(frozen=True)
class CacheRule:
    pattern: str  # fnmatch pattern on the output path, e.g. "*.html" or "assets/*"
    cache_control: str


@dataclass(frozen=True)
class PublishConfig:
    bucket: str | None = None
    prefix: str = ""
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    distribution_id: str | None = None
    invalidation_threshold: int = 15
    cache: tuple[CacheRule, ...] = ()


@dataclass(frozen=True)
class InfraConfig:
    stack_prefix: str = "cvgen"
    region: str | None = None
    domain: str | None = None
    certificate_arn: str | None = None
    hosted_zone_id: str | None = None
    github_repo: str | None = None
    artifact_bucket: str | None = None
    reserved_concurrency: int = 0


# `basics` fields `privacy.public_hide` may name (dotted below `location`)
BASICS_FIELDS = (
    "name",
    "label",
    "image",
    "email",
    "phone",
    "url",
    "summary",
    "location",
    "profiles",
)
LOCATION_FIELDS = ("address", "postalCode", "city", "countryCode", "region")


@dataclass(frozen=True)
class PrivacyConfig:
    # `basics` fields (`phone`, `email`, `location.address`) left out of every public output
    # (page, PDF, resume.json, JSON-LD, meta); an application's private pages keep them.
    public_hide: tuple[str, ...] = ()


@dataclass(frozen=True)
class BuildConfig:
    # Warnings (old field names, near-miss names, URLs without a scheme ...) fail the build,
    # like `cvgen build --strict` (and `mkdocs build --strict`).
    strict: bool = False


@dataclass(frozen=True)
class PhotoConfig:
    """`photo:`: how `basics.image` shows. A remote URL is an opt-in: it is the one request
    the page would make to another host."""

    remote: bool = False
    alt: str | None = None  # default: the person's name
    position: str = "50% 30%"  # the crop's focus (CSS object-position): faces sit high


@dataclass(frozen=True)
class Config:
    root: Path
    site: SiteConfig = field(default_factory=SiteConfig)
    theme: str = "default"
    sections: SectionsConfig = field(default_factory=SectionsConfig)
    photo: PhotoConfig = field(default_factory=PhotoConfig)
    counter: CounterConfig = field(default_factory=CounterConfig)
    pdf: PdfConfig = field(default_factory=PdfConfig)
    docx: FileConfig = field(default_factory=lambda: FileConfig("cv.docx"))
    txt: FileConfig = field(default_factory=lambda: FileConfig("cv.txt"))
    # `outputs:`: the files made beside each page (see OUTPUTS), in the order written
    outputs: tuple[str, ...] = tuple(OUTPUTS)
    publish: PublishConfig = field(default_factory=PublishConfig)
    infra: InfraConfig = field(default_factory=InfraConfig)
    build: BuildConfig = field(default_factory=BuildConfig)
    privacy: PrivacyConfig = field(default_factory=PrivacyConfig)
    variants: tuple[VariantConfig, ...] = ()
    # `languages:` (the default first, equal to site.language); () for a one-language site
    languages: tuple[str, ...] = ()

    @property
    def downloads(self) -> dict[str, str]:
        """The files built beside each page, `outputs:` in link order: kind -> file name
        (`pdf.enabled: false` leaves the PDF out as well)."""
        names = {"pdf": self.pdf.filename, "docx": self.docx.filename, "txt": self.txt.filename}
        return {
            kind: names[kind]
            for kind in OUTPUTS
            if kind in self.outputs and (kind != "pdf" or self.pdf.enabled)
        }

    @property
    def content_dir(self) -> Path:
        return self.root / "content"

    @property
    def theme_dir(self) -> Path:
        return self.root / "theme"

    @property
    def output_dir(self) -> Path:
        return self.root / "output"

    @property
    def state_dir(self) -> Path:
        """Local state (the dev server's counter database, compiled templates); git-ignored."""
        return self.root / ".cvgen"


# Schema: section -> {key: accepted types}. `None` in a tuple means the key may be null.
_STR = (str,)
_OPT_STR = (str, type(None))
_SCHEMA: dict[str, dict[str, tuple[type, ...]]] = {
    "site": {"url": _OPT_STR, "title": _OPT_STR, "language": _STR, "description": _OPT_STR},
    "counter": {
        "enabled": (bool,),
        "api": _STR,
        "mode": _STR,
        "identity_pool_id": _OPT_STR,
        "role_arn": _OPT_STR,
        "region": _OPT_STR,
    },
    "pdf": {
        "enabled": (bool,),
        "paper": _OPT_STR,
        "filename": _STR,
        "pages": (int, type(None)),
        "icons": (bool,),
    },
    "docx": {"filename": _STR},
    "txt": {"filename": _STR},
    "publish": {
        "bucket": _OPT_STR,
        "prefix": (str, type(None)),
        "region": _OPT_STR,
        "profile": _OPT_STR,
        "endpoint_url": _OPT_STR,
        "distribution_id": _OPT_STR,
        "invalidation_threshold": (int,),
        "cache": (list,),
    },
    "sections": SECTIONS_SCHEMA,
    "photo": {"remote": (bool,), "alt": _OPT_STR, "position": _STR},
    "infra": {
        "stack_prefix": _STR,
        "region": _OPT_STR,
        "domain": _OPT_STR,
        "certificate_arn": _OPT_STR,
        "hosted_zone_id": _OPT_STR,
        "github_repo": _OPT_STR,
        "artifact_bucket": _OPT_STR,
        "reserved_concurrency": (int,),
    },
    "build": {"strict": (bool,)},
    "privacy": {"public_hide": (list,)},
}
_TOP = {
    "theme": _STR,
    "variants": (list,),
    "languages": (list, str),
    "outputs": (list,),
    **{name: (dict,) for name in _SCHEMA},
}
_URL = re.compile(r"^https?://[^\s/]+(/\S*)?$")
_FILE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
MAX_FILE_NAME = 100  # file systems allow 255 bytes; 256 characters was a traceback
_POOL = re.compile(r"^[a-z]{2}(-[a-z]+)+-\d:[0-9a-f-]{36}$")
_ROLE = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")


def _check_site(doc: YamlDoc, site: dict[str, Any]) -> list[Issue]:
    """`site.url` is an http(s) URL; it gets its closing slash here."""
    issues: list[Issue] = []
    if isinstance(site.get("url"), str):
        if not _URL.match(site["url"]):
            issues.append(
                doc.issue(("site", "url"), f"expected an http(s) URL, got {site['url']!r}")
            )
        elif not site["url"].endswith("/"):
            site["url"] += "/"
    if isinstance(site.get("language"), str):
        from cvgen.cldr import check_language  # Babel: only when a language is set

        problem = check_language(site["language"])
        if problem:
            issues.append(doc.issue(("site", "language"), problem))
    return issues


def _check_counter(doc: YamlDoc, counter: dict[str, Any]) -> list[Issue]:
    """`counter.mode`, and what Cognito mode needs (pool, guest role, the API's own URL)."""
    issues: list[Issue] = []
    if counter.get("mode", "public") not in ("public", "cognito"):
        issues.append(
            doc.issue(
                ("counter", "mode"), f"expected `public` or `cognito`, got {counter['mode']!r}"
            )
        )
    elif counter.get("mode") == "cognito" and counter.get("enabled", True):
        if not counter.get("identity_pool_id"):
            issues.append(
                doc.issue(
                    ("counter",),
                    "`mode: cognito` needs `identity_pool_id` (run `cvgen infra deploy --cognito`)",
                )
            )
        elif not _POOL.match(str(counter["identity_pool_id"])):
            issues.append(
                doc.issue(
                    ("counter", "identity_pool_id"),
                    "expected an identity pool id like `eu-west-1:0123abcd-...`",
                )
            )
        else:
            pool_region = str(counter["identity_pool_id"]).split(":", 1)[0]
            if counter.get("region") and counter["region"] != pool_region:
                issues.append(
                    doc.issue(
                        ("counter", "region"),
                        f"`{counter['region']}` differs from the identity pool's region"
                        f" `{pool_region}`; remove `region` or make them match",
                    )
                )
        if not counter.get("role_arn"):
            issues.append(
                doc.issue(
                    ("counter",),
                    "`mode: cognito` needs `role_arn`, the guest role the page assumes"
                    " (run `cvgen infra deploy --cognito`)",
                )
            )
        elif not _ROLE.match(str(counter["role_arn"])):
            issues.append(
                doc.issue(
                    ("counter", "role_arn"),
                    "expected an IAM role ARN like `arn:aws:iam::123456789012:role/NAME`",
                )
            )
        if not _URL.match(str(counter.get("api", ""))):
            # SigV4 signs the Host header, which CloudFront rewrites: the page must call the
            # execute-api URL itself.
            issues.append(
                doc.issue(
                    ("counter", "api") if "api" in counter else ("counter",),
                    "`mode: cognito` needs `api` to be the API's own https URL"
                    " (https://<id>.execute-api.<region>.amazonaws.com/api/views);"
                    " `cvgen infra deploy --cognito` writes it",
                )
            )
    return issues


def _check_pdf(doc: YamlDoc, pdf: dict[str, Any]) -> list[Issue]:
    """`pdf.paper` is a known size; `pdf.filename` a plain `.pdf` file name; `pdf.pages` a
    page budget."""
    issues: list[Issue] = []
    if "pages" in pdf:
        # a value of the wrong type is reported once, by the type check
        wrong_type = isinstance(pdf["pages"], bool) or not isinstance(pdf["pages"], int)
        problem = None if wrong_type else check_pages(doc, ("pdf", "pages"), pdf["pages"])
        if problem:
            issues.append(problem)
        if problem or wrong_type:
            pdf["pages"] = None
        pdf["pages_spot"] = doc.positions.of(("pdf", "pages"))
    if isinstance(pdf.get("paper"), str):
        pdf["paper"] = pdf["paper"].lower()
        if pdf["paper"] not in PAPERS:
            issues.append(
                doc.issue(("pdf", "paper"), f"expected `a4` or `letter`, got {pdf['paper']!r}")
            )
    return issues + _check_filename(doc, "pdf", pdf)


def _check_filename(doc: YamlDoc, kind: str, settings: dict[str, Any]) -> list[Issue]:
    """`<kind>.filename` is a plain file name with the output's extension."""
    name, ending = settings.get("filename"), OUTPUTS[kind]
    if isinstance(name, str) and len(name) > MAX_FILE_NAME:
        return [
            doc.issue(
                (kind, "filename"),
                f"a file name of {len(name)} characters, over the {MAX_FILE_NAME} an output's"
                f" name may have; shorten it, such as `ada-lindqvist-cv{ending}`",
            )
        ]
    if not isinstance(name, str) or (_FILE_NAME.match(name) and name.endswith(ending)):
        return []
    return [
        doc.issue(
            (kind, "filename"),
            f"expected a file name ending in {ending}, such as `ada-lindqvist-cv{ending}`"
            f" (letters, digits, `.`, `-`, `_`; no folders), got {name!r}",
        )
    ]


def _check_docx(doc: YamlDoc, docx: dict[str, Any]) -> list[Issue]:
    return _check_filename(doc, "docx", docx)


def _check_txt(doc: YamlDoc, txt: dict[str, Any]) -> list[Issue]:
    return _check_filename(doc, "txt", txt)


def parse_outputs(doc: YamlDoc, raw: Any, issues: list[Issue]) -> tuple[str, ...]:
    """`outputs:`: which files to build beside each page (`[pdf, docx, txt]`, the default;
    `[]` for the page alone). Unknown names get a "did you mean"; repeats are errors."""
    if raw is None or not isinstance(raw, list):  # not a list: its type was reported
        return tuple(OUTPUTS)
    found: list[str] = []
    for i, name in enumerate(raw):
        if not isinstance(name, str) or name.strip().lower() not in OUTPUTS:
            issues.append(
                doc.issue(
                    ("outputs", i),
                    f"unknown output {name!r}{did_you_mean(str(name), OUTPUTS)}"
                    " (the page itself is always built)",
                )
            )
        elif name.strip().lower() in found:
            issues.append(doc.issue(("outputs", i), f"`{name}` is listed twice"))
        else:
            found.append(name.strip().lower())
    return tuple(found)


def _check_publish(doc: YamlDoc, publish: dict[str, Any]) -> list[Issue]:
    """`publish.cache` rules become CacheRules; the prefix loses its slashes."""
    issues: list[Issue] = []
    rules: list[CacheRule] = []
    for i, rule in enumerate(publish.pop("cache", None) or []):
        path = ("publish", "cache", i)
        if not isinstance(rule, dict) or set(rule) != {"pattern", "cache_control"}:
            issues.append(doc.issue(path, "expected `{pattern: ..., cache_control: ...}`"))
        elif not all(isinstance(v, str) and v for v in rule.values()):
            issues.append(doc.issue(path, "`pattern` and `cache_control` must be non-empty text"))
        else:
            rules.append(CacheRule(rule["pattern"], rule["cache_control"]))
    publish["cache"] = tuple(rules)
    if publish.get("prefix") is None:
        publish.pop("prefix", None)
    else:
        publish["prefix"] = publish["prefix"].strip("/")
    if (
        isinstance(publish.get("invalidation_threshold"), int)
        and publish["invalidation_threshold"] < 1
    ):
        issues.append(doc.issue(("publish", "invalidation_threshold"), "must be at least 1"))
    return issues


def _check_photo(doc: YamlDoc, photo: dict[str, Any]) -> list[Issue]:
    """`photo.position` is where a CSS crop may centre."""
    if isinstance(photo.get("position"), str) and not _POSITION.match(photo["position"]):
        return [
            doc.issue(
                ("photo", "position"),
                "expected where the crop centres, like `50% 30%` or `center top`,"
                f" got {photo['position']!r}",
            )
        ]
    return []


def _check_privacy(doc: YamlDoc, privacy: dict[str, Any]) -> list[Issue]:
    """`privacy.public_hide`: `basics` fields, `location.<field>` for a part of the address."""
    names = privacy.get("public_hide")
    if not isinstance(names, list):  # None, or a wrong type: named by the type check
        return []
    issues = []
    known = [*BASICS_FIELDS, *(f"location.{name}" for name in LOCATION_FIELDS)]
    for i, name in enumerate(names):
        where = ("privacy", "public_hide", i)
        if not isinstance(name, str):
            issues.append(doc.issue(where, "expected a `basics` field such as `phone`"))
        elif name not in known:
            issues.append(
                doc.issue(where, f"`{name}` is not a `basics` field{did_you_mean(name, known)}")
            )
    privacy["public_hide"] = tuple(n for n in names if isinstance(n, str))
    return issues


# Section -> its settings type and the checks beyond key names and types (values are
# normalised in place). A new section needs a `_SCHEMA` entry and a line here.
_SECTIONS: dict[str, tuple[type, Callable[[YamlDoc, dict[str, Any]], list[Issue]] | None]] = {
    "site": (SiteConfig, _check_site),
    "counter": (CounterConfig, _check_counter),
    "pdf": (PdfConfig, _check_pdf),
    "docx": (FileConfig, _check_docx),
    "txt": (FileConfig, _check_txt),
    "publish": (PublishConfig, _check_publish),
    "infra": (InfraConfig, None),
    "build": (BuildConfig, None),
    "photo": (PhotoConfig, _check_photo),
    "privacy": (PrivacyConfig, _check_privacy),
}


def parse_config(doc: YamlDoc, root: Path) -> Config:
    """Validate parsed `cvgen.yaml` data into a Config, or raise ContentError with every issue."""
    data = doc.data if doc.data is not None else {}
    if not isinstance(data, dict):
        raise ContentError([doc.issue((), "expected a mapping of settings at the top level")])
    issues = check_keys(doc, (), data, _TOP)
    sections: dict[str, dict[str, Any]] = {}
    for name, schema in _SCHEMA.items():
        section = data.get(name) or {}
        if isinstance(section, dict):
            issues += check_keys(doc, (name,), section, schema)
            sections[name] = {k: v for k, v in section.items() if k in schema}
        else:
            sections[name] = {}
    for name, (_, check) in _SECTIONS.items():
        if check is not None:
            issues += check(doc, sections[name])
    # `sections:` names are checked against the content at render time: keep their positions
    owner_sections = parse_sections(doc, sections.pop("sections"), issues)
    variants = parse_variants(doc, data.get("variants"), issues, owner_sections)
    languages = parse_languages(doc, data.get("languages"), sections["site"], issues)
    outputs = parse_outputs(doc, data.get("outputs"), issues)
    if languages:
        folder_clashes(doc, languages, variants, issues)
    variants = resolve_variant_texts(doc, languages, variants, issues)
    owner_sections = resolve_titles(doc, languages, owner_sections, issues)
    if issues:
        raise ContentError(issues)
    for name in ("docx", "txt"):
        sections[name].setdefault("filename", f"cv{OUTPUTS[name]}")
    settings = {name: kind(**sections[name]) for name, (kind, _) in _SECTIONS.items()}
    return Config(
        root=root,
        theme=data.get("theme", "default"),
        sections=owner_sections,
        variants=variants,
        languages=languages,
        outputs=outputs,
        **settings,
    )


_POSITION = re.compile(r"^(\d{1,3}%|left|center|right)( (\d{1,3}%|top|center|bottom))?$")


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` holding cvgen.yaml."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file():
            return folder
    raise CvgenError(
        f"no {CONFIG_FILE} in {start} or any folder above it; "
        "run `cvgen new PATH` to create a site, or pass --root"
    )


def site_root(root: Path | None) -> Path:
    """The site a command works on: `--root` as given (it must hold cvgen.yaml), else the
    nearest folder at or above the current one that does. Every command resolves it here."""
    if root is None:
        return find_root(Path.cwd())
    resolved = root.resolve()
    if not (resolved / CONFIG_FILE).is_file():
        raise CvgenError(
            f"--root {root}: no {CONFIG_FILE} in {resolved}; pass the site folder (the one "
            f"holding {CONFIG_FILE}), or run `cvgen new {root}` to create a site there"
        )
    return resolved


def load_config(root: Path) -> Config:
    """Read and validate `<root>/cvgen.yaml`."""
    path = root / CONFIG_FILE
    if not path.is_file():
        raise CvgenError(f"{path}: not found; run `cvgen new {root}` to create a site here")
    doc = parse_yaml(decode_text(path.read_bytes(), CONFIG_FILE), CONFIG_FILE)
    return parse_config(doc, root)
