"""Job applications: `content/applications/<slug>.md`, one file per application sent.

Front matter says where it went and what it uses; the Markdown body is the cover letter:

    ---
    company: Acme
    role: Backend engineer
    date: 2026-12-07          # the day it was sent (`cvgen apply` writes today)
    variant: backend          # optional: one of `variants:` (default: the main page)
    language: de              # optional: one of `languages:` (default: the site's)
    status: applied           # applied | interview | offer | rejected | withdrawn
    url: https://acme.example/jobs/42   # the job posting (never published)
    recipient: Jane Doe       # optional: the letter's addressee, above the company
    address: "Main St 1\\n12345 Town"     # optional: the recipient's address lines
    notes: met Jane at PyCon  # private: never leaves the machine
    token: 3f0c...            # 32 hex digits from `cvgen apply`: the link's secret part
    ---
    Dear Jane, ...

Each builds to `a/<slug>-<token>/` (see `Application.folder`). The token is at least 96
random bits (`new_token` makes 128), kept in the file so every build gives the same URL.
Reading is here (`load_applications`); nothing in this module writes but `write_application`.
"""

from __future__ import annotations

import datetime
import re
import secrets
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cvgen.content.dates import read_date
from cvgen.content.files import split_front_matter, without_control_characters
from cvgen.content.load import APPLICATIONS as FOLDER
from cvgen.errors import ContentError, CvgenError, Issue
from cvgen.markup_budget import body_issue
from cvgen.settings.config import CONFIG_FILE, Config
from cvgen.suggestions import did_you_mean
from cvgen.yamldoc import decode_text

URL_FOLDER = "a"  # the built site's folder of application links: a/<slug>-<token>/
STATUSES = ("applied", "interview", "offer", "rejected", "withdrawn")
TOKEN_BYTES = 16  # 128 random bits; files written by hand need at least MIN_TOKEN_HEX
MIN_TOKEN_HEX = 24  # 96 bits
_TOKEN = re.compile(r"[0-9a-f]+")
_SLUG = re.compile(r"[a-z0-9][a-z0-9-]{0,62}")
REQUIRED = ("company", "role", "date", "token")
TEXT_FIELDS = ("company", "role", "url", "recipient", "address", "notes")
FIELDS = (*REQUIRED, "variant", "language", "status", "url", "recipient", "address", "notes")
EXAMPLE = "company: Acme"


@dataclass(frozen=True)
class Application:
    slug: str
    company: str
    role: str
    date: str  # YYYY-MM-DD (or YYYY-MM / YYYY as written)
    token: str
    letter: str  # the cover letter, Markdown (may be empty: then no letter is built)
    source: str  # content/applications/<slug>.md
    variant: str | None = None
    language: str | None = None  # None: the site's default language
    status: str = "applied"
    url: str = ""  # the job posting; kept on this machine, like `notes`
    recipient: str = ""
    address: str = ""
    notes: str = ""

    @property
    def folder(self) -> str:
        """Where its files go below the site's base: `a/acme-<token>/`."""
        return f"{URL_FOLDER}/{self.slug}-{self.token}/"


def new_token() -> str:
    """A fresh link secret: 128 bits from the OS's CSPRNG, as 32 lowercase hex digits."""
    return secrets.token_hex(TOKEN_BYTES)


def application_path(config: Config, slug: str) -> Path:
    return config.content_dir / FOLDER / f"{slug}.md"


def load_applications(config: Config) -> tuple[Application, ...]:
    """Every `content/applications/*.md`, sorted by slug; ContentError lists every problem
    of every file at once (bad fields, an unknown variant or language, a repeated token)."""
    folder = config.content_dir / FOLDER
    if not folder.is_dir():
        return ()
    issues: list[Issue] = []
    found: list[Application] = []
    for path in sorted(folder.glob("*.md")):
        name = path.relative_to(config.root).as_posix()
        application = read_application(path, name, config, issues)
        if application is not None:
            found.append(application)
    seen: dict[str, str] = {}
    for application in found:
        if application.token in seen:
            issues.append(
                Issue(
                    application.source,
                    0,
                    0,
                    "token",
                    f"the same token as {seen[application.token]}; give each application its "
                    "own (`cvgen apply` makes one)",
                )
            )
        seen.setdefault(application.token, application.source)
    if issues:
        raise ContentError(issues)
    return tuple(found)


def read_application(
    path: Path, name: str, config: Config, issues: list[Issue]
) -> Application | None:
    """One application file, checked against the site's variants and languages."""
    found: list[Issue] = []
    slug = path.stem
    if not _SLUG.fullmatch(slug):
        found.append(
            Issue(
                name,
                0,
                0,
                "",
                "the file name is part of the application's link: use lowercase letters, "
                "digits and hyphens (e.g. `acme.md`), at most 63",
            )
        )
    try:
        text = decode_text(path.read_bytes(), name).replace("\r\n", "\n")
    except ContentError as exc:
        issues.extend([*found, *exc.issues])
        return None
    front, body = split_front_matter(text, name, found, example=f"`{EXAMPLE}`")
    if front is None:
        issues.extend(found)
        return None
    data = front.data if front.data is not None else {}
    if not isinstance(data, dict):
        issues.extend([*found, front.issue((), f"expected fields like `{EXAMPLE}`")])
        return None
    doc = front

    def report(key: str, message: str, at_key: bool = False) -> None:
        found.append(doc.issue((key,) if key else (), message, at_key=at_key))

    values = check_fields(data, config, report)
    too_heavy = body_issue(text, body, name)
    if too_heavy is not None:
        found.append(too_heavy)
    if found:
        issues.extend(found)
        return None
    letter = without_control_characters(text, body, name, [])
    return Application(slug=slug, letter=letter.strip(), source=name, **values)


