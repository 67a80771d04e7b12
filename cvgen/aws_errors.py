"""Plain advice for the AWS failures every command can meet: credentials, profile, region,
endpoint. Command-specific wording (a missing bucket, a stack that failed) stays with the
command; this is what `cvgen publish` and `cvgen infra` say alike.
"""

from __future__ import annotations


def explain_setup_error(
    exc: BaseException, *, profile: str | None, endpoint_url: str | None, section: str
) -> str | None:
    """One sentence saying what to do, or None when `exc` is not a setup problem.

    `section` is the cvgen.yaml section whose settings apply (`publish`, `infra`).
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
            f"no AWS credentials found; pass --profile (or set {section}.profile in "
            "cvgen.yaml or AWS_PROFILE), or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY"
        )
    if isinstance(exc, ProfileNotFound):
        return (
            f"AWS profile `{profile}` not found; add it to ~/.aws/config "
            "(`aws configure --profile NAME`) or pass another --profile"
        )
    if isinstance(exc, NoRegionError):
        return f"no AWS region set; pass --region or set {section}.region in cvgen.yaml"
    if isinstance(
        exc,
        EndpointConnectionError | ConnectTimeoutError | ConnectionClosedError | ReadTimeoutError,
    ):
        url = getattr(exc, "kwargs", {}).get("endpoint_url") or endpoint_url or "AWS"
        return (
            f"cannot reach {url}; check --endpoint-url ({section}.endpoint_url, "
            "AWS_ENDPOINT_URL) and the network connection"
        )
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        if code in ("InvalidAccessKeyId", "SignatureDoesNotMatch", "ExpiredToken"):
            return (
                f"AWS rejected the credentials ({code}: {error.get('Message') or code}); "
                "refresh them (`aws sso login`, `aws configure`) or pass another --profile"
            )
    return None
