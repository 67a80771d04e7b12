"""Application files: reading, every problem located, and `cvgen apply`."""

from __future__ import annotations

import datetime
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli
from cvgen.content.applications import (
    MIN_TOKEN_HEX,
    create_application,
    load_applications,
    new_token,
)
from cvgen.errors import ContentError, CvgenError
from cvgen.settings.config import load_config

SITE = Path(__file__).parent / "site"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    shutil.copytree(SITE, tmp_path / "site")
    return tmp_path / "site"


def write(root: Path, name: str, front: str, body: str = "") -> None:
    (root / "content" / "applications" / name).write_text(
        f"---\n{front}---\n{body}", encoding="utf-8"
    )


def test_the_fixture_applications_read_with_their_variant_and_language(root: Path) -> None:
    apps = {a.slug: a for a in load_applications(load_config(root))}
    assert sorted(apps) == ["acme", "globex", "initech"]
    acme, globex, initech = apps["acme"], apps["globex"], apps["initech"]
    assert (acme.variant, acme.language, acme.status) == ("backend", None, "applied")
    assert acme.folder == "a/acme-3f0c9a1b2d4e5f60718293a4b5c6d7e8/"
    assert acme.address == "Main Street 1\n10115 Berlin"
    assert acme.letter.startswith("Dear Jane,")
    assert (globex.variant, globex.language, globex.status) == ("frontend", "de", "interview")
    assert (initech.variant, initech.language, initech.letter) == (None, "de", "")


def test_every_problem_of_every_file_is_named_with_its_place(root: Path) -> None:
    write(
        root,
        "bad.md",
        "company: Hooli\nrole: Dev\ndate: 2026-13-01\nvariant: backnd\nlanguage: fr\n"
        "status: hired\ntoken: abc\nnotez: x\n",
    )
    write(root, "Bad Name.md", "company: X\nrole: Y\ndate: 2026-01-01\n")
    write(
        root,
        "twin.md",
        "company: X\nrole: Y\ndate: 2026-01-01\ntoken: 0123456789abcdef0123456789abcdef\n",
    )
    with pytest.raises(ContentError) as caught:
        load_applications(load_config(root))
    lines = [issue.describe() for issue in caught.value.issues]
    assert lines == [
        "content/applications/Bad Name.md: the file name is part of the application's link: "
        "use lowercase letters, digits and hyphens (e.g. `acme.md`), at most 63",
        "content/applications/Bad Name.md:2:1: `token` is missing (`cvgen apply` writes one)",
        'content/applications/bad.md:4:7: date: "2026-13-01" is not a date (there is no '
        "month 13); read as 2026; write the day the application was sent",
        "content/applications/bad.md:5:10: variant: no variant `backnd` in cvgen.yaml; "
        "did you mean `backend`?",
        "content/applications/bad.md:6:11: language: `fr` is not one of the site's languages; "
        "expected one of: `de`, `en`",
        "content/applications/bad.md:7:9: status: `hired` is not a status; expected one of: "
        "`applied`, `interview`, `offer`, `rejected`, `withdrawn`",
        "content/applications/bad.md:8:8: token: expected at least 24 lowercase hex digits "
        "(96 random bits), got 3 characters; let `cvgen apply` write it",
        "content/applications/bad.md:9:1: notez: unknown field `notez`; did you mean `notes`?",
        "content/applications/twin.md: token: the same token as "
        "content/applications/initech.md; give each application its own (`cvgen apply` "
        "makes one)",
    ]


def test_a_token_is_128_random_bits() -> None:
    tokens = {new_token() for _ in range(100)}
    assert len(tokens) == 100
    assert all(re.fullmatch(r"[0-9a-f]{32}", t) for t in tokens)
    assert 32 * 4 >= 96 and MIN_TOKEN_HEX * 4 == 96


def test_apply_writes_a_file_that_builds_with_today_and_a_fresh_token(root: Path) -> None:
    made = create_application(
        root,
        "hooli",
        company='Hooli: "Nucleus"',
        role="SRE",
        variant="backend",
        language="de",
        url="https://hooli.example/jobs/1",
        today=datetime.date(2026, 12, 6),
    )
    assert made.path == root / "content" / "applications" / "hooli.md"
    apps = {a.slug: a for a in load_applications(load_config(root))}
    hooli = apps["hooli"]
    assert (hooli.company, hooli.date, hooli.language) == ('Hooli: "Nucleus"', "2026-12-06", "de")
    assert made.link == f"https://cv.example.com/a/hooli-{hooli.token}/"
    # a second one never replaces it: its link may have been sent
    with pytest.raises(CvgenError, match="already exists"):
        create_application(root, "hooli", company="Hooli", role="SRE")


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (
            ["--variant", "backnd"],
            "--variant: no variant `backnd` in cvgen.yaml; did you mean `backend`?",
        ),
        (["--language", "fr"], "--language: `fr` is not one of the site's languages"),
        (["--date", "2026-02-30"], '--date: "2026-02-30" is not a date (February 2026'),
    ],
)
def test_apply_refuses_a_wrong_flag_and_writes_nothing(
    root: Path, flags: list[str], message: str
) -> None:
    result = CliRunner().invoke(
        cli,
        ["apply", "hooli", "--company", "Hooli", "--role", "SRE", "--root", str(root), *flags],
    )
    assert result.exit_code == 1, result.output
    assert message in result.output
    assert "Traceback" not in result.output
    assert not (root / "content" / "applications" / "hooli.md").exists()


def test_apply_on_the_command_line(root: Path) -> None:
    result = CliRunner().invoke(
        cli, ["apply", "hooli", "--company", "Hooli", "--role", "SRE", "--root", str(root)]
    )
    assert result.exit_code == 0, result.output
    token = {a.slug: a for a in load_applications(load_config(root))}["hooli"].token
    assert f"/a/hooli-{token}/" in result.output
    bad = CliRunner().invoke(
        cli, ["apply", "Hooli Inc", "--company", "Hooli", "--role", "SRE", "--root", str(root)]
    )
    assert bad.exit_code == 1 and "lowercase letters" in bad.output
