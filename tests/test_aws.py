"""cvgen/aws.py: the advice for AWS failures names only settings that exist, and says which
service refused what."""

from __future__ import annotations

import re
from typing import Any

import pytest
from botocore.exceptions import (
    ClientError,
    EndpointConnectionError,
    NoCredentialsError,
    NoRegionError,
)

from cvgen.aws import describe, explain, is_unverified_account
from cvgen.errors import CvgenError
from cvgen.infra.deploy import StackDeployer
from cvgen.settings.config import _SCHEMA
from tests.conftest import RecordingUi

UNVERIFIED = (
    "Your account must be verified before you can add new CloudFront resources. To verify "
    "your account, please contact AWS Support (https://console.aws.amazon.com/support/home#/) "
    "and include this error message. (Service: AmazonCloudFront; Status Code: 403; Error "
    "Code: AccessDenied; Request ID: 6d470e8b)"
)


def client_error(code: str, message: str, operation: str, status: int = 400) -> ClientError:
    response: Any = {
        "Error": {"Code": code, "Message": message},
        "ResponseMetadata": {"HTTPStatusCode": status},
    }
    return ClientError(response, operation)


@pytest.mark.parametrize("section", ["publish", "infra"])
@pytest.mark.parametrize(
    "error",
    [
        NoCredentialsError(),
        NoRegionError(),
        EndpointConnectionError(endpoint_url="http://127.0.0.1:9"),
    ],
    ids=["credentials", "region", "endpoint"],
)
def test_advice_names_only_settings_cvgen_yaml_accepts(section: str, error: Exception) -> None:
    advice = explain(error, section=section)
    assert advice is not None
    for named_section, key in re.findall(r"\b(publish|infra|site|counter)\.([a-z_]+)", advice):
        assert key in _SCHEMA[named_section], f"{named_section}.{key} does not exist: {advice}"


def test_publish_may_name_its_profile_setting_infra_may_not() -> None:
    assert "publish.profile in cvgen.yaml" in str(explain(NoCredentialsError(), section="publish"))
    assert "profile" in _SCHEMA["publish"] and "profile" not in _SCHEMA["infra"]
    assert "infra.profile" not in str(explain(NoCredentialsError(), section="infra"))


def test_access_denied_names_the_service_and_the_action() -> None:
    refused = client_error("AccessDenied", "not authorized", "CreateInvalidation", 403)
    assert describe(refused, "publishing", section="publish") == (
        "publishing: CloudFront refused cloudfront:CreateInvalidation for the credentials in use "
        "(not authorized); allow cloudfront:CreateInvalidation in the IAM policy of the "
        "credentials in use"
    )
    listing = client_error("AccessDenied", "Access Denied", "ListObjectsV2", 403)
    assert "S3 refused s3:ListBucket" in describe(listing, "publishing", section="publish")


def test_an_unverified_account_is_recognised_with_what_to_do() -> None:
    # moto never refuses a distribution; the message is AWS's, as public reports quote it
    error = client_error("AccessDenied", UNVERIFIED, "CreateDistributionWithTags", 403)
    assert is_unverified_account(error)
    advice = str(explain(error, section="infra"))
    assert advice.startswith("AWS has not verified this account for CloudFront yet")
    assert "AWS Support" in advice and "`cvgen infra deploy` again" in advice


class _FailedStack:
    """What CloudFormation answers while a stack's distribution is refused (a stand-in:
    moto's CloudFormation skips CloudFront resources, so it cannot fail this way)."""

    def describe_stacks(self, StackName: str) -> dict[str, object]:  # noqa: N803 - AWS names
        return {"Stacks": [{"StackStatus": "ROLLBACK_COMPLETE", "StackId": "id"}]}

    def describe_stack_events(self, StackName: str) -> dict[str, object]:  # noqa: N803
        return {"StackEvents": []}

    def get_paginator(self, name: str) -> _FailedStack:
        return self

    def paginate(self, StackName: str) -> list[dict[str, object]]:  # noqa: N803
        event = {
            "EventId": "e1",
            "LogicalResourceId": "Distribution",
            "ResourceType": "AWS::CloudFront::Distribution",
            "ResourceStatus": "CREATE_FAILED",
            "ResourceStatusReason": f'Resource handler returned message: "{UNVERIFIED}"',
        }
        return [{"StackEvents": [event]}]


def test_a_stack_failing_on_an_unverified_account_says_what_to_do() -> None:
    deployer = StackDeployer(_FailedStack(), RecordingUi(), poll_seconds=0, sleep=lambda _: None)
    with pytest.raises(CvgenError) as failure:
        deployer._wait("cvgen-site", set(), action="deploying")
    message = str(failure.value)
    assert message.startswith("deploying cvgen-site failed (ROLLBACK_COMPLETE): Distribution")
    assert "AWS has not verified this account for CloudFront yet" in message
