"""Published applications stay as they were sent, against the moto server: a CV edit
changes the public pages and never an application's files; `--refresh` and
`--prune-applications` change them on purpose."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cvgen.build import build
from tests.publish.conftest import Site
from tests.publish.test_variants_publish import published

pytestmark = pytest.mark.aws

APPLICATIONS_SITE = Path(__file__).parent.parent / "applications" / "site"
ACME = "a/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/"
GLOBEX = "a/globex-9e8d7c6b5a4938271605f4e3d2c1b0a9/"


def snapshot(site: Site, folder: str) -> dict[str, bytes]:
    return {key: site.read(key) for key in site.object_keys() if key.startswith(folder)}


def edit(site: Site, path: str, old: str, new: str) -> None:
    source = site.root / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    build(site.root)


def latest_release(site: Site) -> dict[str, object]:
    key = [k for k in site.object_keys() if k.startswith("_cvgen/releases/")][-1]
    data = json.loads(site.read(key))
    assert isinstance(data, dict)
    return data


def test_an_application_stays_as_sent_until_refreshed_or_pruned(site: Site) -> None:
    published(site, APPLICATIONS_SITE)
    acme, globex = snapshot(site, ACME), snapshot(site, GLOBEX)
    assert {ACME + name for name in ("index.html", "letter.html", "letter.pdf", "cv.pdf")} <= set(
        acme
    )
    first = latest_release(site)["applications"]
    assert isinstance(first, dict) and sorted(first) == sorted(
        [ACME, GLOBEX, "a/initech-0123456789abcdef0123456789abcdef/"]
    )
    public = site.read("index.html")

    edit(site, "content/cv.yaml", "Builds software", "Builds compilers")
    site.proxy.clear()
    result = site.publish("--delete", "--yes")
    since = first[ACME]
    assert f"application acme: frozen since {since}; the CV changed since" in result.output
    assert site.read("index.html") != public and b"Builds compilers" in site.read("index.html")
    assert snapshot(site, ACME) == acme  # byte-identical, old assets included
    assert snapshot(site, GLOBEX) == globex
    assert not [k for k in site.site_puts() + site.site_deletes() if k.startswith("a/")]
    assert latest_release(site)["applications"] == first

    site.proxy.clear()
    result = site.publish("--refresh", "acme")
    assert "application acme: published afresh (--refresh)" in result.output
    assert b"Builds compilers" in site.read(ACME + "index.html")
    assert snapshot(site, GLOBEX) == globex
    refreshed = snapshot(site, ACME)
    assert refreshed != acme
    # the summary is in each
    changed = ["cv.docx", "cv.pdf", "cv.txt", "index.html", "letter.html", "resume.json"]
    assert sorted(site.site_puts()) == [ACME + name for name in changed]

    (site.root / "content" / "applications" / "globex.md").unlink()
    build(site.root)
    result = site.publish("--delete", "--yes")
    assert "application globex: its file is gone" in result.output
    assert snapshot(site, GLOBEX) == globex  # still online: the link was sent
    result = site.publish("--prune-applications")
    assert "application globex: unpublished (--prune-applications)" in result.output
    assert snapshot(site, GLOBEX) == {}
    assert GLOBEX not in latest_release(site)["applications"]  # type: ignore[operator]
    assert snapshot(site, ACME) == refreshed


def test_refreshing_an_unknown_application_is_an_error_that_changes_nothing(site: Site) -> None:
    published(site, APPLICATIONS_SITE)
    keys = site.object_keys()
    site.proxy.clear()
    result = site.publish("--refresh", "acmee", code=1)
    assert "--refresh acmee: no application of that name" in result.output
    assert "did you mean `acme`?" in result.output and "Traceback" not in result.output
    assert site.object_keys() == keys and site.site_puts() == []
