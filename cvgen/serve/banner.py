"""The banner `cvgen serve` puts on an application's pages (`a/<slug>-<token>/`): what the
preview shows is today's build, while a published application stays as first sent.

Added at serve time only, like the reload script: the built files never carry it.
"""

from __future__ import annotations

from html import escape
from pathlib import PurePosixPath

from cvgen.content.applications import URL_FOLDER

_STYLE = (
    "margin:0;padding:0.5rem 1rem;background:#fff4c2;color:#3d3000;"
    "font:14px/1.4 system-ui,sans-serif;border-bottom:1px solid #e0c860"
)


def application_slug(relative: PurePosixPath) -> str | None:
    """The application a served file belongs to (`a/acme-<token>/letter.html` -> `acme`)."""
    parts = relative.parts
    if len(parts) < 3 or parts[0] != URL_FOLDER or "-" not in parts[1]:
        return None
    return parts[1].rsplit("-", 1)[0]


def with_banner(html: bytes, slug: str) -> bytes:
    """`html` with the preview banner first in its body."""
    text = (
        f'<p data-cvgen-preview style="{_STYLE}">Preview of application {escape(slug)} from '
        "today's build. Once published it stays as first sent, whatever the CV becomes; "
        f"<code>cvgen publish --refresh {escape(slug)}</code> replaces it.</p>"
    ).encode()
    lower = html.lower()
    start = lower.find(b"<body")
    end = lower.find(b">", start) + 1 if start >= 0 else 0
    return html[:end] + text + html[end:]
