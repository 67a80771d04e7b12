"""`cvgen infra` says what to do when AWS itself cannot be reached or used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import free_port
from tests.infra.test_deploy import invoke


def test_no_credentials(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = invoke(site_root, "plan", "--region", "eu-west-1")
    assert result.exit_code == 1
    assert "cvgen infra plan: no AWS credentials found; pass --profile" in result.output
    assert "infra.profile" in result.output and "Traceback" not in result.output


def test_unreachable_endpoint(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke(site_root, "plan", "--region", "eu-west-1", "--endpoint-url", url)
    assert result.exit_code == 1
    assert f"cvgen infra plan: cannot reach {url}" in result.output
    assert "--endpoint-url" in result.output and "Traceback" not in result.output
