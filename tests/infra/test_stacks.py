"""Pure parts of cvgen infra: option checks, stack parameters, cvgen.yaml updates, and the
change-set and failure messages."""

from __future__ import annotations

import re

import pytest

from cvgen.errors import CvgenError
from cvgen.infra import stacks
from cvgen.infra.changeset import ChangeSet, ResourceChange, failure_reason, format_change_set
from cvgen.infra.stacks import DeployOptions

COUNTER = {
    "ApiId": "abcde12345",
    "ApiEndpoint": "https://abcde12345.execute-api.eu-west-1.amazonaws.com",
    "ApiDomain": "abcde12345.execute-api.eu-west-1.amazonaws.com",
    "StageName": "$default",
    "OriginToken": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
    "TableName": "t",
    "FunctionName": "cvgen-counter-Function-1",
    "FunctionRoleArn": "arn:aws:iam::123456789012:role/cvgen-counter-FunctionRole-1",
}
SITE = {
    "BucketName": "cvgen-site-bucket-1",
    "DistributionId": "E1ABC",
    "DistributionDomainName": "d1.cloudfront.net",
    "SiteUrl": "https://d1.cloudfront.net/",
}
CERT = "arn:aws:acm:us-east-1:123456789012:certificate/0f0e0d0c-1111-2222-3333-444455556666"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (DeployOptions(stack_prefix="My_Site"), "--stack-prefix 'My_Site'"),
        (
            DeployOptions(github_repo="just-a-name"),
            "--github-repo 'just-a-name': expected OWNER/REPO",
        ),
        (DeployOptions(domain="cv.example.com"), "needs --certificate-arn"),
        (DeployOptions(domain="CV example"), "--domain 'CV example'"),
        (
            DeployOptions(
                domain="cv.example.com",
                certificate_arn=CERT.replace("us-east-1", "eu-west-1"),
            ),
            "in us-east-1",
        ),
        (DeployOptions(certificate_arn=CERT), "only used with --domain"),
        (DeployOptions(hosted_zone_id="Z123"), "only used with --domain"),
        (
            DeployOptions(
                oidc_provider_arn="arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
            ),
            "only used with --github-repo",
        ),
        (
            DeployOptions(image_origins="https://[::1]"),
            "'https://.::1.': expected a photo URL on a host name, like https://img.example.com",
        ),
        # infra.reserved_concurrency in cvgen.yaml is only checked here (the flag by Click)
        (
            DeployOptions(reserved_concurrency=1001),
            "--reserved-concurrency 1001: expected 0",
        ),
        (DeployOptions(reserved_concurrency=-1), "--reserved-concurrency -1: expected 0"),
    ],
)
def test_bad_options_name_the_flag(options: DeployOptions, message: str) -> None:
    with pytest.raises(CvgenError, match=message.replace("(", r"\(")):
        stacks.validate_options(options)


def test_good_options_pass() -> None:
    options = DeployOptions(
        stack_prefix="my-cv",
        domain="cv.example.com",
        certificate_arn=CERT,
        hosted_zone_id="Z0123ABC",
        github_repo="octo/cv.site",
    )
    assert stacks.validate_options(options) is options


def test_public_mode_parameters() -> None:
    options = DeployOptions(region="eu-west-1")
    counter = stacks.counter_stack(options, "art", "counter-lambda/abc.zip", "")
    assert counter.name == "cvgen-counter" and counter.template == "counter.yaml"
    assert counter.parameters["AuthMode"] == "NONE"
    assert counter.parameters["SiteOrigin"] == ""
    assert counter.parameters["ClientIpHeader"] == "cloudfront-viewer-address"
    site = stacks.site_stack(options, COUNTER)
    assert site.parameters["CounterApiDomain"] == COUNTER["ApiDomain"]
    # CloudFront sends the counter stack's token, so the counter believes its viewer address
    assert site.parameters["CounterOriginToken"] == COUNTER["OriginToken"]
    assert site.parameters["ExtraConnectOrigins"] == ""
    assert site.parameters["ImageOrigins"] == ""
    assert site.parameters["DomainName"] == ""
    photo = DeployOptions(region="eu-west-1", image_origins="https://img.example.com")
    assert stacks.site_stack(photo, COUNTER).parameters["ImageOrigins"] == (
        "https://img.example.com"
    )


