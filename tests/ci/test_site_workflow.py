"""The deploy workflow `cvgen new` puts in a site repository, checked like this repository's
own: triggers, least permissions, pinned actions, no stored keys, real cvgen commands, and
actionlint with 0 findings. It deploys content only: never cvgen's tests, never the stacks."""

from __future__ import annotations

import re
import subprocess
from pathlib import Path
from typing import Any

import pytest
import yaml

from cvgen import __version__
from cvgen.site_repo.files import workflow
from tests.ci.conftest import run_actionlint
from tests.ci.test_workflows import (
    ALL,
    PINNED,
    VERSION_COMMENT,
    command_problems,
    load,
    uses_refs,
)


@pytest.fixture(scope="module")
def site_workflow(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("site") / "deploy.yml"
    path.write_text(workflow(__version__), encoding="utf-8")
    return path


def job_steps(wf: dict[str, Any], job: str) -> list[dict[str, Any]]:
    steps: list[dict[str, Any]] = wf["jobs"][job]["steps"]
    return steps


def runs(wf: dict[str, Any], job: str) -> list[str]:
    return [step["run"] for step in job_steps(wf, job) if "run" in step]


def test_pull_requests_build_and_main_deploys_one_at_a_time(site_workflow: Path) -> None:
    wf = load(site_workflow)
    assert wf["on"] == {
        "push": {"branches": ["main"]},
        "pull_request": None,
        "workflow_dispatch": None,
    }
    assert set(wf["jobs"]) == {"check", "deploy"}
    assert wf["jobs"]["check"]["if"] == "github.event_name == 'pull_request'"
    assert wf["jobs"]["deploy"]["if"] == (
        "github.event_name != 'pull_request' && github.ref == 'refs/heads/main'"
    )
    assert wf["jobs"]["deploy"]["concurrency"] == {"group": "deploy", "cancel-in-progress": False}


def test_least_permissions(site_workflow: Path) -> None:
    wf = load(site_workflow)
    assert wf["permissions"] == {"contents": "read"}
    assert wf["jobs"]["check"]["permissions"] == {"contents": "read"}
    # only the deploy job, which never runs for a pull request, may ask for an OIDC token
    assert wf["jobs"]["deploy"]["permissions"] == {"id-token": "write", "contents": "read"}


def test_it_installs_the_pinned_cvgen_and_never_runs_cvgens_tests(site_workflow: Path) -> None:
    wf = load(site_workflow)
    assert wf["env"]["CVGEN_VERSION"] == __version__
    assert wf["env"]["CVGEN_INSTALL"] == f"cvgen-site=={__version__}"
    for job in ("check", "deploy"):
        assert runs(wf, job)[0].splitlines()[-1] == 'python -m pip install "$CVGEN_INSTALL"'
    scripts = "\n".join(script for job in ("check", "deploy") for script in runs(wf, job))
    for forbidden in ("pytest", "make ", "pip install .", "pip install -e", "git clone"):
        assert forbidden not in scripts, forbidden
    # and never the stacks: those change only from the owner's machine (`cvgen infra deploy`)
    assert not [
        w for job in ("check", "deploy") for w in cvgen_commands_of(wf, job) if w[0] == "infra"
    ]


def test_pull_requests_build_and_main_publishes_and_smokes(site_workflow: Path) -> None:
    wf = load(site_workflow)
    by_job = {job: [words for words in cvgen_commands_of(wf, job)] for job in ("check", "deploy")}
    assert by_job["check"] == [["build"]]
    assert by_job["deploy"] == [["build"], ["publish", "--yes", "--no-build", "--wait"], ["smoke"]]
    for words in by_job["check"] + by_job["deploy"]:
        assert command_problems(words) == []


def cvgen_commands_of(wf: dict[str, Any], job: str) -> list[list[str]]:
    out = []
    for script in runs(wf, job):
        words = script.split()
        if words and words[0] == "cvgen":
            out.append(words[1:])
    return out


def test_aws_credentials_come_from_the_oidc_role_only(site_workflow: Path) -> None:
    wf = load(site_workflow)
    [configure] = [s for s in job_steps(wf, "deploy") if "configure-aws" in s.get("uses", "")]
    assert configure["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert configure["with"]["aws-region"] == "${{ vars.AWS_REGION }}"
    text = site_workflow.read_text(encoding="utf-8").lower()
    for forbidden in ("aws_access_key_id", "aws_secret_access_key", "secrets."):
        assert forbidden not in text
    assert not any("configure-aws" in s.get("uses", "") for s in job_steps(wf, "check"))


@pytest.mark.parametrize(
    ("role", "region", "code"),
    [
        ("", "", 1),
        ("arn:aws:iam::123456789012:role/d", "", 1),
        ("", "eu-west-1", 1),
        ("arn:aws:iam::123456789012:role/d", "eu-west-1", 0),
    ],
)
def test_missing_repository_variables_are_named(
    site_workflow: Path, role: str, region: str, code: int
) -> None:
    [step] = [
        s
        for s in job_steps(load(site_workflow), "deploy")
        if s.get("name") == "Check the repository variables"
    ]
    assert step["env"] == {"ROLE": "${{ vars.AWS_ROLE_ARN }}", "REGION": "${{ vars.AWS_REGION }}"}
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"]],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "ROLE": role, "REGION": region},
    )
    assert done.returncode == code
    if code:
        assert done.stdout.startswith(
            "::error::the repository variables AWS_ROLE_ARN and AWS_REGION are not set;"
            " run `cvgen infra deploy --github-repo OWNER/REPO` on your machine"
        )
    names = [s.get("name") for s in job_steps(load(site_workflow), "deploy")]
    assert names.index("Check the repository variables") + 1 == names.index(
        "AWS credentials from the OIDC role"
    )


def test_actions_are_pinned_like_this_repositorys(site_workflow: Path) -> None:
    refs = uses_refs(load(site_workflow))
    lines = site_workflow.read_text(encoding="utf-8").splitlines()
    ours = {ref.split("@")[0]: ref for path in ALL for ref in uses_refs(load(path))}
    for ref in refs:
        assert PINNED.match(ref), ref
        [line] = {line for line in lines if re.search(rf"uses:\s*{re.escape(ref)}(\s|$)", line)}
        assert VERSION_COMMENT.search(line), line
        action = ref.split("@")[0]
        if action in ours:
            assert ours[action] == ref, f"{action}: the site template and ci.yml pin differently"


def test_scripts_parse_and_take_no_expressions(site_workflow: Path) -> None:
    wf = load(site_workflow)
    for job in wf["jobs"]:
        for script in runs(wf, job):
            assert "${{" not in script
            done = subprocess.run(["bash", "-n", "-c", script], capture_output=True, check=False)
            assert done.returncode == 0, script


def test_actionlint_finds_nothing(site_workflow: Path, actionlint: Path) -> None:
    assert run_actionlint([site_workflow]) == []


def test_actionlint_catches_a_broken_site_workflow(
    site_workflow: Path, actionlint: Path, tmp_path: Path
) -> None:
    broken = tmp_path / "deploy.yml"
    broken.write_text(
        site_workflow.read_text(encoding="utf-8").replace("id-token: write", "id-token: writ"),
        encoding="utf-8",
    )
    assert [finding["kind"] for finding in run_actionlint([broken])] == ["permissions"]


@pytest.mark.parametrize("install", ["", "cvgen-site==0.1.0"])
def test_an_empty_install_line_stops_ci_with_what_to_write(install: str) -> None:
    [step] = [
        s
        for s in job_steps(load_text(workflow(__version__)), "check")
        if s.get("name") == "Install cvgen"
    ]
    pip = "/bin/echo pip-ran"  # stands in for python: the test is the check before it
    done = subprocess.run(
        ["bash", "-e", "-c", step["run"].replace("python -m pip install", pip)],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "CVGEN_INSTALL": install},
    )
    if install:
        assert (done.returncode, done.stdout) == (0, f"pip-ran {install}\n")
    else:
        assert done.returncode == 1
        assert done.stdout.startswith("::error::CVGEN_INSTALL is empty in .github/workflows/")
        assert "cvgen-site @ git+https://github.com/OWNER/cvgen@COMMIT" in done.stdout


def load_text(text: str) -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(text)
    return data


def test_every_version_renders_a_valid_workflow() -> None:
    for version in ("0.1.0", "1.0.0", "10.20.30"):
        data = yaml.safe_load(workflow(version))
        assert data["env"]["CVGEN_VERSION"] == version
