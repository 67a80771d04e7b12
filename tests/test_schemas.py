"""The JSON Schemas editors use agree with cvgen's validator on every fixture: whatever one
refuses the other refuses too, or the difference is deliberate and listed here with why."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.content.load import load_content
from cvgen.errors import ContentError, CvgenError
from cvgen.schemas import FILES, schema, schema_text
from cvgen.schemas.content import jsonresume_schema
from cvgen.settings.config import load_config
from tests.conftest import REPO

CV_FILES = ("cv.yaml", "resume.json")
# Fixture CVs the two judge differently, on purpose. `schema` is what the schema says.
_LIMIT = "a limit of cvgen's against hostile input, which a schema has no words for"
_OTHER_FILE = "the problem is in another file (an entry's .md), which this schema does not see"
CV_DIFFERENCES: dict[str, tuple[bool, str]] = {
    "tests/content/bad/alias_bomb": (True, _LIMIT),
    "tests/content/bad/heavy_markdown": (True, _LIMIT),
    "tests/content/bad/too_long_text": (True, _LIMIT),
    "tests/content/bad/bad_front_matter": (True, _OTHER_FILE),
    "tests/content/bad/md_entries": (True, _OTHER_FILE),
    "tests/content/bad/both_files": (True, "cv.yaml and resume.json side by side: one too many"),
    "tests/content/bad/duplicate_key": (
        True,
        "a key written twice in YAML is an error in cvgen (which value was meant?); a schema"
        " sees the data after the reader kept one",
    ),
    "tests/content/odd/dates": (
        False,
        '"Present", "now" and "" as end dates, and timestamps, are read with a warning (an'
        " error with --strict); the official schema refuses them",
    ),
    "tests/render/extras": (
        False,
        'endDate: "Present" is read as ongoing with a warning (an error with --strict);'
        " the official schema refuses it",
    ),
}
# cvgen.yaml texts the two judge differently, on purpose.
CONFIG_DIFFERENCES: dict[str, tuple[bool, str]] = {}


class EditorLoader(yaml.SafeLoader):
    """YAML as editors read it (yaml-language-server: YAML 1.2, where 2020-01-01 is text)."""


EditorLoader.yaml_implicit_resolvers = {
    key: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for key, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def parsed(path: Path) -> Any:
    """The file as a plain reader sees it (None: no plain reader reads it at all)."""
    try:
        text = path.read_text(encoding="utf-8")
        return json.loads(text) if path.suffix == ".json" else yaml.load(text, EditorLoader)
    except (ValueError, yaml.YAMLError, RecursionError):
        return None


def fixture_sites() -> list[Path]:
    """Every folder holding a site's content/ in the tests and the example."""
    sites = {REPO}
    for name in CV_FILES:
        for found in (REPO / "tests").rglob(f"content/{name}"):
            sites.add(found.parent.parent)
    return sorted(sites)


def validator_accepts(site: Path, tmp_path: Path) -> bool:
    root = tmp_path / "site"
    shutil.copytree(site / "content", root / "content")
    (root / "cvgen.yaml").write_text("{}\n")
    try:
        load_content(load_config(root))
    except (ContentError, CvgenError):
        return False
    return True


@pytest.mark.parametrize(
    "site", fixture_sites(), ids=lambda p: str(p.relative_to(REPO)) or "example"
)
def test_the_cv_schema_and_the_validator_agree(site: Path, tmp_path: Path) -> None:
    sources = [site / "content" / n for n in CV_FILES if (site / "content" / n).is_file()]
    data = parsed(sources[0]) if sources else None
    if data is None:
        pytest.skip("no plain reader reads it: the validator's job alone (a located error)")
    by_schema = jsonschema.Draft7Validator(schema("cv")).is_valid(data)
    by_cvgen = validator_accepts(site, tmp_path)
    name = str(site.relative_to(REPO))
    if name in CV_DIFFERENCES:
        expected, why = CV_DIFFERENCES[name]
        assert (by_schema, by_cvgen) == (expected, not expected), why
    else:
        assert by_schema == by_cvgen, (name, by_schema, by_cvgen)