def test_cognito_mode_parameters() -> None:
    options = DeployOptions(region="eu-west-1", cognito=True)
    counter = stacks.counter_stack(options, "art", "k", "https://cv.example.com")
    assert counter.parameters["AuthMode"] == "AWS_IAM"
    assert counter.parameters["ClientIpHeader"] == ""
    identity = stacks.identity_stack(options, COUNTER)
    assert identity.parameters == {"ApiId": "abcde12345", "StageName": "$default"}
    site = stacks.site_stack(options, COUNTER)
    assert site.parameters["CounterApiDomain"] == ""  # signed requests go to the API directly
    assert site.parameters["CounterOriginToken"] == ""
    # the basic flow's STS call comes from the page too
    assert site.parameters["ExtraConnectOrigins"] == (
        "https://cognito-identity.eu-west-1.amazonaws.com https://sts.eu-west-1.amazonaws.com "
        "https://abcde12345.execute-api.eu-west-1.amazonaws.com"
    )


def test_site_origin_keeps_the_cloudfront_address_next_to_the_domain() -> None:
    # a domain added later must not lock out visitors still on *.cloudfront.net while DNS moves
    domain = DeployOptions(domain="cv.example.com", certificate_arn=CERT)
    assert stacks.site_origin(domain, SITE) == "https://cv.example.com,https://d1.cloudfront.net"
    assert stacks.site_origin(domain, {}) == "https://cv.example.com"  # first deploy
    assert stacks.site_origin(DeployOptions(), SITE) == "https://d1.cloudfront.net"
    assert stacks.site_origin(DeployOptions(), {}) == ""
    # a stack from before DistributionDomainName: its SiteUrl, unless that is the domain's
    served = {"SiteUrl": "https://d2.cloudfront.net/"}
    assert stacks.site_origin(DeployOptions(), served) == "https://d2.cloudfront.net"
    on_domain = {"SiteUrl": "https://cv.example.com/"}
    assert stacks.site_origin(domain, on_domain) == "https://cv.example.com"


def test_ci_parameters_come_from_the_other_stacks() -> None:
    options = DeployOptions(stack_prefix="my-cv", github_repo="octo/cv")
    ci = stacks.ci_stack(options, SITE, COUNTER, "my-cv-artifacts-1-us-east-1")
    assert ci.name == "my-cv-ci"
    assert ci.parameters == {
        "GitHubRepository": "octo/cv",
        "ExistingOidcProviderArn": "",
        "StackPrefix": "my-cv",
        "SiteBucketName": "cvgen-site-bucket-1",
        "DistributionId": "E1ABC",
        "ArtifactBucketName": "my-cv-artifacts-1-us-east-1",
        "CounterFunctionName": "cvgen-counter-Function-1",
        "CounterFunctionRoleArn": COUNTER["FunctionRoleArn"],
    }


def test_a_missing_output_is_a_clear_error() -> None:
    with pytest.raises(CvgenError, match="stack cvgen-counter has no output ApiDomain"):
        stacks.site_stack(DeployOptions(), {"ApiId": "x"})


def test_config_updates_public() -> None:
    updates = stacks.config_updates(
        DeployOptions(region="eu-west-1"), SITE, COUNTER, None, "https://me.dev/", "art"
    )
    assert updates["publish"] == {
        "bucket": "cvgen-site-bucket-1",
        "distribution_id": "E1ABC",
        "region": "eu-west-1",
    }
    assert updates["counter"] == {"mode": "public", "api": "/api/views"}
    assert "site" not in updates  # a URL the user set is kept
    assert updates["infra"] == {
        "stack_prefix": "cvgen",
        "region": "eu-west-1",
        "artifact_bucket": "art",
    }


def test_config_updates_set_the_url_when_unset_or_a_domain_is_given() -> None:
    unset = stacks.config_updates(DeployOptions(), SITE, COUNTER, None, None, "art")
    assert unset["site"] == {"url": "https://d1.cloudfront.net/"}
    options = DeployOptions(domain="cv.example.com", certificate_arn=CERT)
    with_domain = stacks.config_updates(
        options, {**SITE, "SiteUrl": "https://cv.example.com/"}, COUNTER, None, "https://old/", "a"
    )
    assert with_domain["site"] == {"url": "https://cv.example.com/"}
    assert with_domain["infra"]["domain"] == "cv.example.com"
    assert with_domain["infra"]["certificate_arn"] == CERT


