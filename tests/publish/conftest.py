"""A site wired to a fresh bucket + CloudFront distribution on the moto server, behind a
recording proxy so tests can count requests and check their order."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from tests.conftest import MotoServer
from tests.publish.recording_proxy import RecordingProxy

CSS = "assets/site.0123456789.css"
JS = "assets/app.abcdef0123.js"
BASE_FILES = {
    "index.html": f'<link rel="stylesheet" href="{CSS}"><script src="{JS}" defer></script>home v1',
    "cv/index.html": f'<link rel="stylesheet" href="../{CSS}">cv v1',
    CSS: "body{color:#111}",
    JS: "console.log(1)",
    "robots.txt": "User-agent: *\n",
    "sitemap.xml": "<urlset></urlset>",
    "resume.json": '{"basics": {}}',
    "photo.png": "\x89PNG fake",
}


def create_distribution(client: Any, bucket: str) -> str:
    answer = client.create_distribution(
        DistributionConfig={
            "CallerReference": bucket,
            "Origins": {
                "Quantity": 1,
                "Items": [
                    {
                        "Id": "site",
                        "DomainName": f"{bucket}.s3.amazonaws.com",
                        "S3OriginConfig": {"OriginAccessIdentity": ""},
                    }
                ],
            },
            "DefaultCacheBehavior": {
                "TargetOriginId": "site",
                "ViewerProtocolPolicy": "redirect-to-https",
                "MinTTL": 0,
                "ForwardedValues": {"QueryString": False, "Cookies": {"Forward": "none"}},
            },
            "Comment": "cvgen test",
            "Enabled": True,
        }
    )
    return str(answer["Distribution"]["Id"])


@dataclass
class Site:
    root: Path
    bucket: str
    distribution_id: str
    moto: MotoServer
    proxy: RecordingProxy

    @property
    def output(self) -> Path:
        return self.root / "output"

    def write(self, path: str, content: str | bytes) -> None:
        target = self.output / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, str):
            content = content.encode("utf-8")
        target.write_bytes(content)

    def config(self, extra: str = "") -> None:
        (self.root / "cvgen.yaml").write_text(
            f"publish:\n  bucket: {self.bucket}\n  distribution_id: {self.distribution_id}\n"
            + extra,
            encoding="utf-8",
        )

    def publish(self, *args: str, code: int = 0) -> Result:
        from cvgen.cli import cli

        result = CliRunner().invoke(
            cli, ["publish", "--root", str(self.root), "--no-build", *args], catch_exceptions=True
        )
        if result.exception is not None and not isinstance(result.exception, SystemExit):
            raise result.exception
        assert result.exit_code == code, result.output
        return result

    @property
    def s3(self) -> Any:
        return self.moto.client("s3")

    @property
    def cloudfront(self) -> Any:
        return self.moto.client("cloudfront")

    def read(self, key: str) -> bytes:
        return bytes(self.s3.get_object(Bucket=self.bucket, Key=key)["Body"].read())

    def object_keys(self) -> list[str]:
        pages = self.s3.get_paginator("list_objects_v2").paginate(Bucket=self.bucket)
        return sorted(item["Key"] for page in pages for item in page.get("Contents", []))

    def site_deletes(self) -> list[str]:
        """Object keys DELETEd outside the reserved `_cvgen/` prefix."""
        prefix = f"/{self.bucket}/"
        return [
            r.path[len(prefix) :]
            for r in self.proxy.snapshot()
            if r.method == "DELETE"
            and r.path.startswith(prefix)
            and not r.path[len(prefix) :].startswith("_cvgen/")
        ]

    def site_puts(self) -> list[str]:
        """Object keys PUT (uploads, not copies) outside the reserved `_cvgen/` prefix."""
        prefix = f"/{self.bucket}/"
        return [
            r.path[len(prefix) :]
            for r in self.proxy.puts(prefix)
            if not r.path[len(prefix) :].startswith("_cvgen/")
        ]


@pytest.fixture
def proxy(aws_env: MotoServer, monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingProxy]:
    with RecordingProxy(aws_env.endpoint) as running:
        monkeypatch.setenv("AWS_ENDPOINT_URL", running.endpoint)
        yield running


@pytest.fixture
def site(aws_env: MotoServer, proxy: RecordingProxy, tmp_path: Path) -> Site:
    bucket = f"cvgen-test-{uuid.uuid4().hex[:16]}"
    aws_env.client("s3").create_bucket(Bucket=bucket)
    distribution = create_distribution(aws_env.client("cloudfront"), bucket)
    root = tmp_path / "site"
    root.mkdir()
    made = Site(root, bucket, distribution, aws_env, proxy)
    made.config()
    for path, content in BASE_FILES.items():
        made.write(path, content)
    return made