def test_the_official_schema_accepts_what_the_extended_one_accepts() -> None:
    # cvgen's schema only adds: every JSON Resume document stays valid under it
    official = jsonschema.Draft7Validator(jsonresume_schema())
    ours = jsonschema.Draft7Validator(schema("cv"))
    for path in sorted((REPO / "tests" / "data" / "jsonresume").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        assert official.is_valid(data) and ours.is_valid(data), path.name


CONFIGS = {
    "empty": "{}\n",
    "unknown key": "site:\n  ulr: https://x.example\n",
    "unknown section": "publsh:\n  bucket: b\n",
    "not a boolean": "counter:\n  enabled: maybe\n",
    "true for a number": "publish:\n  invalidation_threshold: true\n",
    "cache rule lacks a key": "publish:\n  cache:\n    - pattern: '*.html'\n",
    "cache rule": "publish:\n  cache:\n    - {pattern: '*.html', cache_control: no-cache}\n",
    "paper in capitals": "pdf:\n  paper: Letter\n",
    "unknown paper": "pdf:\n  paper: a5\n",
    "section not a mapping": "site: cv.example.com\n",
    "variant": "variants:\n  - {name: backend, include: [backend], sitemap: true}\n",
    "variant unknown key": "variants:\n  - {name: backend, inclde: [backend]}\n",
    "variant without a name": "variants:\n  - {include: [backend]}\n",
    "variant name in capitals": "variants:\n  - {name: Backend}\n",
    "variant label per language": (
        "languages: [en, de]\nvariants:\n  - name: b\n    label: {en: Backend, de: Backend-Entw.}\n"
    ),
    "languages": "languages: [en, de]\n",
    "sections": "sections:\n  order: [work]\n  hide: [interests]\n  titles: {work: Jobs}\n",
    "sections unknown key": "sections:\n  ordre: [work]\n",
    "theme": "theme: sidebar\n",
    "theme a number": "theme: 3\n",
}


def config_accepts(text: str, tmp_path: Path) -> bool:
    (tmp_path / "cvgen.yaml").write_text(text, encoding="utf-8")
    try:
        load_config(tmp_path)
    except (ContentError, CvgenError):
        return False
    return True


def config_fixtures() -> dict[str, str]:
    files = [REPO / "cvgen.yaml", *sorted((REPO / "tests").rglob("cvgen.yaml"))]
    found = {str(p.relative_to(REPO)): p.read_text(encoding="utf-8") for p in files}
    template = REPO / "cvgen" / "site_repo" / "templates" / "cvgen.yaml"
    return {**found, "cvgen new's cvgen.yaml": template.read_text(encoding="utf-8"), **CONFIGS}


@pytest.mark.parametrize(("name", "text"), config_fixtures().items(), ids=config_fixtures())
def test_the_config_schema_and_the_validator_agree(name: str, text: str, tmp_path: Path) -> None:
    by_schema = jsonschema.Draft7Validator(schema("config")).is_valid(yaml.safe_load(text) or {})
    by_cvgen = config_accepts(text, tmp_path)
    if name in CONFIG_DIFFERENCES:
        expected, why = CONFIG_DIFFERENCES[name]
        assert (by_schema, by_cvgen) == (expected, not expected), why
    else:
        assert by_schema == by_cvgen, (name, by_schema, by_cvgen)


@pytest.mark.parametrize("name", list(FILES))
def test_every_schema_is_a_valid_draft_7_schema_and_printed(name: str) -> None:
    jsonschema.Draft7Validator.check_schema(schema(name))
    result = CliRunner().invoke(cli, ["schema", name])
    assert result.exit_code == 0
    assert result.output == schema_text(name)


def test_a_new_sites_files_pass_check_jsonschema_and_a_mistake_does_not(tmp_path: Path) -> None:
    """What an editor does with the yaml-language-server lines `cvgen new` writes."""
    import subprocess
    import sys

    site = tmp_path / "site"
    assert CliRunner().invoke(cli, ["new", "--cvgen-source", "0.1.0", str(site)]).exit_code == 0

    def check(schema_file: str, document: Path) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "check_jsonschema", "--schemafile", schema_file, str(document)],
            cwd=site,
            capture_output=True,
            text=True,
        )

    for document, kind in ((site / "cvgen.yaml", "config"), (site / "content/cv.yaml", "cv")):
        line = document.read_text().splitlines()[0]
        schema_file = FILES[kind][0]
        assert line.endswith(f"$schema={'../' if kind == 'cv' else ''}.cvgen/schemas/{schema_file}")
        done = check(f".cvgen/schemas/{schema_file}", document)
        assert done.returncode == 0, done.stdout + done.stderr
    config = site / "cvgen.yaml"
    config.write_text(config.read_text().replace("theme:", "theem:", 1))
    done = check(".cvgen/schemas/cvgen.schema.json", config)
    assert done.returncode == 1 and "theem" in done.stdout


def front_matter(path: Path) -> Any:
    text = path.read_text(encoding="utf-8")
    if not text.startswith("---\n") or "\n---" not in text[4:]:
        return None
    return yaml.load(text[4:].split("\n---", 1)[0], EditorLoader)


@pytest.mark.parametrize(
    "site", fixture_sites(), ids=lambda p: str(p.relative_to(REPO)) or "example"
)
def test_translations_and_entry_files_of_sites_cvgen_builds_pass_their_schemas(
    site: Path, tmp_path: Path
) -> None:
    translations = sorted((site / "content").glob("cv.*.yaml"))
    entries = sorted((site / "content").glob("*/*.md"))
    if not translations and not entries:
        pytest.skip("no translation or entry file")
    if not validator_accepts(site, tmp_path):
        pytest.skip("cvgen refuses this site (its messages are tested in tests/content/bad)")
    for path in translations:
        data = parsed(path)
        assert jsonschema.Draft7Validator(schema("translation")).is_valid(data), path
    for path in entries:
        data = front_matter(path)
        if data is not None:
            assert jsonschema.Draft7Validator(schema("entry")).is_valid(data), path