def test_config_updates_cognito() -> None:
    identity = {
        "IdentityPoolId": "eu-west-1:0123abcd-0123-4567-89ab-0123456789ab",
        "GuestRoleArn": "arn:aws:iam::123456789012:role/cvgen-identity-GuestRole-X",
    }
    updates = stacks.config_updates(
        DeployOptions(region="eu-west-1", cognito=True), SITE, COUNTER, identity, "https://x/", "a"
    )
    assert updates["counter"] == {
        "mode": "cognito",
        "identity_pool_id": identity["IdentityPoolId"],
        "role_arn": identity["GuestRoleArn"],
        "region": "eu-west-1",
        "api": "https://abcde12345.execute-api.eu-west-1.amazonaws.com/api/views",
    }


def test_repository_variables_use_the_workflow_names() -> None:
    variables = stacks.repository_variables(
        DeployOptions(region="eu-west-1"), {"DeployRoleArn": "arn:aws:iam::1:role/deploy"}
    )
    assert variables == {"AWS_ROLE_ARN": "arn:aws:iam::1:role/deploy", "AWS_REGION": "eu-west-1"}


def test_artifact_bucket_name_fits_s3_rules() -> None:
    name = stacks.artifact_bucket_name("abcdefghijklmnopqrstuvwx", "123456789012", "ap-southeast-2")
    assert name == "abcdefghijklmnopqrstuvwx-artifacts-123456789012-ap-southeast-2"
    assert len(name) <= 63


def test_change_set_display() -> None:
    change_set = ChangeSet(
        "cvgen-counter",
        "cs",
        is_new_stack=False,
        changes=(
            ResourceChange("Modify", "Function", "AWS::Lambda::Function", "False"),
            ResourceChange("Modify", "Table", "AWS::DynamoDB::Table", "True"),
            ResourceChange("Add", "Alarm", "AWS::CloudWatch::Alarm"),
            ResourceChange("Modify", "Stage", "AWS::ApiGatewayV2::Stage"),  # no answer: False
        ),
    )
    assert format_change_set(change_set) == [
        "cvgen-counter (update): 4 changes",
        "  Modify  Function  AWS::Lambda::Function     replacement: False",
        "  Modify  Table     AWS::DynamoDB::Table      replacement: True",
        "  Add     Alarm     AWS::CloudWatch::Alarm",
        "  Modify  Stage     AWS::ApiGatewayV2::Stage  replacement: False",
    ]
    assert format_change_set(ChangeSet("cvgen-site", "cs", True)) == ["cvgen-site: no changes"]


def _event(
    logical: str, status: str, reason: str = "", type_: str = "AWS::S3::Bucket"
) -> dict[str, str]:
    return {
        "LogicalResourceId": logical,
        "ResourceType": type_,
        "ResourceStatus": status,
        "ResourceStatusReason": reason,
    }


def test_failure_reason_names_the_resource_that_broke() -> None:
    # newest first, as DescribeStackEvents returns them
    events = [
        _event("cvgen-site", "ROLLBACK_COMPLETE", type_="AWS::CloudFormation::Stack"),
        _event("Bucket", "DELETE_COMPLETE"),
        _event(
            "cvgen-site",
            "ROLLBACK_IN_PROGRESS",
            "The following resource(s) failed to create: [Distribution, Bucket].",
            "AWS::CloudFormation::Stack",
        ),
        _event("Bucket", "CREATE_FAILED", "Resource creation cancelled"),
        _event(
            "Distribution",
            "CREATE_FAILED",
            'Resource handler returned message: "Invalid request provided: The certificate '
            "that is attached to your distribution doesn't cover the alternate domain name\"",
            "AWS::CloudFront::Distribution",
        ),
        _event("Bucket", "CREATE_IN_PROGRESS"),
    ]
    reason = failure_reason(events, "cvgen-site")
    assert reason is not None
    assert reason.startswith("Distribution (AWS::CloudFront::Distribution) CREATE_FAILED: ")
    assert "doesn't cover the alternate domain name" in reason


def test_failure_reason_names_the_first_failure_when_several_broke() -> None:
    # newest first: the role failed, then the function that needed it
    events = [
        _event("Function", "CREATE_FAILED", "Role not found", "AWS::Lambda::Function"),
        _event("Role", "CREATE_FAILED", "Access denied for iam:CreateRole", "AWS::IAM::Role"),
    ]
    assert failure_reason(events, "cvgen-counter") == (
        "Role (AWS::IAM::Role) CREATE_FAILED: Access denied for iam:CreateRole"
    )


