"""The real CI role from infra/ci.yaml can publish and roll back, and nothing more in S3.

moto enforces IAM once `INITIAL_NO_AUTH_ACTION_COUNT` requests have been served: after that
it checks every request's SigV4 signature and the caller's identity policies. For S3 it
evaluates them per resource (bucket and object ARNs), so "this bucket, not that one" is
really tested; for CloudFront and CloudFormation it checks actions only, so those are not
tested here (`--no-invalidate`); nor does it tell versioned reads from plain ones, so
s3:GetObjectVersion (rollback on a versioned bucket) is not proven needed here. Setup (buckets, the deploy role with the real template's
policies, the web-identity role assumption, as GitHub's OIDC token would) happens before
enforcement.
"""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from botocore.exceptions import ClientError
from click.testing import CliRunner, Result

from cvgen.cli import cli
from tests.conftest import REPO, MotoServer, moto_process
from tests.infra.conftest import load_template

pytestmark = [pytest.mark.aws, pytest.mark.slow]

FREE_REQUESTS = 12  # setup below makes fewer; the rest are spent until enforcement starts
SITE_BUCKET = "cvgen-site-bucket-ci"
OTHER_BUCKET = "someone-elses-bucket"
ARTIFACTS = "cvgen-artifacts-123456789012-us-east-1"


