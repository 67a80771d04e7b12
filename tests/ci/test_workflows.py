"""The GitHub Actions workflows: permissions, pinning, no stored keys, real cvgen commands,
the redeploy decision, and actionlint with 0 findings."""

from __future__ import annotations

import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import click
import pytest
import yaml
from click.testing import CliRunner

from cvgen.cli import cli
from tests.ci.conftest import run_actionlint

WORKFLOWS = Path(__file__).resolve().parents[2] / ".github" / "workflows"
CI = WORKFLOWS / "ci.yml"
DEPLOY = WORKFLOWS / "deploy.yml"
RELEASE = WORKFLOWS / "release.yml"
DOCS = WORKFLOWS / "docs.yml"
ALL = [CI, DEPLOY, RELEASE, DOCS]
PINNED = re.compile(r"^[^@\s]+@[0-9a-f]{40}$")
VERSION_COMMENT = re.compile(r"#\s*v\d+(\.\d+)*\s*$")


def load(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    # YAML 1.1 reads the key `on` as true
    if True in data:
        data["on"] = data.pop(True)
    return data


def steps(workflow: dict[str, Any]) -> list[dict[str, Any]]:
    return [step for job in workflow["jobs"].values() for step in job.get("steps", [])]


def step_named(workflow: dict[str, Any], name: str) -> dict[str, Any]:
    [step] = [s for s in steps(workflow) if s.get("name") == name]
    return step


def uses_refs(workflow: dict[str, Any]) -> list[str]:
    refs = [step["uses"] for step in steps(workflow) if "uses" in step]
    refs += [job["uses"] for job in workflow["jobs"].values() if "uses" in job]
    return refs


# --- triggers, jobs, permissions --------------------------------------------------------


def test_ci_runs_on_pushes_and_pull_requests_and_can_be_called() -> None:
    ci = load(CI)
    assert set(ci["on"]) == {"push", "pull_request", "workflow_call"}
    assert ci["permissions"] == {"contents": "read"}
    for job in ci["jobs"].values():
        assert job.get("permissions", {"contents": "read"}) == {"contents": "read"}
    assert set(ci["jobs"]) == {"test", "lowest"}
    test = ci["jobs"]["test"]
    assert test["strategy"]["matrix"]["python"] == ["3.11", "3.12"]
    runs = [step.get("run", "") for step in test["steps"]]
    assert "make test PYTHON=python" in runs
    assert ".venv/bin/cvgen build" in runs
    assert any("actionlint" in run for run in runs)
    assert ".venv/bin/cfn-lint --include-checks I -- infra/*.yaml" in runs
    assert any(
        run.startswith(".venv/bin/checkov --framework cloudformation -d infra") for run in runs
    )


def test_a_job_runs_the_fast_suite_on_the_lowest_allowed_dependencies() -> None:
    lowest = load(CI)["jobs"]["lowest"]
    runs = [step.get("run", "") for step in lowest["steps"]]
    assert "make test-lowest PYTHON=python" in runs  # the Makefile target, tested on its own
    [python] = [
        s["with"]["python-version"] for s in lowest["steps"] if "setup-python" in s.get("uses", "")
    ]
    assert python == "3.11"  # the oldest Python pyproject.toml allows


def test_deploy_permissions_are_exactly_oidc_and_read() -> None:
    deploy = load(DEPLOY)
    assert deploy["permissions"] == {"id-token": "write", "contents": "read"}
    for name, job in deploy["jobs"].items():
        granted = job.get("permissions", deploy["permissions"])
        assert set(granted.items()) <= {("id-token", "write"), ("contents", "read")}, name
    assert deploy["jobs"]["test"]["permissions"] == {"contents": "read"}


def test_deploy_runs_on_main_and_by_hand_one_at_a_time_after_the_tests() -> None:
    deploy = load(DEPLOY)
    assert deploy["on"]["push"] == {"branches": ["main"]}
    assert deploy["on"]["workflow_dispatch"]["inputs"]["infra"]["type"] == "boolean"
    assert deploy["concurrency"] == {"group": "deploy", "cancel-in-progress": False}
    assert deploy["jobs"]["test"]["uses"] == "./.github/workflows/ci.yml"
    assert deploy["jobs"]["deploy"]["needs"] == "test"


def test_aws_credentials_come_from_the_oidc_role_in_repository_variables() -> None:
    deploy = load(DEPLOY)
    [configure] = [
        s for s in steps(deploy) if s.get("uses", "").startswith("aws-actions/configure-aws-")
    ]
    assert configure["with"]["role-to-assume"] == "${{ vars.AWS_ROLE_ARN }}"
    assert configure["with"]["aws-region"] == "${{ vars.AWS_REGION }}"
    assert not {"aws-access-key-id", "aws-secret-access-key"} & set(configure["with"])


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_no_stored_aws_keys_anywhere(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    for forbidden in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "secrets.AWS"):
        assert forbidden.lower() not in text.lower(), forbidden
    assert "secrets." not in text


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_action_is_pinned_to_a_commit_with_its_version(path: Path) -> None:
    refs = uses_refs(load(path))
    assert refs
    lines = path.read_text(encoding="utf-8").splitlines()
    for ref in refs:
        if ref.startswith("./"):
            continue  # a workflow of this repository, at this commit
        assert PINNED.match(ref), f"{ref} is not pinned to a full commit SHA"
        found = [line for line in lines if re.search(rf"uses:\s*{re.escape(ref)}(\s|$)", line)]
        assert found, ref
        for line in found:  # an action used by two jobs is pinned alike on both lines
            assert VERSION_COMMENT.search(line), f"{line.strip()!r} has no `# vX.Y.Z` comment"


def test_pinned_versions_agree_across_workflows() -> None:
    seen: dict[str, set[str]] = {}
    for path in ALL:
        for ref in uses_refs(load(path)):
            if not ref.startswith("./"):
                action, sha = ref.split("@")
                seen.setdefault(action.split("/")[0] + "/" + action.split("/")[1], set()).add(sha)
    assert all(len(shas) == 1 for shas in seen.values()), seen


def test_no_expression_is_interpolated_into_a_shell_script() -> None:
    # `${{ }}` inside `run:` is pasted into the script before bash sees it: values go
    # through `env:` instead (script injection).
    for path in ALL:
        for step in steps(load(path)):
            assert "${{" not in step.get("run", ""), (path.name, step.get("name"))


@pytest.mark.parametrize("path", ALL, ids=lambda p: p.name)
def test_every_shell_script_parses(path: Path) -> None:
    for step in steps(load(path)):
        if "run" in step:
            done = subprocess.run(
                ["bash", "-n", "-c", step["run"]], capture_output=True, text=True, check=False
            )
            assert done.returncode == 0, (step.get("name"), done.stderr)


# --- the cvgen commands the workflows run ----------------------------------------------


def cvgen_commands(path: Path) -> list[list[str]]:
    commands = []
    for step in steps(load(path)):
        script = step.get("run", "").replace("\\\n", " ")
        for line in script.splitlines():
            words = shlex.split(line, comments=True)
            if words and (words[0] == "cvgen" or words[0].endswith("/bin/cvgen")):
                commands.append(words[1:])
    return commands


def resolve(words: list[str]) -> tuple[list[str], click.Command]:
    """The subcommand path the words name, and its Click command."""
    command: click.Command = cli
    path: list[str] = []
    for word in words:
        if word.startswith("-") or not isinstance(command, click.Group):
            break
        with click.Context(command) as ctx:
            sub = command.get_command(ctx, word)
        if sub is None:
            raise LookupError(f"`cvgen {' '.join([*path, word])}` does not exist")
        command = sub
        path.append(word)
    return path, command


def test_the_workflows_run_build_publish_and_smoke_in_order() -> None:
    deploy = [words[0] for words in cvgen_commands(DEPLOY)]
    assert deploy == ["infra", "build", "publish", "smoke"]
    publish = next(words for words in cvgen_commands(DEPLOY) if words[0] == "publish")
    assert "--yes" in publish
    assert cvgen_commands(CI) == [["build"]]


def command_problems(words: list[str]) -> list[str]:
    """What is wrong with `cvgen <words>`: a missing command or flags it does not have."""
    try:
        path, command = resolve(words)
    except LookupError as error:
        return [str(error)]
    if not path:
        if words in (["--version"], ["--help"]):
            return []
        return [f"`cvgen {' '.join(words)}` names no command"]
    result = CliRunner().invoke(cli, [*path, "--help"])
    if result.exit_code != 0:
        return [f"`cvgen {' '.join(path)} --help` failed: {result.output}"]
    known = {opt for param in command.params for opt in (*param.opts, *param.secondary_opts)}
    return [
        f"`cvgen {' '.join(path)}` has no {word.split('=', 1)[0]}"
        for word in words[len(path) :]
        if word.startswith("-") and word.split("=", 1)[0] not in known
    ]


@pytest.mark.parametrize(
    "words",
    cvgen_commands(CI) + cvgen_commands(DEPLOY) + cvgen_commands(RELEASE),
    ids=lambda words: " ".join(w for w in words if not w.startswith("$")),
)
def test_every_cvgen_command_exists_with_its_flags(words: list[str]) -> None:
    assert command_problems(words) == []


def test_the_command_check_catches_typos() -> None:
    assert command_problems(["publish", "--yes", "--dryrun", "--region=x"]) == [
        "`cvgen publish` has no --dryrun"
    ]
    assert command_problems(["publsh", "--yes"]) == ["`cvgen publsh` does not exist"]
    assert command_problems(["--verbose"]) == ["`cvgen --verbose` names no command"]


# --- the release workflow ---------------------------------------------------------------


def test_release_runs_on_version_tags_after_the_tests() -> None:
    release = load(RELEASE)
    assert release["on"] == {"push": {"tags": ["v*"]}}
    assert release["permissions"] == {"contents": "read"}
    assert release["concurrency"] == {"group": "release", "cancel-in-progress": False}
    jobs = release["jobs"]
    assert jobs["test"]["uses"] == "./.github/workflows/ci.yml"
    assert jobs["build"]["needs"] == "test"
    assert jobs["publish"]["needs"] == "build"
    assert jobs["build"]["permissions"] == {"contents": "read"}
    assert [words[0] for words in cvgen_commands(RELEASE)] == ["--version", "new", "build"]


def test_release_publishes_with_trusted_publishing_only() -> None:
    publish = load(RELEASE)["jobs"]["publish"]
    # the OIDC token is the only credential, and only the publish job may ask for one
    assert publish["permissions"] == {"id-token": "write"}
    assert publish["environment"]["name"] == "pypi"
    assert publish["environment"]["url"] == "https://pypi.org/project/cvgen-site/"
    [upload] = [s for s in publish["steps"] if "gh-action-pypi-publish" in s.get("uses", "")]
    assert not {"password", "user", "repository-url"} & set(upload.get("with", {}))
    [download] = [s for s in publish["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"] == {"name": "dist", "path": "dist/"}
    for name, job in load(RELEASE)["jobs"].items():
        if name != "publish":
            assert "id-token" not in job.get("permissions", {}), name


def test_release_attaches_the_wheel_and_sdist_to_the_github_release() -> None:
    jobs = load(RELEASE)["jobs"]
    attach = jobs["github-release"]
    assert attach["needs"] == "build"
    # only this job may write to the repository, and it holds no other permission
    assert attach["permissions"] == {"contents": "write"}
    for name, job in jobs.items():
        if name != "github-release":
            assert job.get("permissions", {}).get("contents") != "write", name
    [download] = [s for s in attach["steps"] if "download-artifact" in s.get("uses", "")]
    assert download["with"] == {"name": "dist", "path": "dist/"}
    step = step_named(load(RELEASE), "Attach the wheel and sdist to the GitHub release")
    assert step["env"]["GH_TOKEN"] == "${{ github.token }}"
    script = step["run"]
    for command in ("gh release upload", "gh release create"):
        [line] = [line for line in script.splitlines() if command in line]
        assert "dist/*.whl dist/*.tar.gz" in line, line


def run_tag_check(tag: str) -> subprocess.CompletedProcess[str]:
    script = step_named(load(RELEASE), "The tag is the package's version")["run"]
    return subprocess.run(
        ["bash", "-c", script.replace("python ", f"{sys.executable} ")],
        cwd=WORKFLOWS.parents[1],
        capture_output=True,
        text=True,
        check=False,
        env={"PATH": "/usr/bin:/bin", "TAG": tag},
    )


def test_release_refuses_a_tag_that_is_not_the_version() -> None:
    from cvgen import __version__

    assert run_tag_check(f"v{__version__}").returncode == 0
    wrong = run_tag_check("v99.0.0")
    assert wrong.returncode == 1
    assert f"tag v99.0.0 does not match cvgen/__init__.py's __version__ {__version__}" in (
        wrong.stdout
    )


# --- which pushes redeploy the stacks ------------------------------------------------------


def git(repo: Path, *args: str) -> str:
    done = subprocess.run(
        [
            "git",
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
            *args,
        ],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str) -> str:
    for name, text in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(text, encoding="utf-8")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def history(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    repo = tmp_path_factory.mktemp("repo")
    git(repo, "init", "-q", "-b", "main")
    shas = {"first": commit(repo, {"infra/site.yaml": "a", "content/cv.yaml": "a"}, "first")}
    shas["content"] = commit(repo, {"content/cv.yaml": "b"}, "content only")
    shas["counter"] = commit(repo, {"counter_lambda/handler.py": "x"}, "counter code")
    shas["content2"] = commit(repo, {"content/cv.yaml": "c"}, "content again")
    git(repo, "checkout", "-q", "-b", "rewritten", shas["first"])
    shas["rewritten"] = commit(repo, {"content/cv.yaml": "z"}, "a commit main lost")
    git(repo, "checkout", "-q", "main")
    return {"repo": repo, **shas}


def decide(
    history: dict[str, Any], base: str | None, head: str, force: str = ""
) -> tuple[str, str]:
    repo: Path = history["repo"]
    record = repo / ".cvgen-deployed" / "commit"
    if base is None:
        record.unlink(missing_ok=True)
    else:
        record.parent.mkdir(exist_ok=True)
        record.write_text(base + "\n", encoding="utf-8")
    output = repo.parent / f"{repo.name}-output"
    output.write_text("", encoding="utf-8")
    script = step_named(load(DEPLOY), "Did infra/ or counter_lambda/ change?")["run"]
    done = subprocess.run(
        ["bash", "-c", script],
        cwd=repo,
        capture_output=True,
        text=True,
        check=True,
        env={
            "PATH": "/usr/bin:/bin",
            "GITHUB_OUTPUT": str(output),
            "HEAD_SHA": head,
            "FORCE": force,
        },
    )
    return output.read_text(encoding="utf-8").strip(), done.stdout.strip()


@pytest.mark.parametrize(
    ("base", "head", "force", "expected", "reason"),
    [
        (None, "content", "", "infra=true", "no record of an earlier deploy"),
        ("first", "content", "", "infra=false", "unchanged since"),
        ("content", "counter", "", "infra=true", "changed since"),
        ("first", "content2", "", "infra=true", "changed since"),
        ("counter", "content2", "", "infra=false", "unchanged since"),
        ("content2", "content2", "", "infra=false", "unchanged since"),
        ("first", "content", "true", "infra=true", "asked for by the manual run"),
        ("first", "content", "false", "infra=false", "unchanged since"),
        ("rewritten", "content2", "", "infra=true", "not in this history (force push?)"),
        ("0" * 40, "content2", "", "infra=true", "not in this history (force push?)"),
    ],
)
def test_stacks_are_redeployed_only_when_infra_or_the_counter_changed(
    history: dict[str, Any], base: str | None, head: str, force: str, expected: str, reason: str
) -> None:
    base_sha = history.get(base, base) if base else None
    output, log = decide(history, base_sha, history[head], force)
    assert output == expected
    assert log.startswith(f"Redeploy the stacks: {expected.split('=')[1]} (")
    assert reason in log


# --- actionlint ------------------------------------------------------------------------------


def test_actionlint_is_rhysds_actionlint(actionlint: Path) -> None:
    wasm = (actionlint / "main.wasm").read_bytes()
    assert b"github.com/rhysd/actionlint" in wasm
    assert re.search(rb"rhysd/actionlint@v1\.7\.\d+", wasm)


def test_actionlint_finds_nothing_in_the_workflows(actionlint: Path) -> None:
    assert sorted(WORKFLOWS.glob("*.yml")) == sorted(ALL)
    assert run_actionlint(ALL) == []


def test_actionlint_does_find_mistakes(actionlint: Path, tmp_path: Path) -> None:
    broken = tmp_path / "deploy.yml"
    broken.write_text(
        DEPLOY.read_text(encoding="utf-8")
        .replace("id-token: write", "id-token: writ", 1)
        .replace("steps.changes.outputs.infra", "steps.change.outputs.infra"),
        encoding="utf-8",
    )
    findings = run_actionlint([broken])
    assert sorted(str(finding["kind"]) for finding in findings) == ["expression", "permissions"]
    assert any("change" in str(finding["message"]) for finding in findings)


# --- the documentation site ----------------------------------------------------------------


def test_docs_build_strictly_and_only_the_deploy_job_publishes() -> None:
    docs = load(DOCS)
    assert docs["on"]["push"]["branches"] == ["main"]
    assert {"docs/**", "mkdocs.yml", "cvgen/**"} <= set(docs["on"]["push"]["paths"])
    assert docs["permissions"] == {"contents": "read"}
    assert docs["jobs"]["build"]["permissions"] == {"contents": "read"}
    assert docs["jobs"]["deploy"]["permissions"] == {"pages": "write", "id-token": "write"}
    assert docs["jobs"]["deploy"]["needs"] == "build"
    build = step_named(docs, "Build the site (strict)")
    assert build["run"] == "mkdocs build --strict --site-dir _site"
    install = step_named(docs, "Install cvgen and MkDocs (pinned by the lock file)")["run"]
    assert "-c requirements-dev.lock" in install