def test_failure_reason_falls_back_to_the_stack_event() -> None:
    events = [
        _event("cvgen-counter", "UPDATE_ROLLBACK_COMPLETE", type_="AWS::CloudFormation::Stack"),
        _event(
            "cvgen-counter",
            "UPDATE_FAILED",
            "Parameter validation failed",
            "AWS::CloudFormation::Stack",
        ),
    ]
    assert failure_reason(events, "cvgen-counter") == (
        "cvgen-counter (AWS::CloudFormation::Stack) UPDATE_FAILED: Parameter validation failed"
    )
    assert failure_reason([_event("Bucket", "CREATE_COMPLETE")], "s") is None


@pytest.mark.parametrize(
    ("options", "url", "pages"),
    [
        (DeployOptions(), "https://cv.example.com/", "/,/a/*"),
        (DeployOptions(), "https://me.dev/cv/", "/cv/,/cv/a/*"),
        (DeployOptions(), "https://example.com/cv/", "/,/a/*"),  # a placeholder: replaced by deploy
        (DeployOptions(), "http://127.0.0.1:8000/", "/,/a/*"),  # becomes the distribution's root
        (DeployOptions(), None, "/,/a/*"),  # unset: becomes the distribution's root
        (
            DeployOptions(domain="cv.example.com", certificate_arn=CERT),
            "https://x.org/a/",
            "/,/a/*",
        ),
    ],
)
def test_counted_pages_follow_the_sites_base_path(
    options: DeployOptions, url: str | None, pages: str
) -> None:
    assert stacks.counted_pages(options, url) == pages
    spec = stacks.counter_stack(options, "art", "k", "", stacks.counted_pages(options, url))
    assert spec.parameters["AllowedPages"] == pages


@pytest.mark.parametrize(
    ("url", "stand_in"),
    [
        (None, True),
        ("http://127.0.0.1:8000/", True),
        ("https://cv.example.com/", True),  # the example's, which `cvgen new` copied
        ("https://www.example.org/cv/", True),
        ("https://me.dev/", False),
        ("https://example.company.com/", False),
    ],
)
def test_deploy_fills_site_url_only_over_a_stand_in(url: str | None, stand_in: bool) -> None:
    assert stacks.is_stand_in_url(url) is stand_in
    updates = stacks.config_updates(DeployOptions(), SITE, COUNTER, None, url, "art")
    assert ("site" in updates) is stand_in


# --- the order deploy and plan share ----------------------------------------------------

IDENTITY = {"IdentityPoolId": "eu-west-1:pool", "GuestRoleArn": "arn:aws:iam::1:role/guest"}
CI = {"DeployRoleArn": "arn:aws:iam::1:role/deploy"}
SOURCES = stacks.Sources("art", "counter-lambda/abc.zip", "https://me.dev/", SITE)


def settle_all(
    options: DeployOptions, sources: stacks.Sources
) -> tuple[list[tuple[str, str]], list[str], stacks.Settled]:
    """(stack name, SiteOrigin or "") for each settled spec, the notes, and the result."""
    settled: list[tuple[str, str]] = []
    notes: list[str] = []
    answers = {"counter": COUNTER, "identity": IDENTITY, "site": SITE, "ci": CI, "budget": {}}

    def settle(spec: stacks.StackSpec) -> dict[str, str]:
        settled.append((spec.name, spec.parameters.get("SiteOrigin", "")))
        return answers[spec.key]

    result = stacks.settle_stacks(options, sources, settle, notes.append)
    return settled, notes, result


def test_stacks_settle_in_order_each_with_the_outputs_before_it() -> None:
    order, notes, result = settle_all(DeployOptions(), SOURCES)
    assert order == [("cvgen-counter", "https://d1.cloudfront.net"), ("cvgen-site", "")]
    assert notes == []
    assert result == stacks.Settled(counter=COUNTER, site=SITE)

    options = DeployOptions(cognito=True, github_repo="octo/cv")
    order, notes, result = settle_all(options, SOURCES)
    assert [name for name, _ in order] == [
        "cvgen-counter",
        "cvgen-identity",
        "cvgen-site",
        "cvgen-ci",
    ]
    assert result == stacks.Settled(COUNTER, SITE, IDENTITY, CI)


def test_the_ci_stack_is_never_settled_in_a_code_only_run() -> None:
    options = DeployOptions(github_repo="octo/cv", code_only=True)
    order, _, result = settle_all(options, SOURCES)
    assert [name for name, _ in order] == ["cvgen-counter", "cvgen-site"]
    assert result.ci is None


