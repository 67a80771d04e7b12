"""What CI may deploy (`--code-only`), the GitHub repository it trusts, and reusing the
account's GitHub OIDC provider."""

from __future__ import annotations

import json
import logging
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from cvgen.errors import CvgenError
from cvgen.infra.changeset import ChangeSet, ResourceChange, resource_change
from cvgen.infra.github import origin_repo, provider_parameter, repo_from_remote
from cvgen.infra.scope import out_of_scope, refusal
from cvgen.resources import counter_lambda_dir
from tests.conftest import MotoServer
from tests.infra.conftest import load_template
from tests.infra.test_deploy import invoke, stack_status

CODE = ResourceChange("Modify", "Function", "AWS::Lambda::Function", "False")
PROVIDER = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"


@pytest.mark.parametrize(
    ("stack", "change", "allowed"),
    [
        ("counter", CODE, True),
        ("counter", ResourceChange("Modify", "Function", "AWS::Lambda::Function", ""), True),
        ("counter", ResourceChange("Modify", "Function", "AWS::Lambda::Function", "True"), False),
        (
            "counter",
            ResourceChange("Modify", "Function", "AWS::Lambda::Function", "Conditional"),
            False,
        ),
        ("counter", ResourceChange("Add", "Function", "AWS::Lambda::Function"), False),
        ("counter", ResourceChange("Modify", "FunctionRole", "AWS::IAM::Role", "False"), False),
        ("counter", ResourceChange("Modify", "Stage", "AWS::ApiGatewayV2::Stage", "False"), False),
        ("site", ResourceChange("Modify", "Distribution", "AWS::CloudFront::Distribution"), False),
        ("site", ResourceChange("Modify", "Function", "AWS::Lambda::Function", "False"), False),
    ],
)
def test_only_an_in_place_update_of_the_counter_function_is_in_scope(
    stack: str, change: ResourceChange, allowed: bool
) -> None:
    assert (out_of_scope(stack, [change]) == []) is allowed


def test_refusal_names_the_changes_and_what_to_do() -> None:
    change = ResourceChange("Modify", "Distribution", "AWS::CloudFront::Distribution", "False")
    message = refusal(ChangeSet("cvgen-site", "cs", False, (change,)), [change])
    assert message == (
        "cvgen-site: this change set does more than CI may change (the counter function's "
        "code, in place); nothing was executed:\n"
        "  Modify Distribution (AWS::CloudFront::Distribution), replacement False\n"
        "Deploy template changes from your machine with `cvgen infra deploy` (your own "
        "credentials), then let CI publish"
    )


# DescribeChangeSet answers, shaped exactly as CloudFormation returns them (the "Example
# change sets" page of the CloudFormation user guide: Changes[].ResourceChange.Details[] with
# Target{Attribute,Name,RequiresRecreation}, Evaluation, ChangeSource, CausingEntity). moto
# cannot produce these: its change sets carry no Details and never list a dependent resource,
# so moto alone would pass the old template's code update that real CloudFormation refuses.
def described(*changes: dict[str, object]) -> dict[str, object]:
    return {
        "ChangeSetName": "cvgen-0123456789abcdef",
        "ChangeSetId": (
            "arn:aws:cloudformation:us-east-1:123456789012:changeSet/cvgen-0123456789abcdef/"
            "3b2a1c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
        ),
        "StackId": (
            "arn:aws:cloudformation:us-east-1:123456789012:stack/cvgen-counter/"
            "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d"
        ),
        "StackName": "cvgen-counter",
        "Description": "cvgen infra counter",
        "Parameters": [
            {"ParameterKey": "CodeKey", "ParameterValue": "counter/counter-5f3c.zip"},
        ],
        "ExecutionStatus": "AVAILABLE",
        "Status": "CREATE_COMPLETE",
        "NotificationARNs": [],
        "RollbackConfiguration": {},
        "Capabilities": ["CAPABILITY_IAM"],
        "Tags": [{"Key": "cvgen:stack", "Value": "counter"}],
        "Changes": list(changes),
        "IncludeNestedStacks": False,
    }


