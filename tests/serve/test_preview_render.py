"""`cvgen serve` renders with the dev server's own counter, whatever mode the site uses."""

from __future__ import annotations

import re
from pathlib import Path

from cvgen.build import render_pages
from cvgen.serve.preview import render_preview
from cvgen.settings.write import write_settings

POOL = "eu-west-1:0123abcd-0123-4567-89ab-0123456789ab"
API = "https://abc123.execute-api.eu-west-1.amazonaws.com/api/views"

ROLE = "arn:aws:iam::123456789012:role/cvgen-guests"


def _counter_script(html: bytes) -> str:
    match = re.search(rb'<script src="(assets/counter[^"]*)"[^>]*>', html)
    assert match, "no counter script in the page"
    return match.group(0).decode()


def test_cognito_site_previews_with_the_local_counter(example_site: Path) -> None:
    written = write_settings(
        example_site,
        {"counter": {"mode": "cognito", "identity_pool_id": POOL, "api": API, "role_arn": ROLE}},
    )
    assert written.to_paste == {}
    _, built = render_pages(example_site)
    built_tag = _counter_script(built["index.html"])
    assert "counter-cognito." in built_tag and API in built_tag and POOL in built_tag

    _, preview = render_preview(example_site)
    preview_tag = _counter_script(preview["index.html"])
    assert "counter-cognito" not in preview_tag
    assert 'data-api="/api/views"' in preview_tag and " data-local" in preview_tag
    assert " data-local" not in built_tag
    assert "execute-api" not in preview["index.html"].decode()
