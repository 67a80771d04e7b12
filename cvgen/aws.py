"""Every AWS session and client cvgen makes, and every AWS error it explains: one home, so
the way credentials, profiles, regions and endpoints are found, and the advice a user gets
when one of them is wrong, cannot drift apart between commands.

Clients come from botocore directly (boto3 adds nothing cvgen uses and ~0.1 s of imports)
with retries in `standard` mode. `Aws` holds one session and caches one client per service;
clients are thread-safe, sessions are not. Command-specific wording (a missing bucket, a
stack that failed) stays with the command; what every command can meet is explained here.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cvgen.errors import CvgenError

MAX_ATTEMPTS = 5

# Operations whose IAM action is not `<service>:<operation>`.
_IAM_ACTIONS = {
    "s3:ListObjectsV2": "s3:ListBucket",
    "s3:ListObjects": "s3:ListBucket",
    "s3:HeadBucket": "s3:ListBucket",
    "s3:HeadObject": "s3:GetObject",
    "s3:ListObjectVersions": "s3:ListBucketVersions",
    "s3:DeleteObjects": "s3:DeleteObject",
    "s3:CopyObject": "s3:GetObject and s3:PutObject",
}
_SERVICE_NAMES = {
    "s3": "S3",
    "cloudfront": "CloudFront",
    "cloudformation": "CloudFormation",
    "lambda": "Lambda",
    "iam": "IAM",
    "sts": "STS",
    "acm": "ACM",
    "route53": "Route 53",
    "logs": "CloudWatch Logs",
    "cognito-identity": "Cognito Identity",
}
# cvgen.yaml settings per section that say where AWS is (see cvgen.settings.config's schema).
_SECTION_SETTINGS = {
    "publish": ("region", "profile", "endpoint_url"),
    "infra": ("region",),
}


def max_attempts() -> int:
    """Total attempts per call, first included (AWS_MAX_ATTEMPTS has the same meaning)."""
    value = os.environ.get("AWS_MAX_ATTEMPTS", "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_ATTEMPTS


def client_config(**overrides: Any) -> Any:
    from botocore.config import Config

    settings: dict[str, Any] = {
        "retries": {"mode": "standard", "total_max_attempts": max_attempts()},
    }
    settings.update(overrides)
    return Config(**settings)


def profile_region(profile: str | None) -> str | None:
    """The region the AWS configuration names for `profile` (or the default chain)."""
    import botocore.session

    region = botocore.session.Session(profile=profile).get_config_variable("region")
    return str(region) if region else None


def resolve_region(*candidates: str | None, profile: str | None = None, section: str) -> str:
    """The first region given, else the one `profile` (or the environment) names."""
    for candidate in candidates:
        if candidate:
            return candidate
    try:
        region = profile_region(profile)
    except Exception as exc:  # ProfileNotFound and friends: say it plainly
        raise CvgenError(explain(exc, profile=profile, section=section) or str(exc)) from exc
    if not region:
        raise CvgenError(explain_no_region(section, profile))
    return region


@dataclass
class Aws:
    """One botocore session and the clients made from it, all for one region and endpoint."""

    region: str | None
    profile: str | None = None
    endpoint_url: str | None = None
    config: dict[str, Any] = field(default_factory=dict)
    _session: Any = field(default=None, repr=False)
    _clients: dict[str, Any] = field(default_factory=dict, repr=False)

    @property
    def session(self) -> Any:
        if self._session is None:
            import botocore.session

            self._session = botocore.session.Session(profile=self.profile)
        return self._session

    def client(self, service: str, region: str | None = None) -> Any:
        key = f"{service}@{region or self.region}"
        if key not in self._clients:
            self._clients[key] = self.session.create_client(
                service,
                region_name=region or self.region,
                endpoint_url=self.endpoint_url,
                config=client_config(**self.config),
            )
        return self._clients[key]

    def account_id(self) -> str:
        return str(self.client("sts").get_caller_identity()["Account"])


def unsigned_client(service: str, region: str) -> Any:
    """A client for calls that take no credentials (Cognito guests, STS web identity).

    The standard endpoint settings apply, so AWS_ENDPOINT_URL points it at a stand-in.
    """
    import botocore.session
    from botocore import UNSIGNED

    return botocore.session.Session().create_client(
        service, region_name=region, config=client_config(signature_version=UNSIGNED)
    )


# --- errors ---------------------------------------------------------------------------------


def _flag_or_setting(section: str, key: str) -> str:
    flag = "--" + key.replace("_", "-")
    env = {"profile": "AWS_PROFILE", "region": "AWS_REGION", "endpoint_url": "AWS_ENDPOINT_URL"}
    where = [f"{section}.{key} in cvgen.yaml"] if key in _SECTION_SETTINGS.get(section, ()) else []
    return f"{flag} (or set " + ", or ".join([*where, env[key]]) + ")"


def explain_no_region(section: str, profile: str | None) -> str:
    named = f"profile `{profile}` names none; " if profile else ""
    return f"no AWS region: {named}pass {_flag_or_setting(section, 'region')}"


def explain(
    exc: BaseException,
    *,
    profile: str | None = None,
    endpoint_url: str | None = None,
    section: str,
) -> str | None:
    """One sentence saying what to do, or None when `exc` is not an AWS problem we know.

    `section` is the cvgen.yaml section whose settings apply (`publish`, `infra`); the
    advice names only settings that section has.
    """
    from botocore.exceptions import (
        ClientError,
        ConnectionClosedError,
        ConnectTimeoutError,
        EndpointConnectionError,
        NoCredentialsError,
        NoRegionError,
        PartialCredentialsError,
        ProfileNotFound,
        ReadTimeoutError,
    )

    if isinstance(exc, NoCredentialsError | PartialCredentialsError):
        return (
            f"no AWS credentials found; pass {_flag_or_setting(section, 'profile')}, "
            "or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, ProfileNotFound):
        return (
            f"AWS profile `{profile or exc.kwargs.get('profile')}` not found; add it to "
            "~/.aws/config (`aws configure --profile NAME`) or pass another --profile"
        )
    if isinstance(exc, NoRegionError):
        return explain_no_region(section, profile)
    if isinstance(
        exc,
        EndpointConnectionError | ConnectTimeoutError | ConnectionClosedError | ReadTimeoutError,
    ):
        url = getattr(exc, "kwargs", {}).get("endpoint_url") or endpoint_url or "AWS"
        return (
            f"cannot reach {url}; check {_flag_or_setting(section, 'endpoint_url')} "
            "and the network connection"
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        message = str(error.get("Message") or code)
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"):
            return (
                f"AWS rejected the credentials ({code}: {message}); "
                "refresh them (`aws sso login`, `aws configure`) or pass another --profile"
            )
        if is_unverified_account(exc):
            return UNVERIFIED_ACCOUNT_ADVICE
    return None


UNVERIFIED_ACCOUNT_ADVICE = (
    "AWS has not verified this account for CloudFront yet (new accounts cannot create "
    "distributions until it has): open a case with AWS Support "
    "(https://console.aws.amazon.com/support/home#/, 'Account and billing', no paid plan "
    "needed) asking to verify the account for CloudFront, quote the error message, and run "
    "`cvgen infra deploy` again once they confirm"
)


def is_unverified_account(error: BaseException | str) -> bool:
    """Whether AWS refused because the account is not yet verified for CloudFront."""
    text = error if isinstance(error, str) else str(error)
    return "account must be verified before you can add new CloudFront resources" in text


def iam_action(exc: BaseException) -> tuple[str, str] | None:
    """(service display name, IAM action) of the call that failed, when it can be told."""
    operation = getattr(exc, "operation_name", None)
    if not operation:
        return None
    service = service_of(operation)
    if service is None:
        return None
    action = f"{service}:{operation}"
    return _SERVICE_NAMES.get(service, service), _IAM_ACTIONS.get(action, action)


def service_of(operation: str, candidates: tuple[str, ...] = tuple(_SERVICE_NAMES)) -> str | None:
    """The service (of those cvgen calls) that has an operation of this name."""
    import botocore.session

    loader = botocore.session.get_session()
    for service in candidates:
        try:
            if operation in loader.get_service_model(service).operation_names:
                return service
        except Exception:  # a service model this botocore lacks
            continue
    return None


def is_access_denied(exc: BaseException) -> bool:
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return False
    code = str(exc.response.get("Error", {}).get("Code", ""))
    status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
    return code in ("AccessDenied", "AccessDeniedException", "AllAccessDisabled", "403") or (
        status == 403 and code not in ("InvalidAccessKeyId", "SignatureDoesNotMatch")
    )


def explain_access_denied(exc: BaseException, who: str) -> str:
    """`CloudFront refused cloudfront:CreateInvalidation for <who> (...); allow ...`.

    Names the service and the IAM action that was refused, so a CloudFront refusal never
    reads like an S3 one.
    """
    from botocore.exceptions import ClientError

    message = ""
    if isinstance(exc, ClientError):
        message = str(exc.response.get("Error", {}).get("Message") or "")
    found = iam_action(exc)
    if found is None:
        return f"access denied for {who} ({message or exc}); a permission this needs is missing"
    service, action = found
    return (
        f"{service} refused {action} for {who} ({message or 'AccessDenied'}); "
        f"allow {action} in the IAM policy of {who}"
    )


def describe(
    exc: BaseException,
    action: str,
    *,
    section: str,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> str:
    """A one-line message for any AWS failure of `action` (setup, access, or AWS's words)."""
    from botocore.exceptions import ClientError

    setup = explain(exc, profile=profile, endpoint_url=endpoint_url, section=section)
    if setup is not None:
        return f"{action}: {setup}"
    if is_access_denied(exc):
        who = f"profile `{profile}`" if profile else "the credentials in use"
        return f"{action}: {explain_access_denied(exc, who)}"
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        return f"{action}: {error.get('Code', 'error')}: {error.get('Message', exc)}"
    return f"{action}: {exc}"


@contextmanager
def aws_errors(
    action: str,
    *,
    section: str,
    profile: str | None = None,
    endpoint_url: str | None = None,
) -> Iterator[None]:
    """Turn botocore's client and credential errors into one clean CvgenError."""
    from botocore.exceptions import BotoCoreError, ClientError

    try:
        yield
    except (ClientError, BotoCoreError) as exc:
        raise CvgenError(
            describe(exc, action, section=section, profile=profile, endpoint_url=endpoint_url)
        ) from exc