def target(name: str, recreation: str = "Never") -> dict[str, str]:
    return {"Attribute": "Properties", "Name": name, "RequiresRecreation": recreation}


def function_change(replacement: str, *details: dict[str, object]) -> dict[str, object]:
    """A `Changes[]` entry modifying the counter function."""
    return {
        "Type": "Resource",
        "ResourceChange": {
            "Action": "Modify",
            "LogicalResourceId": "Function",
            "PhysicalResourceId": "cvgen-counter-Function-AbCdEf012345",
            "ResourceType": "AWS::Lambda::Function",
            "Replacement": replacement,
            "Scope": ["Properties"],
            "Details": list(details),
        },
    }


# the function's Code follows the CodeKey parameter (a new zip, a new key)
CODE_FROM_KEY = {
    "Target": target("Code"),
    "Evaluation": "Static",
    "ChangeSource": "ParameterReference",
    "CausingEntity": "CodeKey",
}
NEW_CODE = function_change(
    "False",
    CODE_FROM_KEY,
    {"Target": target("Code"), "Evaluation": "Dynamic", "ChangeSource": "DirectModification"},
)
# what the old template's `IntegrationUri: !GetAtt Function.Arn` added to every code update
INTEGRATION_FOLLOWS_ARN = {
    "Type": "Resource",
    "ResourceChange": {
        "Action": "Modify",
        "LogicalResourceId": "Integration",
        "PhysicalResourceId": "a1b2c3d",
        "ResourceType": "AWS::ApiGatewayV2::Integration",
        "Replacement": "False",
        "Scope": ["Properties"],
        "Details": [
            {
                "Target": target("IntegrationUri"),
                "Evaluation": "Dynamic",
                "ChangeSource": "ResourceAttribute",
                "CausingEntity": "Function.Arn",
            }
        ],
    },
}
# a property whose change replaces the function only in some cases
MAYBE_REPLACED = function_change(
    "Conditional",
    CODE_FROM_KEY,
    {
        "Target": target("PackageType", "Conditionally"),
        "Evaluation": "Static",
        "ChangeSource": "DirectModification",
    },
)


def changes_of(document: dict[str, object]) -> list[ResourceChange]:
    items = document["Changes"]
    assert isinstance(items, list)
    return [resource_change(item) for item in items]


def test_a_code_update_is_the_function_alone_and_in_scope() -> None:
    [change] = changes_of(described(NEW_CODE))
    assert change.describe() == (
        "Modify Function (AWS::Lambda::Function), replacement False, scope Properties: "
        "Properties.Code (Static, from ParameterReference CodeKey); "
        "Properties.Code (Dynamic, from DirectModification)"
    )
    assert out_of_scope("counter", [change]) == []


def test_a_dependent_resource_listed_as_dynamic_is_refused_with_its_details() -> None:
    changes = changes_of(described(NEW_CODE, INTEGRATION_FOLLOWS_ARN))
    refused = out_of_scope("counter", changes)
    assert [c.logical_id for c in refused] == ["Integration"]
    message = refusal(ChangeSet("cvgen-counter", "cs", False, tuple(changes)), refused)
    assert (
        "\n  Modify Integration (AWS::ApiGatewayV2::Integration), replacement False, scope "
        "Properties: Properties.IntegrationUri (Dynamic, from ResourceAttribute Function.Arn)\n"
    ) in message


def test_a_conditional_replacement_is_refused() -> None:
    [change] = changes_of(described(MAYBE_REPLACED))
    assert change.replacement == "Conditional"
    assert out_of_scope("counter", [change]) == [change]
    message = refusal(ChangeSet("cvgen-counter", "cs", False, (change,)), [change])
    assert (
        "Modify Function (AWS::Lambda::Function), replacement Conditional, scope Properties: "
        "Properties.Code (Static, from ParameterReference CodeKey); Properties.PackageType "
        "(Static, from DirectModification, recreation Conditionally)"
    ) in message


