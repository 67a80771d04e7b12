"""`cvgen infra` says what to do when AWS itself cannot be reached or used."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import MotoServer, free_port
from tests.infra.test_deploy import invoke


def test_no_credentials(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.setenv("AWS_EC2_METADATA_DISABLED", "true")
    result = invoke(site_root, "plan", "--region", "eu-west-1")
    assert result.exit_code == 1
    assert result.output == (
        "Error: cvgen infra plan: no AWS credentials found; pass --profile (or set AWS_PROFILE),"
        " or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY\n"
    )
    # cvgen.yaml has no infra.profile: advice must not name a setting it would then refuse
    assert "infra.profile" not in result.output


def test_unreachable_endpoint(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "testing")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "testing")
    monkeypatch.setenv("AWS_MAX_ATTEMPTS", "1")
    url = f"http://127.0.0.1:{free_port()}"
    result = invoke(site_root, "plan", "--region", "eu-west-1", "--endpoint-url", url)
    assert result.exit_code == 1
    assert result.output == (
        f"Error: cvgen infra plan: cannot reach {url}/; check --endpoint-url (or set "
        "AWS_ENDPOINT_URL) and the network connection\n"
    )


def test_the_profiles_region_is_used(
    site_root: Path, tmp_path: Path, cfn_env: MotoServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "aws-config"
    config.write_text(
        "[profile cv]\nregion = eu-west-3\n"
        "aws_access_key_id = testing\naws_secret_access_key = testing\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_REGION")
    monkeypatch.delenv("AWS_DEFAULT_REGION")

    result = invoke(site_root, "plan", "--profile", "cv")

    assert result.exit_code == 0, result.output
    # the plan ran in the profile's region: its artifact bucket name says so
    s3 = cfn_env.client("s3", "eu-west-3")
    names = [b["Name"] for b in s3.list_buckets()["Buckets"]]
    assert "cvgen-artifacts-123456789012-eu-west-3" not in names  # a plan uploads nothing
    cfn = cfn_env.client("cloudformation", "eu-west-3")
    assert cfn.list_stacks()["StackSummaries"] != []  # its change sets were made there


def test_no_region_anywhere(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = site_root.parent / "aws-config"
    config.write_text("[profile cv]\noutput = json\n", encoding="utf-8")
    monkeypatch.setenv("AWS_CONFIG_FILE", str(config))
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    result = invoke(site_root, "plan", "--profile", "cv")
    assert result.exit_code == 1
    assert result.output == (
        "Error: no AWS region: profile `cv` names none; pass --region (or set infra.region in "
        "cvgen.yaml, or AWS_REGION)\n"
    )


def test_a_missing_profile_is_named(site_root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    monkeypatch.delenv("AWS_REGION", raising=False)
    monkeypatch.delenv("AWS_DEFAULT_REGION", raising=False)
    result = invoke(site_root, "plan", "--profile", "nosuch")
    assert result.exit_code == 1
    assert result.output.startswith(
        "Error: AWS profile `nosuch` not found; add it to ~/.aws/config"
    )