def check_fields(
    data: Mapping[Any, Any], config: Config, report: Callable[..., None]
) -> dict[str, Any]:
    """The front matter's values, checked; `report(key, message, at_key=...)` for each
    problem (key "" for the whole front matter)."""
    values: dict[str, Any] = {}
    for key in data:
        if key not in FIELDS:
            report(key, f"unknown field `{key}`{did_you_mean(str(key), FIELDS)}", at_key=True)
    for key in REQUIRED:
        if data.get(key) in (None, ""):
            hint = " (`cvgen apply` writes one)" if key == "token" else ""
            report("" if key not in data else key, f"`{key}` is missing{hint}")
    for key in TEXT_FIELDS:
        value = data.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, str | int | float):
            report(key, f"expected text, got {type(value).__name__}")
        elif str(value).strip():
            values[key] = str(value).strip()
    date = data.get("date")
    if date not in (None, ""):
        reading = read_date(str(date))
        if reading.error or reading.message or reading.value is None:
            report("date", f"{reading.message}; write the day the application was sent")
        else:
            values["date"] = reading.value
    token = data.get("token")
    if token not in (None, ""):
        text = str(token)
        if not _TOKEN.fullmatch(text) or len(text) < MIN_TOKEN_HEX:
            report(
                "token",
                f"expected at least {MIN_TOKEN_HEX} lowercase hex digits (96 random bits), "
                f"got {len(text)} characters; let `cvgen apply` write it",
            )
        else:
            values["token"] = text
    status = data.get("status", "applied")
    if status not in STATUSES:
        report("status", f"`{status}` is not a status{did_you_mean(str(status), STATUSES)}")
    else:
        values["status"] = status
    variant = data.get("variant")
    if variant is not None:
        names = [v.name for v in config.variants]
        if variant not in names:
            where = f"no variant `{variant}` in {CONFIG_FILE}"
            report("variant", where + (did_you_mean(str(variant), names) if names else ""))
        else:
            values["variant"] = variant
    language = data.get("language")
    if language is not None:
        tags = config.languages or (config.site.language,)
        match = [tag for tag in tags if tag.lower() == str(language).lower()]
        if not match:
            report(
                "language",
                f"`{language}` is not one of the site's languages{did_you_mean(str(language), tags)}",
            )
        else:
            values["language"] = None if match[0] == tags[0] else match[0]
    return values


def application_text(
    *,
    company: str,
    role: str,
    date: str,
    token: str,
    variant: str | None = None,
    language: str | None = None,
    url: str | None = None,
) -> str:
    """A new application file: front matter (values quoted as YAML strings) and a letter to write."""
    import json

    lines = ["---"]
    fields: Sequence[tuple[str, str | None]] = (
        ("company", company),
        ("role", role),
        ("date", date),
        ("variant", variant),
        ("language", language),
        ("status", "applied"),
        ("url", url),
        ("token", token),
    )
    for key, value in fields:
        if value is not None:
            # JSON strings are YAML strings: any company name stays text
            lines.append(f"{key}: {json.dumps(value, ensure_ascii=False)}")
    lines.append("notes: ''  # private: never published")
    lines.append("---")
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Created:
    path: Path
    link: str  # the full address on site.url, or the path below the site's base


def create_application(
    root: Path,
    slug: str,
    *,
    company: str,
    role: str,
    variant: str | None = None,
    language: str | None = None,
    url: str | None = None,
    date: str | None = None,
    today: datetime.date | None = None,
) -> Created:
    """`cvgen apply`: check the flags against the site, then write a new application file
    with today's date and a fresh token. Nothing is written when a flag is wrong."""
    from cvgen.settings.config import load_config

    config = load_config(root)
    given: dict[str, Any] = {"company": company, "role": role, "variant": variant}
    given |= {"language": language, "url": url, "token": new_token()}
    given["date"] = date or (today or datetime.date.today()).isoformat()
    problems: list[str] = []

    def report(key: str, message: str, at_key: bool = False) -> None:
        problems.append(f"--{key}: {message}" if key else message)

    values = check_fields({k: v for k, v in given.items() if v is not None}, config, report)
    if problems:
        raise CvgenError("; ".join(problems))
    text = application_text(
        company=values["company"],
        role=values["role"],
        date=values["date"],
        token=values["token"],
        variant=values.get("variant"),
        language=values.get("language"),
        url=values.get("url"),
    )
    path = write_application(config, slug, text)
    folder = f"{URL_FOLDER}/{slug}-{values['token']}/"
    return Created(path, (config.site.url or "/") + folder)


def write_application(config: Config, slug: str, text: str) -> Path:
    """Create the file; refuses to replace one (its token is the link already sent)."""
    if not _SLUG.fullmatch(slug):
        raise CvgenError(
            f"application `{slug}`: use lowercase letters, digits and hyphens (e.g. `acme`)"
        )
    path = application_path(config, slug)
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        with path.open("x", encoding="utf-8") as handle:
            handle.write(text)
    except FileExistsError:
        raise CvgenError(
            f"{path}: already exists; its link may have been sent, so it is kept as it is "
            "(choose another name, e.g. `acme-2`)"
        ) from None
    return path