def attribute_readers(template: dict[str, Any], resource: str) -> set[str]:
    """Resources whose properties read `resource`'s attributes (Fn::GetAtt, or ${X.Attr} in
    Fn::Sub): CloudFormation lists each as a Dynamic Modify whenever `resource` changes."""

    def reads(node: Any) -> bool:
        if isinstance(node, dict):
            get_att = node.get("Fn::GetAtt")
            if get_att is not None:
                name = get_att[0] if isinstance(get_att, list) else str(get_att).split(".")[0]
                if name == resource:
                    return True
            sub = node.get("Fn::Sub")
            text = sub[0] if isinstance(sub, list) else sub
            if isinstance(text, str) and f"${{{resource}." in text:
                return True
            return any(reads(value) for value in node.values())
        if isinstance(node, list):
            return any(reads(value) for value in node)
        return False

    return {
        key
        for key, body in template["Resources"].items()
        if key != resource and reads(body.get("Properties", {}))
    }


def test_new_counter_code_changes_no_other_resource_of_the_template() -> None:
    # the template side of the same promise: nothing reads the function's attributes, so a
    # code update is a change set of one (Refs change only when the function is replaced)
    assert attribute_readers(load_template("counter.yaml"), "Function") == set()
    assert attribute_readers(
        {
            "Resources": {
                "Integration": {"Properties": {"Uri": {"Fn::GetAtt": ["Function", "Arn"]}}}
            }
        },
        "Function",
    ) == {"Integration"}


@pytest.mark.parametrize(
    ("url", "repo"),
    [
        ("git@github.com:Octo-Org/My.CV.git\n", "Octo-Org/My.CV"),
        ("https://github.com/octo/cv.git", "octo/cv"),
        ("https://github.com/octo/cv", "octo/cv"),
        ("https://token@github.com/octo/cv/", "octo/cv"),
        ("ssh://git@github.com/octo/cv.git", "octo/cv"),
        ("https://gitlab.com/octo/cv.git", None),
        ("/srv/git/cv.git", None),
    ],
)
def test_repository_from_the_remote_url(url: str, repo: str | None) -> None:
    assert repo_from_remote(url) == repo


def test_origin_repo_reads_git_and_says_what_to_do_without_it(tmp_path: Path) -> None:
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    with pytest.raises(CvgenError, match="pass OWNER/REPO exactly as GitHub spells it"):
        origin_repo(tmp_path)
    subprocess.run(
        ["git", "-C", str(tmp_path), "remote", "add", "origin", "git@github.com:Octo/CV.git"],
        check=True,
    )
    assert origin_repo(tmp_path) == "Octo/CV"  # the case is kept: IAM compares it exactly


@pytest.mark.parametrize(
    ("flag", "current", "found", "chosen"),
    [
        (None, None, None, ""),  # nothing anywhere: the stack creates one
        (None, None, PROVIDER, PROVIDER),  # the account has one: reuse it
        (PROVIDER, None, None, PROVIDER),  # named on the command line
        (None, {"ExistingOidcProviderArn": ""}, PROVIDER, ""),  # the stack owns its provider
        (None, {"ExistingOidcProviderArn": PROVIDER}, None, PROVIDER),
        (PROVIDER, {"ExistingOidcProviderArn": ""}, None, PROVIDER),  # the flag wins
    ],
)
def test_which_oidc_provider_the_ci_stack_uses(
    flag: str | None, current: dict[str, str] | None, found: str | None, chosen: str
) -> None:
    assert provider_parameter(flag, current, found) == chosen


def ci_parameter(moto: MotoServer, name: str) -> str:
    stack = moto.client("cloudformation").describe_stacks(StackName="cvgen-ci")["Stacks"][0]
    return {p["ParameterKey"]: p["ParameterValue"] for p in stack["Parameters"]}[name]


