"""The release, rehearsed offline: the sdist and wheel built as release.yml builds them, served
from a package index on loopback (pypiserver), installed by version into a fresh virtual
environment, and a new user's first commands run from there: `cvgen new`, `cvgen build`.
The workflow `cvgen new` writes must install cvgen from that same index, by version."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import venv
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from cvgen import DISTRIBUTION, __version__
from tests.conftest import REPO, free_port, wait_for_http

pytestmark = pytest.mark.slow


# pip's own configuration here may add indexes and wheel folders: the rehearsal uses none
ONLY_THE_INDEX = {"PIP_CONFIG_FILE": os.devnull}
_ELSEWHERE = ("PIP_FIND_LINKS", "PIP_EXTRA_INDEX_URL", "PIP_INDEX_URL")


def environment(**env: str) -> dict[str, str]:
    base = dict(os.environ)
    if env.get("PIP_CONFIG_FILE") == os.devnull:
        base = {k: v for k, v in base.items() if k not in _ELSEWHERE}
    return {**base, **env}


def run(*args: str | Path, cwd: Path | None = None, **env: str) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env=environment(**env),
        timeout=900,
    )
    assert done.returncode == 0, f"{args}\n{done.stdout}\n{done.stderr}"
    return done.stdout


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """`python -m build`, as release.yml runs it (the tool apart from .venv, as `make dist`)."""
    work = tmp_path_factory.mktemp("release")
    tool = work / "build-tool"
    run(sys.executable, "-m", "pip", "install", "-q", "--target", tool, "build>=1.2")
    out = work / "dist"
    run(sys.executable, "-m", "build", "--outdir", out, REPO, PYTHONPATH=str(tool))
    return out


@pytest.fixture(scope="module")
def dependencies(dist: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The wheel's dependencies, fetched once (PyPI), so the index below serves everything a
    fresh environment installs and the install itself needs no other index."""
    deps = tmp_path_factory.mktemp("deps")
    [wheel] = dist.glob("*.whl")
    run(sys.executable, "-m", "pip", "download", "-q", "--dest", deps, wheel)
    (deps / wheel.name).unlink()  # cvgen-site itself comes from dist/
    return deps


@pytest.fixture(scope="module")
def index(dist: Path, dependencies: Path) -> Iterator[str]:
    """pypiserver on 127.0.0.1 serving dist/ and the dependencies (no fallback elsewhere)."""
    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "pypiserver",
            "run",
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
            "--disable-fallback",
            str(dist),
            str(dependencies),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://127.0.0.1:{port}/simple/"
        wait_for_http(url, timeout=60)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_the_sdist_and_wheel_are_built(dist: Path) -> None:
    names = sorted(p.name for p in dist.iterdir())
    assert names == [
        f"cvgen_site-{__version__}-py3-none-any.whl",
        f"cvgen_site-{__version__}.tar.gz",
    ]


def test_a_new_user_installs_the_release_by_version_and_builds(index: str, tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=True).create(env_dir)
    python = env_dir / "bin" / "python"
    report = tmp_path / "report.json"
    # everything from the rehearsal index: no other index, no local wheel folder
    run(
        python,
        "-m",
        "pip",
        "install",
        "-q",
        "--index-url",
        index,
        "--report",
        report,
        f"{DISTRIBUTION}=={__version__}",
        **ONLY_THE_INDEX,
    )
    [ours] = [
        item
        for item in json.loads(report.read_text())["install"]
        if item["metadata"]["name"] == DISTRIBUTION
    ]
    assert ours["download_info"]["url"].startswith(index.removesuffix("simple/"))
    assert ours["metadata"]["version"] == __version__

    cvgen = env_dir / "bin" / "cvgen"
    assert (
        run(cvgen, "--version", cwd=tmp_path)
        == f"cvgen {__version__} (the {DISTRIBUTION} package)\n"
    )
    made = run(cvgen, "new", "mysite", cwd=tmp_path)
    # an install from an index: the workflow pins that version, nothing to fill in
    assert f"the deploy workflow installs {DISTRIBUTION}=={__version__}" in made
    assert "warning" not in made
    site = tmp_path / "mysite"
    assert run(cvgen, "build", cwd=site).startswith("built ")
    assert (site / "output" / "index.html").is_file()

    workflow = yaml.safe_load((site / ".github" / "workflows" / "deploy.yml").read_text())
    install = workflow["env"]["CVGEN_INSTALL"]
    assert install == f"{DISTRIBUTION}=={__version__}"
    # the line CI runs resolves against the index the release went to
    got = tmp_path / "ci-download"
    run(
        python,
        "-m",
        "pip",
        "download",
        "-q",
        "--no-deps",
        "--index-url",
        index,
        "--dest",
        got,
        install,
        **ONLY_THE_INDEX,
    )
    assert [p.name for p in got.iterdir()] == [f"cvgen_site-{__version__}-py3-none-any.whl"]


def test_an_unreleased_version_does_not_resolve(index: str, tmp_path: Path) -> None:
    # the rehearsal index is the only place looked at: a version never released is not found
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "--no-deps",
            "--index-url",
            index,
            "--dest",
            str(tmp_path),
            f"{DISTRIBUTION}==99.0.0",
        ],
        capture_output=True,
        text=True,
        env=environment(**ONLY_THE_INDEX),
        timeout=300,
    )
    assert done.returncode != 0
    assert "No matching distribution found" in done.stderr
