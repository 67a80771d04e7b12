"""`cvgen publish` of a site with variants, against the moto server: an edit uploads and
invalidates only the pages it changes, never another variant's."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from cvgen.build import build
from tests.publish.conftest import Site

pytestmark = pytest.mark.aws

VARIANTS_SITE = Path(__file__).parent.parent / "variants" / "site"


def published(site: Site, fixture: Path) -> Site:
    """A fixture site's content and settings (PDFs on) wired to the bucket and distribution,
    built and published once."""
    shutil.rmtree(site.output)
    shutil.copytree(fixture / "content", site.root / "content")
    config = (fixture / "cvgen.yaml").read_text(encoding="utf-8")
    config = config.replace("pdf:\n  enabled: false\n", "")
    (site.root / "cvgen.yaml").write_text(
        f"publish:\n  bucket: {site.bucket}\n  distribution_id: {site.distribution_id}\n" + config,
        encoding="utf-8",
    )
    build(site.root)
    site.publish()
    return site


@pytest.fixture
def variant_site(site: Site) -> Site:
    """The variants fixture site: two variants."""
    return published(site, VARIANTS_SITE)


def invalidated(site: Site) -> list[list[str]]:
    """Every invalidation the distribution holds, as CloudFront itself records it."""
    listed = site.cloudfront.list_invalidations(DistributionId=site.distribution_id)
    batches = []
    for item in listed["InvalidationList"].get("Items", []):
        answer = site.cloudfront.get_invalidation(
            Id=item["Id"], DistributionId=site.distribution_id
        )
        batches.append(sorted(answer["Invalidation"]["InvalidationBatch"]["Paths"]["Items"]))
    return batches


def republish(site: Site, path: str, old: str, new: str) -> list[str]:
    """Edit a source file, rebuild, publish; the files PUT by this publish."""
    source = site.root / path
    text = source.read_text(encoding="utf-8")
    assert old in text
    source.write_text(text.replace(old, new), encoding="utf-8")
    build(site.root)
    site.proxy.clear()
    site.publish()
    return sorted(site.site_puts())


def test_a_highlight_for_one_variant_touches_only_the_pages_that_show_it(
    variant_site: Site,
) -> None:
    site = variant_site
    assert invalidated(site) == []  # nothing was cached before the first publish
    keys = site.object_keys()
    assert {"backend/index.html", "frontend/index.html", "frontend/cv.pdf"} <= set(keys)
    # the pages share one copy of the assets, uploaded once
    assets = [key for key in site.site_puts() if "assets/" in key]
    assert assets and all(key.startswith("assets/") for key in assets)
    assert len(assets) == len(set(assets))
    puts = republish(
        site,
        "content/work/remington.md",
        "Built the compiler team #backend",
        "Built the first compiler team #backend",
    )
    # the main page shows every highlight, so it changes too; the frontend variant does not
    changed = ["backend/cv.docx", "backend/cv.pdf", "backend/cv.txt", "backend/index.html"]
    changed += ["backend/resume.json", "cv.docx", "cv.pdf", "cv.txt", "index.html", "resume.json"]
    assert puts == changed
    assert invalidated(site) == [
        [
            "/",
            "/backend/",
            "/backend/cv.docx",
            "/backend/cv.pdf",
            "/backend/cv.txt",
            "/backend/index.html",
            "/backend/resume.json",
            "/cv.docx",
            "/cv.pdf",
            "/cv.txt",
            "/index.html",
            "/resume.json",
        ]
    ]
    assert b"Built the first compiler team" in site.read("backend/index.html")
    assert b"Built the first compiler team" not in site.read("frontend/index.html")


def test_a_variant_override_touches_only_that_variant(variant_site: Site) -> None:
    site = variant_site
    puts = republish(site, "cvgen.yaml", "label: Backend Engineer", "label: API Engineer")
    assert puts == [
        "backend/cv.docx",
        "backend/cv.pdf",
        "backend/cv.txt",
        "backend/index.html",
        "backend/resume.json",
    ]
    assert invalidated(site) == [
        [
            "/backend/",
            "/backend/cv.docx",
            "/backend/cv.pdf",
            "/backend/cv.txt",
            "/backend/index.html",
            "/backend/resume.json",
        ]
    ]
    assert b"API Engineer" in site.read("backend/index.html")
