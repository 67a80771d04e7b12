"""Push-to-live for a content-only edit, simulated end to end on this machine.

A site made by `cvgen new`, its deploy workflow's steps run as a script: install the wheel
built from this checkout (pinned as the workflow pins it, into a fresh virtual environment),
`cvgen build`, `cvgen publish --yes --no-build --wait` to a moto server (S3 + CloudFront),
then `cvgen smoke` against a local HTTPS stand-in serving what the bucket holds (the
stand-in plays CloudFront; its sync from the bucket is not timed, like CloudFront's own
propagation, which only real AWS has). Runs a first deploy, then a content-only edit
(a new `basics.label`) deployed the same way, and prints seconds per step.

The target is under 2 minutes on a GitHub runner for the edit, including checkout and
setup-python (not simulated here); the steps here should take well under one.

    .venv/bin/python bench/push_to_live_bench.py
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from cvgen import __version__  # noqa: E402
from cvgen.site_repo.files import WORKFLOW  # noqa: E402
from tests.conftest import FAKE_CREDENTIALS, moto_process  # noqa: E402
from tests.publish.conftest import create_distribution  # noqa: E402
from tests.smoke.standin import Deployment, serve  # noqa: E402


def workflow_steps(site: Path) -> dict[str, str]:
    """The deploy job's `run:` scripts by step name, from the site's own workflow."""
    import yaml

    data: Any = yaml.safe_load((site / WORKFLOW).read_text(encoding="utf-8"))
    return {s["name"]: s["run"] for s in data["jobs"]["deploy"]["steps"] if "run" in s}


def timed(label: str, action: Callable[[], object], table: list[tuple[str, float]]) -> None:
    start = time.perf_counter()
    action()
    table.append((label, time.perf_counter() - start))


def main() -> None:
    os.environ.update(FAKE_CREDENTIALS)  # moto takes any; these are not secrets
    with tempfile.TemporaryDirectory(prefix="cvgen-push-") as tmp:
        work = Path(tmp)
        dist = work / "dist"
        subprocess.run(
            [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
            check=True,
        )
        site = work / "mysite"
        subprocess.run(
            [sys.executable, "-m", "cvgen", "new", "--cvgen-source", __version__, str(site)],
            check=True,
            capture_output=True,
        )
        steps = workflow_steps(site)
        venv = work / "runner"
        env = {
            **os.environ,
            **FAKE_CREDENTIALS,
            "PATH": f"{venv / 'bin'}:{os.environ['PATH']}",
            "CVGEN_VERSION": __version__,
            "CVGEN_INSTALL": f"cvgen-site=={__version__}",
            "PIP_DISABLE_PIP_VERSION_CHECK": "1",
            # the wheel is not on the index: pip takes it from dist/ (the runner gets PyPI's)
            "PIP_FIND_LINKS": f"{dist} {os.environ.get('PIP_FIND_LINKS', '')}".strip(),
            "XDG_CACHE_HOME": str(work / "cache"),
        }
        env.pop("VIRTUAL_ENV", None)

        def run(script: str) -> None:
            done = subprocess.run(
                ["bash", "-ec", script], cwd=site, env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                raise SystemExit(f"`{script}` failed:\n{done.stdout}\n{done.stderr}")

        with moto_process(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "{port}"]
        ) as moto:
            import boto3

            clients = {
                name: boto3.client(name, endpoint_url=moto.endpoint, region_name="us-east-1")
                for name in ("s3", "cloudfront")
            }
            clients["s3"].create_bucket(Bucket="cv-site")
            distribution = create_distribution(clients["cloudfront"], "cv-site")
            env["AWS_ENDPOINT_URL"] = moto.endpoint
            served = work / "edge"
            served.mkdir()
            deployment = Deployment(site_dir=served)
            (work / "tls").mkdir()
            with serve(deployment, work / "tls") as standin:
                # what `cvgen infra deploy` writes into cvgen.yaml (the site's address, the bucket)
                config = site / "cvgen.yaml"
                text = config.read_text(encoding="utf-8")
                text = text.replace("url: null", f"url: {standin.url}")
                text = text.replace("bucket: null", "bucket: cv-site")
                text = text.replace("region: null", "region: us-east-1")
                text = text.replace("distribution_id: null", f"distribution_id: {distribution}")
                config.write_text(text, encoding="utf-8")
                smoke = f"{steps['Smoke-test the live site']} --ca-bundle {standin.ca_bundle}"

                def edge_sync() -> None:
                    listed = clients["s3"].list_objects_v2(Bucket="cv-site").get("Contents", [])
                    for item in listed:
                        if item["Key"].startswith("_cvgen/"):
                            continue
                        body = clients["s3"].get_object(Bucket="cv-site", Key=item["Key"])["Body"]
                        (served / item["Key"]).parent.mkdir(parents=True, exist_ok=True)
                        (served / item["Key"]).write_bytes(body.read())

                def deploy(table: list[tuple[str, float]]) -> None:
                    # a fresh runner: a new environment (setup-python's part, not timed), with
                    # pip's cache as setup-python restores it (empty the first time)
                    shutil.rmtree(venv, ignore_errors=True)
                    run(f"{sys.executable} -m venv {venv}")
                    timed("Install cvgen", lambda: run(steps["Install cvgen"]), table)
                    timed("Build", lambda: run(steps["Build"]), table)
                    timed(
                        "Publish (uploads, invalidation, wait)",
                        lambda: run(
                            steps["Publish (uploads, invalidation, and wait for it to finish)"]
                        ),
                        table,
                    )
                    edge_sync()
                    timed("Smoke-test the live site", lambda: run(smoke), table)

                first: list[tuple[str, float]] = []
                deploy(first)
                cv = site / "content" / "cv.yaml"
                cv.write_text(
                    cv.read_text(encoding="utf-8").replace(
                        "label: Senior Platform Engineer", "label: Staff Platform Engineer"
                    ),
                    encoding="utf-8",
                )
                edit: list[tuple[str, float]] = []
                deploy(edit)
        for title, table in (("first deploy", first), ("content-only edit", edit)):
            print(f"{title}:")
            for label, seconds in table:
                print(f"  {label:<40} {seconds:6.2f} s")
            print(f"  {'total (the workflow steps above)':<40} {sum(s for _, s in table):6.2f} s")


if __name__ == "__main__":
    main()