def test_the_counter_comes_round_again_once_the_sites_origin_is_known() -> None:
    first = stacks.Sources("art", "k", None, {})  # no site yet: its address is unknown
    order, notes, _ = settle_all(DeployOptions(), first)
    assert order == [
        ("cvgen-counter", ""),
        ("cvgen-site", ""),
        ("cvgen-counter", "https://d1.cloudfront.net"),
    ]
    assert notes == [
        "the site's origin is now known (https://d1.cloudfront.net); allowing it on the counter API"
    ]


def test_a_new_counter_stack_is_created_unprotected_and_protected_right_after() -> None:
    # a failed first create must be able to delete its table (RetainExceptOnCreate); moto
    # deletes a protected table in a rollback anyway, so only the parameters show it
    protection: list[str] = []

    def settle(spec: stacks.StackSpec) -> dict[str, str]:
        if spec.key == "counter":
            protection.append(spec.parameters["TableDeletionProtection"])
        return {"counter": COUNTER, "site": SITE}[spec.key]

    notes: list[str] = []
    created = stacks.Sources("art", "k", "https://me.dev/", SITE, counter_exists=False)
    stacks.settle_stacks(DeployOptions(), created, settle, notes.append)
    assert protection == ["false", "true"]
    assert notes == ["the counter's table exists now; turning its deletion protection on"]
    protection.clear()
    stacks.settle_stacks(DeployOptions(), SOURCES, settle, notes.append)
    assert protection == ["true"]  # an existing stack: never unprotected, never twice


def test_the_cost_guard_is_opt_in_last_and_in_us_east_1() -> None:
    options = DeployOptions(
        region="eu-west-1", budget_usd=7, alert_email="me@example.com", alarm_requests_per_second=20
    )
    order, _, result = settle_all(options, SOURCES)
    assert [name for name, _ in order] == ["cvgen-counter", "cvgen-site", "cvgen-budget"]
    spec = stacks.budget_stack(options, SITE)
    assert spec.region == "us-east-1"  # CloudFront's metrics exist only there
    assert spec.parameters == {
        "MonthlyLimitUsd": "7",
        "AlertEmail": "me@example.com",
        "DistributionId": "E1ABC",
        "RequestsPerFiveMinutes": "6000",  # 20 requests/s over CloudWatch's 5-minute sums
    }
    order, _, _ = settle_all(DeployOptions(), SOURCES)  # not asked for: not deployed
    assert "cvgen-budget" not in [name for name, _ in order]
    code_only = DeployOptions(budget_usd=7, alert_email="me@example.com", code_only=True)
    order, _, _ = settle_all(code_only, SOURCES)  # CI's role may not touch it
    assert "cvgen-budget" not in [name for name, _ in order]


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (DeployOptions(budget_usd=5), "--budget 5 needs --alert-email ADDRESS"),
        (DeployOptions(alert_email="me@example.com"), "--alert-email is only used with --budget"),
        (
            DeployOptions(budget_usd=5, alert_email="me at example"),
            "--alert-email 'me at example': expected an email address",
        ),
    ],
)
def test_the_cost_guard_flags_go_together(options: DeployOptions, message: str) -> None:
    with pytest.raises(CvgenError, match=re.escape(message)):
        stacks.validate_options(options)


def test_placeholders_stand_in_for_what_later_stacks_read() -> None:
    options = DeployOptions(stack_prefix="my-cv", region="eu-west-1", github_repo="octo/cv")
    counter = stacks.placeholder_outputs(options, stacks.COUNTER, "123456789012")
    site = stacks.placeholder_outputs(options, stacks.SITE, "123456789012")
    assert stacks.site_stack(options, counter).parameters["CounterApiDomain"] == (
        "0000000000.execute-api.eu-west-1.amazonaws.com"
    )
    assert stacks.ci_stack(options, site, counter, "art").parameters == {
        "GitHubRepository": "octo/cv",
        "ExistingOidcProviderArn": "",
        "StackPrefix": "my-cv",
        "SiteBucketName": "my-cv-site-bucket",
        "DistributionId": "EPLACEHOLDER",
        "ArtifactBucketName": "art",
        "CounterFunctionName": "my-cv-counter-function",
        "CounterFunctionRoleArn": "arn:aws:iam::123456789012:role/my-cv-counter-role",
    }
    # a placeholder site names no origin: planning it never sends the counter round again
    assert stacks.site_origin(options, site) == ""
