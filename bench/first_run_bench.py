"""From nothing to a served page, twice, as a newcomer would (issue: "a one-minute preview").

1. Contributor: a fresh `git clone` of this checkout's HEAD, then `make run` (which creates
   .venv, installs cvgen with its run-time dependencies only, and serves the example), until
   the page answers 200. Prints seconds and the size of .venv.
2. User: the wheel built from this checkout (`pip wheel`, like dist/), installed into a fresh
   virtual environment (what `pipx install cvgen-site` does), then `cvgen new mysite`, its
   cvgen.yaml and cv.yaml checked against the schemas it wrote (check-jsonschema, as an editor
   would), and `cvgen serve` until the page answers 200. Prints seconds per step and in all.

pip runs with PIP_NO_CACHE_DIR=1, so nothing comes from pip's cache; packages still come from
this machine's configured index (a local mirror here, so downloads are faster than from
PyPI over a real network: add the download time of about 64 MB on yours).

    .venv/bin/python bench/first_run_bench.py [--python python3]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def size_mb(path: Path) -> float:
    total = sum(p.lstat().st_size for p in path.rglob("*") if p.is_file() or p.is_symlink())
    return total / 1_000_000


def serve_until_200(command: list[str], cwd: Path, url: str, env: dict[str, str]) -> float:
    """Start `command` (which ends up serving `url`); seconds until `url` answers 200."""
    start = time.perf_counter()
    process = subprocess.Popen(
        command,
        cwd=cwd,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        while True:
            if process.poll() is not None:
                output = process.stdout.read() if process.stdout else ""
                raise SystemExit(f"{' '.join(command)} exited {process.returncode}:\n{output}")
            if time.perf_counter() - start > TIMEOUT:
                raise SystemExit(f"{url} did not answer within {TIMEOUT:.0f} s")
            try:
                with urllib.request.urlopen(url, timeout=2) as answer:
                    if answer.status == 200 and b"<html" in answer.read():
                        return time.perf_counter() - start
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                pass
            time.sleep(0.2)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)


def contributor(work: Path, env: dict[str, str], python: str) -> None:
    clone = work / "clone"
    subprocess.run(["git", "clone", "-q", str(REPO), str(clone)], check=True)
    port = free_port()
    seconds = serve_until_200(
        ["make", "run", f"PORT={port}", f"PYTHON={python}"],
        clone,
        f"http://127.0.0.1:{port}/",
        env,
    )
    print(
        f"fresh clone -> make run -> served page: {seconds:5.1f} s, .venv {size_mb(clone / '.venv'):.0f} MB"
    )


def user(work: Path, env: dict[str, str], python: str) -> None:
    dist = work / "dist"
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(dist), str(REPO)],
        check=True,
        env=env,
    )
    [wheel] = dist.glob("*.whl")
    home = work / "home"
    home.mkdir()
    venv = home / "venv"
    steps: list[tuple[str, float]] = []

    def step(label: str, *command: str | Path, cwd: Path = home) -> None:
        start = time.perf_counter()
        subprocess.run([str(c) for c in command], cwd=cwd, env=env, check=True, capture_output=True)
        steps.append((label, time.perf_counter() - start))

    step("python -m venv", python, "-m", "venv", venv)
    step("pip install the wheel", venv / "bin" / "python", "-m", "pip", "install", "-q", wheel)
    step("cvgen new mysite", venv / "bin" / "cvgen", "new", "mysite")
    site = home / "mysite"
    # what the editor does with the `# yaml-language-server` lines (check-jsonschema from
    # this checkout's dev tools: it is not a dependency of cvgen)
    for document, schema in (("cvgen.yaml", "cvgen"), ("content/cv.yaml", "cv")):
        step(
            f"check-jsonschema {document}",
            sys.executable,
            "-m",
            "check_jsonschema",
            "--schemafile",
            f".cvgen/schemas/{schema}.schema.json",
            document,
            cwd=site,
        )
    port = free_port()
    serve = serve_until_200(
        [str(venv / "bin" / "cvgen"), "serve", "--port", str(port)],
        site,
        f"http://127.0.0.1:{port}/",
        env,
    )
    steps.append(("cvgen serve -> first page", serve))
    for label, seconds in steps:
        print(f"  {label:34} {seconds:5.1f} s")
    total = sum(seconds for _, seconds in steps)
    print(
        f"wheel -> fresh venv -> cvgen new -> schemas checked -> cvgen serve -> served page:"
        f" {total:5.1f} s, venv {size_mb(venv):.0f} MB"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default="python3", help="the Python that makes the venvs")
    parser.add_argument("--user-only", action="store_true", help="only the user's path (2.)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="cvgen-first-run-") as tmp:
        work = Path(tmp)
        env = {
            **os.environ,
            "PIP_NO_CACHE_DIR": "1",
            "XDG_CACHE_HOME": str(work / "cache"),
            "HOME": str(work),
        }
        env.pop("VIRTUAL_ENV", None)
        if not args.user_only:
            contributor(work, env, args.python)
        user(work, env, args.python)


if __name__ == "__main__":
    main()
