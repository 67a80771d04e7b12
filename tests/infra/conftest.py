"""Fixtures for the infra tests: the templates parsed, and moto for change-set deploys.

moto's CloudFormation implements some of the resource types our templates use (S3, DynamoDB,
Lambda, IAM roles, log groups) and skips the rest (API Gateway v2, CloudFront, Secrets
Manager, Cognito, the IAM OIDC provider, Budgets). `moto_template` builds, from a real template, the
part moto can deploy: unsupported resources are removed and every reference to them becomes
a fixed stand-in value of the right shape, so the deploy machinery, parameters and outputs
are exercised end to end. `RetainExceptOnCreate`, which moto does not know, becomes the
`Retain` it means once a stack was created. The product templates carry no test-only switches.
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from cfnlint.decode import decode_str

from tests.conftest import FAKE_CREDENTIALS, REPO, MotoServer, moto_process

INFRA = REPO / "infra"
MOTO_UNSUPPORTED = (
    "AWS::ApiGatewayV2::",
    "AWS::CloudFront::",
    "AWS::SecretsManager::",
    "AWS::Cognito::",
    "AWS::IAM::OIDCProvider",
    "AWS::Budgets::",
)
API_ID = "abcde12345"
STAND_INS = {
    "HttpApi": API_ID,
    "HttpApi.ApiEndpoint": f"https://{API_ID}.execute-api.us-east-1.amazonaws.com",
    "HmacSecret": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac-AbCdEf",
    "Distribution": "E2EXAMPLE0ABCD",
    "Distribution.DomainName": "d111111abcdef8.cloudfront.net",
    "GitHubOidcProvider": (
        "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    ),
    "IdentityPool": "us-east-1:0123abcd-0123-4567-89ab-0123456789ab",
    "IdentityPool.Name": "cvgen_identity_guests",
}


def load_template(name: str) -> dict[str, Any]:
    """A template from infra/ as plain JSON data (intrinsics as Ref / Fn::* mappings)."""
    data, matches = decode_str((INFRA / name).read_text(encoding="utf-8"))
    assert not matches, matches
    return json.loads(json.dumps(data))


def template_names() -> list[str]:
    return sorted(p.name for p in INFRA.glob("*.yaml"))


def moto_template(name: str) -> dict[str, Any]:
    """The template minus what moto cannot deploy, references replaced by stand-ins."""
    template = load_template(name)
    removed = {
        key
        for key, resource in template["Resources"].items()
        if resource["Type"].startswith(MOTO_UNSUPPORTED)
    }

    def stand_in(target: str) -> str:
        return STAND_INS.get(target, STAND_INS.get(target.split(".")[0], f"standin-{target}"))

    def substitute(node: Any) -> Any:
        if isinstance(node, dict):
            if node.keys() == {"Ref"} and node["Ref"] in removed:
                return stand_in(node["Ref"])
            if node.keys() == {"Fn::GetAtt"}:
                target = node["Fn::GetAtt"]
                dotted = ".".join(target) if isinstance(target, list) else target
                if dotted.split(".")[0] in removed:
                    return stand_in(dotted)
            if node.keys() == {"Fn::Sub"}:
                text, extra = (
                    (node["Fn::Sub"], None)
                    if isinstance(node["Fn::Sub"], str)
                    else (node["Fn::Sub"][0], node["Fn::Sub"][1])
                )
                text = re.sub(
                    r"\$\{([A-Za-z0-9]+)((?:\.[A-Za-z0-9]+)*)\}",
                    lambda m: (
                        stand_in(m.group(1) + m.group(2)) if m.group(1) in removed else m.group(0)
                    ),
                    text,
                )
                return {"Fn::Sub": text if extra is None else [text, substitute(extra)]}
            return {k: substitute(v) for k, v in node.items()}
        if isinstance(node, list):
            return [substitute(v) for v in node]
        return node

    resources = {}
    for key, resource in template["Resources"].items():
        if key in removed:
            continue
        resource = substitute(resource)
        if resource.get("DeletionPolicy") == "RetainExceptOnCreate":
            # moto deletes what it does not know; on a stack whose create succeeded, AWS
            # treats RetainExceptOnCreate as Retain (test_templates pins the real policy).
            resource["DeletionPolicy"] = "Retain"
        depends = resource.get("DependsOn")
        if depends:
            depends = [depends] if isinstance(depends, str) else depends
            resource["DependsOn"] = [d for d in depends if d not in removed]
        resources[key] = resource
    template["Resources"] = resources
    template["Outputs"] = substitute(template.get("Outputs", {}))
    return template


@pytest.fixture(scope="session")
def cfn_server() -> Iterator[MotoServer]:
    """A moto server whose change-set deploys report Outputs (see moto_changeset_server.py)."""
    script = str(Path(__file__).with_name("moto_changeset_server.py"))
    with moto_process([sys.executable, script, "-H", "127.0.0.1", "-p", "{port}"]) as server:
        yield server


@pytest.fixture
def cfn_env(cfn_server: MotoServer, monkeypatch: pytest.MonkeyPatch) -> MotoServer:
    """Like `aws_env`, pointed at `cfn_server`; the server is reset for each test."""
    for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE"):
        monkeypatch.delenv(name, raising=False)
    for name, value in FAKE_CREDENTIALS.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setenv("AWS_ENDPOINT_URL", cfn_server.endpoint)
    monkeypatch.setenv("AWS_CONFIG_FILE", os.devnull)
    monkeypatch.setenv("AWS_SHARED_CREDENTIALS_FILE", os.devnull)
    cfn_server.reset()
    return cfn_server


@pytest.fixture
def moto_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A folder of moto-deployable templates, used by `cvgen infra` in place of infra/."""
    folder = tmp_path / "moto-infra"
    folder.mkdir()
    for name in template_names():
        (folder / name).write_text(json.dumps(moto_template(name), indent=1), encoding="utf-8")
    monkeypatch.setattr("cvgen.infra.run.infra_templates_dir", lambda: folder)
    return folder


@pytest.fixture
def site_root(tmp_path: Path) -> Path:
    """A site folder holding a copy of the example cvgen.yaml."""
    root = tmp_path / "site"
    root.mkdir()
    (root / "cvgen.yaml").write_text((REPO / "cvgen.yaml").read_text(encoding="utf-8"))
    return root