@pytest.fixture
def enforcing_moto(monkeypatch: pytest.MonkeyPatch) -> Iterator[MotoServer]:
    monkeypatch.setenv("INITIAL_NO_AUTH_ACTION_COUNT", str(FREE_REQUESTS))
    with moto_process(
        [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", "{port}"]
    ) as server:
        yield server


PARAMETERS = {
    "GitHubRepository": "octo/cv",
    "ExistingOidcProviderArn": "",
    "StackPrefix": "cvgen",
    "SiteBucketName": SITE_BUCKET,
    "DistributionId": "E2EXAMPLE0ABCD",
    "ArtifactBucketName": ARTIFACTS,
    "CounterFunctionName": "cvgen-counter-Function-X",
    "CounterFunctionRoleArn": "arn:aws:iam::123456789012:role/cvgen-counter-role",
    "AWS::Partition": "aws",
    "AWS::Region": "us-east-1",
    "AWS::AccountId": "123456789012",
    "GitHubOidcProvider": (
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    ),
}


def resolve(node: Any) -> Any:
    """The template's intrinsics for the values above (conditions: a new OIDC provider)."""
    if isinstance(node, dict):
        if node.keys() == {"Ref"}:
            return PARAMETERS[node["Ref"]]
        if node.keys() == {"Fn::Sub"}:
            return re.sub(r"\$\{([^}]+)\}", lambda m: PARAMETERS[m.group(1)], node["Fn::Sub"])
        if node.keys() == {"Fn::If"}:
            return resolve(node["Fn::If"][1])  # CreateOidcProvider holds
        return {key: resolve(value) for key, value in node.items()}
    if isinstance(node, list):
        return [resolve(item) for item in node]
    return node


def ci_role_credentials(moto: MotoServer) -> dict[str, str]:
    """Create the deploy role exactly as infra/ci.yaml defines it and assume it as GitHub's
    OIDC token would. (IAM directly: moto's CloudFormation stores inline policies in a shape
    its own IAM enforcement cannot read.)"""
    s3 = moto.client("s3")
    s3.create_bucket(Bucket=SITE_BUCKET)
    s3.put_bucket_versioning(Bucket=SITE_BUCKET, VersioningConfiguration={"Status": "Enabled"})
    s3.create_bucket(Bucket=OTHER_BUCKET)
    role = resolve(load_template("ci.yaml")["Resources"]["DeployRole"]["Properties"])
    iam = moto.client("iam")
    arn = iam.create_role(
        RoleName="cvgen-ci-DeployRole",
        AssumeRolePolicyDocument=json.dumps(role["AssumeRolePolicyDocument"]),
    )["Role"]["Arn"]
    for policy in role["Policies"]:
        iam.put_role_policy(
            RoleName="cvgen-ci-DeployRole",
            PolicyName=policy["PolicyName"],
            PolicyDocument=json.dumps(policy["PolicyDocument"]),
        )
    issued = moto.client("sts").assume_role_with_web_identity(
        RoleArn=arn, RoleSessionName="cvgen-deploy-1", WebIdentityToken="github-oidc-token"
    )["Credentials"]
    return {
        "AWS_ACCESS_KEY_ID": issued["AccessKeyId"],
        "AWS_SECRET_ACCESS_KEY": issued["SecretAccessKey"],
        "AWS_SESSION_TOKEN": issued["SessionToken"],
    }


def as_ci(moto: MotoServer, credentials: dict[str, str], service: str) -> Any:
    import boto3

    return boto3.client(
        service,
        endpoint_url=moto.endpoint,
        region_name="us-east-1",
        aws_access_key_id=credentials["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=credentials["AWS_SECRET_ACCESS_KEY"],
        aws_session_token=credentials["AWS_SESSION_TOKEN"],
    )


def start_enforcing(moto: MotoServer, credentials: dict[str, str]) -> None:
    """Spend the remaining free requests; enforcement is on once a forbidden call fails."""
    s3 = as_ci(moto, credentials, "s3")
    for _ in range(FREE_REQUESTS + 1):
        try:
            s3.list_buckets()  # s3:ListAllMyBuckets: not the CI role's
        except ClientError as error:
            assert error.response["Error"]["Code"] == "AccessDenied"
            return
    raise AssertionError("moto never started enforcing IAM")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    root = tmp_path / "site"
    root.mkdir()
    shutil.copytree(REPO / "content", root / "content")
    (root / "cvgen.yaml").write_text(
        'site:\n  url: "https://d111111abcdef8.cloudfront.net/"\n'
        f"publish:\n  bucket: {SITE_BUCKET}\n  region: us-east-1\n",
        encoding="utf-8",
    )
    return root


def publish(root: Path, *args: str) -> Result:
    result = CliRunner().invoke(cli, ["publish", "--root", str(root), "--no-invalidate", *args])
    assert not (result.exception and not isinstance(result.exception, SystemExit)), result.output
    return result


def test_ci_role_publishes_and_rolls_back_but_cannot_write_elsewhere(
    enforcing_moto: MotoServer, site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    credentials = ci_role_credentials(enforcing_moto)
    start_enforcing(enforcing_moto, credentials)
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in credentials.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", enforcing_moto.endpoint)
    monkeypatch.setenv("AWS_REGION", "us-east-1")
    monkeypatch.setenv("AWS_CONFIG_FILE", "/dev/null")
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", "/dev/null")
    s3 = as_ci(enforcing_moto, credentials, "s3")

    first = publish(site)
    assert first.exit_code == 0, first.output
    v1 = s3.get_object(Bucket=SITE_BUCKET, Key="index.html")["Body"].read()

    cv = site / "content" / "cv.yaml"
    cv.write_text(cv.read_text(encoding="utf-8").replace("name:", "name: Renamed #", 1))
    second = publish(site)
    assert second.exit_code == 0, second.output
    assert s3.get_object(Bucket=SITE_BUCKET, Key="index.html")["Body"].read() != v1

    rollback = publish(site, "--rollback")
    assert rollback.exit_code == 0, rollback.output
    assert s3.get_object(Bucket=SITE_BUCKET, Key="index.html")["Body"].read() == v1
    # each run released its lease (s3:DeleteObject): a lease left behind only warns, and
    # would hold the next publish up until it expires
    leases = s3.list_objects_v2(Bucket=SITE_BUCKET, Prefix="_cvgen/lease")
    assert leases.get("KeyCount") == 0, leases.get("Contents")

    # the same credentials may not write anywhere else
    with pytest.raises(ClientError) as refused:
        s3.put_object(Bucket=OTHER_BUCKET, Key="index.html", Body=b"defaced")
    assert refused.value.response["Error"]["Code"] == "AccessDenied"
    elsewhere = publish(site, "--bucket", OTHER_BUCKET)
    assert elsewhere.exit_code == 1
    assert "S3 refused s3:" in elsewhere.output and OTHER_BUCKET in elsewhere.output
