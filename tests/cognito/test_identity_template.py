"""infra/identity.yaml: guests of this pool only, and only the two counter routes."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

TEMPLATE = Path(__file__).resolve().parents[2] / "infra" / "identity.yaml"
POOL_REF = {"Ref": "IdentityPool"}


@pytest.fixture(scope="module")
def template() -> dict[str, Any]:
    data, matches = decode_str(TEMPLATE.read_text(encoding="utf-8"))
    assert not matches, matches
    return json.loads(json.dumps(data))  # plain dicts and lists


def resources_of(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r for r in template["Resources"].values() if r["Type"] == kind]


def substitute(value: Any, params: dict[str, str]) -> str:
    """Resolve a {"Fn::Sub": "..."} string the way CloudFormation would, for the given values."""
    assert isinstance(value, dict) and set(value) == {"Fn::Sub"}, value
    text = value["Fn::Sub"]
    assert isinstance(text, str)
    return re.sub(r"\$\{([^}]+)\}", lambda m: params[m.group(1)], text)


def test_contract_parameters_and_outputs(template: dict[str, Any]) -> None:
    # `cvgen infra deploy --cognito` passes these and reads these; keep the names stable.
    assert set(template["Parameters"]) == {"ApiId", "StageName"}
    assert template["Parameters"]["StageName"]["Default"] == "$default"
    assert set(template["Outputs"]) == {"IdentityPoolId", "GuestRoleArn"}
    assert template["Outputs"]["IdentityPoolId"]["Value"] == POOL_REF
    assert template["Outputs"]["GuestRoleArn"]["Value"] == {"Fn::GetAtt": ["GuestRole", "Arn"]}


@pytest.mark.parametrize(
    ("name", "value", "ok"),
    [
        ("ApiId", "a1b2c3d4e5", True),
        ("ApiId", "A1B2C3D4E5", False),
        ("ApiId", "a1b2c3d4e5/*", False),
        ("ApiId", "*", False),
        ("StageName", "$default", True),
        ("StageName", "prod", True),
        ("StageName", "*", False),
        ("StageName", "prod/*", False),
    ],
)
def test_parameters_refuse_wildcards(
    template: dict[str, Any], name: str, value: str, ok: bool
) -> None:
    # A `*` smuggled in through a parameter would widen the guest role's resource ARNs.
    pattern = template["Parameters"][name]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is ok


def test_pool_allows_guests_through_the_basic_flow(template: dict[str, Any]) -> None:
    (pool,) = resources_of(template, "AWS::Cognito::IdentityPool")
    props = pool["Properties"]
    assert props["AllowUnauthenticatedIdentities"] is True
    # The basic flow (GetOpenIdToken + STS AssumeRoleWithWebIdentity): the enhanced flow's
    # guest credentials carry the managed session policy AmazonCognitoUnAuthedIdentities-
    # SessionPolicy, which does not allow execute-api:Invoke (moto does not apply it). The
    # guest role's trust policy below keeps other pools' and signed-in identities out.
    assert props["AllowClassicFlow"] is True
    # no sign-in providers: this pool hands out guest identities and nothing else
    for key in (
        "SupportedLoginProviders",
        "CognitoIdentityProviders",
        "OpenIdConnectProviderARNs",
        "SamlProviderARNs",
        "DeveloperProviderName",
    ):
        assert key not in props


def test_role_attachment_gives_guests_the_guest_role_only(template: dict[str, Any]) -> None:
    (attachment,) = resources_of(template, "AWS::Cognito::IdentityPoolRoleAttachment")
    props = attachment["Properties"]
    assert props["IdentityPoolId"] == POOL_REF
    assert props["Roles"] == {"unauthenticated": {"Fn::GetAtt": ["GuestRole", "Arn"]}}
    assert "RoleMappings" not in props


def test_guest_role_is_trusted_only_by_this_pools_guests(template: dict[str, Any]) -> None:
    (role,) = resources_of(template, "AWS::IAM::Role")
    assert role is template["Resources"]["GuestRole"]
    trust = role["Properties"]["AssumeRolePolicyDocument"]
    assert trust["Version"] == "2012-10-17"
    (statement,) = trust["Statement"]
    assert statement == {
        "Effect": "Allow",
        "Principal": {"Federated": "cognito-identity.amazonaws.com"},
        "Action": "sts:AssumeRoleWithWebIdentity",
        "Condition": {
            "StringEquals": {"cognito-identity.amazonaws.com:aud": POOL_REF},
            "ForAnyValue:StringLike": {"cognito-identity.amazonaws.com:amr": "unauthenticated"},
        },
    }


def test_guest_role_may_only_invoke_the_counter_routes(template: dict[str, Any]) -> None:
    role = template["Resources"]["GuestRole"]["Properties"]
    for key in ("ManagedPolicyArns", "PermissionsBoundary"):
        assert key not in role
    # no other policy resource may attach to the role either
    kinds = {r["Type"] for r in template["Resources"].values()}
    assert kinds == {
        "AWS::Cognito::IdentityPool",
        "AWS::Cognito::IdentityPoolRoleAttachment",
        "AWS::IAM::Role",
    }
    (policy,) = role["Policies"]
    (statement,) = policy["PolicyDocument"]["Statement"]
    assert set(statement) == {"Effect", "Action", "Resource"}  # no NotAction / NotResource
    assert statement["Effect"] == "Allow"
    assert statement["Action"] == "execute-api:Invoke"
    params = {
        "AWS::Partition": "aws",
        "AWS::Region": "eu-west-1",
        "AWS::AccountId": "123456789012",
        "ApiId": "a1b2c3d4e5",
        "StageName": "$default",
    }
    arns = sorted(substitute(r, params) for r in statement["Resource"])
    assert arns == [
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/GET/api/views",
        "arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5/$default/POST/api/views",
    ]
    assert not any("*" in arn for arn in arns)


def test_checkov_guest_access_is_the_only_skip_and_is_justified(template: dict[str, Any]) -> None:
    skips = {
        name: resource["Metadata"]["checkov"]["skip"]
        for name, resource in template["Resources"].items()
        if "checkov" in resource.get("Metadata", {})
    }
    assert list(skips) == ["IdentityPool"]
    (skip,) = skips["IdentityPool"]
    assert skip["id"] == "CKV_AWS_366"
    assert "guest" in skip["comment"].lower() and len(skip["comment"]) > 60


@pytest.mark.slow
def test_checkov_finds_nothing_else_and_the_skip_is_needed() -> None:
    result = subprocess.run(
        [
            str(Path(sys.executable).with_name("checkov")),
            "--file",
            str(TEMPLATE),
            "--framework",
            "cloudformation",
            "--skip-download",
            "--output",
            "json",
        ],
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    report = json.loads(result.stdout)
    results = report["results"]
    assert results["failed_checks"] == []
    assert [c["check_id"] for c in results["skipped_checks"]] == ["CKV_AWS_366"]
    assert len(results["passed_checks"]) >= 5


def test_cfn_lint_is_clean() -> None:
    result = subprocess.run(
        [str(Path(sys.executable).with_name("cfn-lint")), str(TEMPLATE)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
