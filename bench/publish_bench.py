"""cvgen publish vs `aws s3 sync`, side by side against moto behind a counting proxy.

300 files (fingerprinted assets, pages in folders, images, robots/sitemap/resume.json);
scenarios: first publish, no change, identical rebuild (same bytes, new mtimes), one edit
(same length), one delete. Both tools run as CLI processes with --delete, each against its
own bucket; the proxy counts what reaches the endpoint. Prints PUTs, uploaded bytes,
other requests, CloudFront invalidation paths and wall time per tool and scenario.

Run: .venv/bin/python bench/publish_bench.py
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from tests.conftest import free_port, wait_for_http  # noqa: E402
from tests.publish.conftest import create_distribution  # noqa: E402
from tests.publish.recording_proxy import RecordingProxy  # noqa: E402

FILES = 300
BIN = Path(sys.executable).parent


def write_site(output: Path) -> None:
    """300 deterministic files: 12 assets, 240 pages, 45 images, 3 well-known files."""

    def put(path: str, data: bytes) -> None:
        target = output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)

    assets = []
    for i in range(12):
        ext = "css" if i % 2 else "js"
        body = (f"/* asset {i} */\n" + "x" * (2000 + 500 * i)).encode()
        name = f"assets/a{i}.{hashlib.sha256(body).hexdigest()[:10]}.{ext}"
        put(name, body)
        assets.append(name)
    links = "".join(f'<link href="/{a}">' for a in assets)
    for i in range(240):
        path = "index.html" if i == 0 else f"posts/p{i:03d}/index.html"
        put(path, f"<!doctype html>{links}<h1>Page {i:03d}</h1>{'lorem ' * 400}".encode())
    for i in range(45):
        put(f"img/photo{i:02d}.png", b"\x89PNG" + bytes((i * 7 + n) % 256 for n in range(4000)))
    put("robots.txt", b"User-agent: *\n")
    put("sitemap.xml", b"<urlset></urlset>\n")
    put("resume.json", b'{"basics": {"name": "Ada"}}\n')
    assert sum(1 for p in output.rglob("*") if p.is_file()) == FILES


def rebuild_identically(output: Path) -> None:
    """What a full rebuild does: every file rewritten with the same bytes (new mtimes)."""
    time.sleep(1.1)  # S3 LastModified has one-second resolution
    for path in output.rglob("*"):
        if path.is_file():
            path.write_bytes(path.read_bytes())


def edit_one(output: Path) -> None:
    page = output / "posts/p007/index.html"
    page.write_bytes(page.read_bytes().replace(b"Page 007", b"Page 7!!"))  # same length


def delete_one(output: Path) -> None:
    (output / "img/photo44.png").unlink()


SCENARIOS = [
    ("first publish", None),
    ("no change", None),
    ("identical rebuild", rebuild_identically),
    ("one edit", edit_one),
    ("one delete", delete_one),
]


@dataclass
class Row:
    scenario: str
    tool: str
    puts: int
    bytes: int
    other: str
    invalidated: int
    seconds: float


def measure(
    proxy: RecordingProxy, bucket: str, command: list[str], env: dict[str, str], runs: int = 1
) -> tuple[int, int, str, int, float]:
    """Counts from the first run; wall time is the median of `runs` (later runs are no-ops)."""
    times = []
    for run in range(runs):
        if run == 0:
            proxy.clear()
        started = time.perf_counter()
        done = subprocess.run(command, env=env, capture_output=True, text=True)
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"{command[0]} failed:\n{done.stdout}\n{done.stderr}")
        if run == 0:
            first = proxy.snapshot()
    seconds = sorted(times)[len(times) // 2]
    prefix = f"/{bucket}/"
    ours = [
        r
        for r in first
        if r.path == prefix[:-1] or r.path.startswith(prefix) or "/invalidation" in r.path
    ]
    uploads = [
        r
        for r in ours
        if r.method == "PUT" and not r.is_copy and not r.path.startswith(prefix + "_cvgen/")
    ]
    lease = sum(1 for r in ours if r.is_lease)  # the publish lease: take (PUT), release (DELETE)
    ours = [r for r in ours if not r.is_lease]
    copies = sum(1 for r in ours if r.is_copy)
    deletes = sum(1 for r in ours if r.method == "DELETE")
    heads = sum(1 for r in ours if r.method == "HEAD")
    gets = sum(1 for r in ours if r.method == "GET")
    records = sum(
        1 for r in ours if r.method == "PUT" and r.path.startswith(prefix + "_cvgen/releases/")
    )
    other = (
        f"GET {gets}, HEAD {heads}, DELETE {deletes}, COPY {copies}, release {records}, "
        f"lease {lease}"
    )
    invalidated = sum(len(r.body.decode().split("<Path>")) - 1 for r in ours if r.method == "POST")
    return len(uploads), sum(r.size for r in uploads), other, invalidated, seconds


def main() -> int:
    port = free_port()
    moto = subprocess.Popen(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    upstream = f"http://127.0.0.1:{port}"
    rows: list[Row] = []
    try:
        wait_for_http(f"{upstream}/moto-api/")
        with RecordingProxy(upstream) as proxy, tempfile.TemporaryDirectory() as tmp:
            import boto3

            env = dict(
                os.environ,
                AWS_ACCESS_KEY_ID="testing",
                AWS_SECRET_ACCESS_KEY="testing",
                AWS_DEFAULT_REGION="us-east-1",
                AWS_CONFIG_FILE=os.devnull,
                AWS_SHARED_CREDENTIALS_FILE=os.devnull,
                AWS_ENDPOINT_URL=proxy.endpoint,
            )
            env.pop("AWS_PROFILE", None)
            client = dict(
                endpoint_url=upstream,
                region_name="us-east-1",
                aws_access_key_id="testing",
                aws_secret_access_key="testing",
            )
            s3 = boto3.client("s3", **client)
            cloudfront = boto3.client("cloudfront", **client)
            sites = {}
            for tool in ("cvgen", "aws s3 sync"):
                bucket = f"bench-{tool.split()[0]}-{os.getpid()}"
                s3.create_bucket(Bucket=bucket)
                root = Path(tmp) / tool.split()[0]
                write_site(root / "output")
                distribution = create_distribution(cloudfront, bucket)
                (root / "cvgen.yaml").write_text(
                    f'site:\n  url: "https://cv.example.com/"\npublish:\n  bucket: {bucket}\n'
                    f"  distribution_id: {distribution}\n"
                )
                sites[tool] = (root, bucket)
            commands = {
                "cvgen": lambda root, bucket: [
                    str(BIN / "cvgen"),
                    "publish",
                    "--no-build",
                    "--delete",
                    "--root",
                    str(root),
                ],
                "aws s3 sync": lambda root, bucket: [
                    str(BIN / "aws"),
                    "s3",
                    "sync",
                    str(root / "output"),
                    f"s3://{bucket}",
                    "--delete",
                    "--only-show-errors",
                    "--endpoint-url",
                    proxy.endpoint,
                ],
            }
            for scenario, change in SCENARIOS:
                for tool, (root, bucket) in sites.items():
                    if change is not None:
                        change(root / "output")
                    runs = 5 if scenario == "no change" else 1
                    figures = measure(proxy, bucket, commands[tool](root, bucket), env, runs)
                    rows.append(Row(scenario, tool, *figures))
    finally:
        moto.terminate()
        moto.wait(10)

    print(
        f"publish bench: {FILES} files, moto {upstream} behind a counting proxy, --delete on; "
        "wall time of `no change` is the median of 5 runs"
    )
    header = f"{'scenario':<18} {'tool':<12} {'PUTs':>5} {'bytes':>9} {'inval.':>6} {'wall s':>7}  other requests"
    print(header)
    print("-" * len(header))
    for row in rows:
        inval = str(row.invalidated) if row.tool == "cvgen" else "-"
        print(
            f"{row.scenario:<18} {row.tool:<12} {row.puts:>5} {row.bytes:>9} {inval:>6} "
            f"{row.seconds:>7.2f}  {row.other}"
        )
    by = {(r.scenario, r.tool): r for r in rows}
    checks = [
        ("cvgen: first publish uploads all 300", by["first publish", "cvgen"].puts == FILES),
        ("cvgen: 0 PUTs on no change", by["no change", "cvgen"].puts == 0),
        ("cvgen: 0 PUTs on identical rebuild", by["identical rebuild", "cvgen"].puts == 0),
        (
            "cvgen: 0 invalidations on identical rebuild",
            by["identical rebuild", "cvgen"].invalidated == 0,
        ),
        ("cvgen: 1 PUT on one edit", by["one edit", "cvgen"].puts == 1),
        ("cvgen: 2 paths invalidated on one edit", by["one edit", "cvgen"].invalidated == 2),
        ("cvgen: 0 PUTs on one delete", by["one delete", "cvgen"].puts == 0),
    ]
    failed = False
    for name, ok in checks:
        print(f"{'ok ' if ok else 'FAIL'} {name}")
        failed |= not ok
    for scenario in ("no change", "identical rebuild"):
        ours, theirs = by[scenario, "cvgen"].seconds, by[scenario, "aws s3 sync"].seconds
        verdict = "faster" if ours < theirs else "SLOWER"
        print(f"{scenario}: cvgen {ours:.2f} s vs aws s3 sync {theirs:.2f} s ({verdict})")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