@pytest.mark.aws
@pytest.mark.usefixtures("moto_templates")
def test_an_existing_github_provider_is_reused(
    cfn_env: MotoServer, site_root: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # IAM refuses a second provider for the same URL (EntityAlreadyExists) on real AWS
    iam = cfn_env.client("iam")
    arn = iam.create_open_id_connect_provider(
        Url="https://token.actions.githubusercontent.com",
        ClientIDList=["sts.amazonaws.com"],
        ThumbprintList=["6938fd4d98bab03faadb97b34396831e3780aea1"],
    )["OpenIDConnectProviderArn"]
    # the plan shows what the deploy will do: the CI stack's change set reuses it too (moto's
    # change sets list no parameters, so the parameters the change set was made with are read
    # from the log line that names them)
    caplog.set_level(logging.INFO, logger="cvgen.infra.deploy")
    planned = invoke(site_root, "plan", "--github-repo", "octo/cv")
    assert planned.exit_code == 0, planned.output
    [ci_change_set] = [r.getMessage() for r in caplog.records if "for cvgen-ci (" in r.getMessage()]
    assert f"'ExistingOidcProviderArn': '{arn}'" in ci_change_set
    result = invoke(site_root, "deploy", "--yes", "--github-repo", "octo/cv")
    assert result.exit_code == 0, result.output
    assert ci_parameter(cfn_env, "ExistingOidcProviderArn") == arn
    # infra.github_repo is kept and read: the next deploy from this machine updates the stack
    again = invoke(site_root, "deploy", "--yes")
    assert again.exit_code == 0, again.output
    assert "cvgen-ci: no changes" in again.output


@pytest.mark.aws
@pytest.mark.usefixtures("moto_templates")
def test_code_only_rolls_out_code_and_refuses_everything_else(
    cfn_env: MotoServer,
    site_root: Path,
    moto_templates: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = tmp_path / "counter_lambda"
    shutil.copytree(counter_lambda_dir(), source, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr("cvgen.infra.run.counter_lambda_dir", lambda: source)
    assert invoke(site_root, "deploy", "--yes", "--github-repo", "octo/cv").exit_code == 0

    # new code: the one change CI may make
    with (source / "core.py").open("a", encoding="utf-8") as handle:
        handle.write("\n# a code change\n")
    result = invoke(site_root, "deploy", "--yes", "--code-only")
    assert result.exit_code == 0, result.output
    # moto's change sets do not show a changed parameter as a resource change (AWS shows
    # `Modify Function`, which the pure tests above allow), so only the upload is visible here
    assert "uploading counter code" in result.output
    # CI never touches its own stack (the doctor only reads its status)
    assert "cvgen-ci (" not in result.output and "cvgen-ci:" not in result.output

    # a template change: refused before anything runs
    template = moto_templates / "counter.yaml"  # moto's cut of it, written as JSON
    data = json.loads(template.read_text(encoding="utf-8"))
    data["Resources"]["AuditLogGroup"] = {
        "Type": "AWS::Logs::LogGroup",
        "Properties": {"RetentionInDays": 7},
    }
    template.write_text(json.dumps(data), encoding="utf-8")
    before = stack_status(cfn_env, "cvgen-counter")
    refused = invoke(site_root, "deploy", "--yes", "--code-only")
    assert refused.exit_code == 1
    assert "cvgen-counter: this change set does more than CI may change" in refused.output
    assert "  Add AuditLogGroup (AWS::Logs::LogGroup)" in refused.output
    assert "nothing was executed" in refused.output
    assert stack_status(cfn_env, "cvgen-counter") == before  # nothing ran
    changes = cfn_env.client("cloudformation").list_change_sets(StackName="cvgen-counter")
    waiting = [c for c in changes["Summaries"] if c.get("ExecutionStatus") == "AVAILABLE"]
    assert waiting == []  # the refused change set was deleted, not left to run
