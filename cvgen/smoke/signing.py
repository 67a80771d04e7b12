"""Cognito guest signing for `cvgen smoke` in Cognito mode.

The counter API then takes only requests signed (SigV4, service `execute-api`) with guest
credentials, obtained exactly as the page's script does in a browser, through Cognito's basic
(classic) flow: GetId and GetOpenIdToken from the identity pool, then STS
AssumeRoleWithWebIdentity on the guest role (all three unsigned calls). The enhanced flow's
GetCredentialsForIdentity would hand out credentials that a managed session policy stops from
calling execute-api. boto3's usual endpoint settings apply, so `AWS_ENDPOINT_URL` points it
at a stand-in.
"""

from __future__ import annotations

from typing import Any

from cvgen.smoke.client import FetchError

SERVICE = "execute-api"
SESSION_NAME = "cvgen-smoke"


class GuestSigner:
    """Signs requests with one guest identity's credentials, fetched on first use."""

    def __init__(self, identity_pool_id: str, region: str, role_arn: str) -> None:
        self.identity_pool_id = identity_pool_id
        self.region = region
        self.role_arn = role_arn
        self._credentials: Any = None

    def _guest_credentials(self) -> Any:
        from botocore.credentials import Credentials
        from botocore.exceptions import BotoCoreError, ClientError

        from cvgen.aws import unsigned_client

        cognito = unsigned_client("cognito-identity", self.region)
        sts = unsigned_client("sts", self.region)
        try:
            identity = cognito.get_id(IdentityPoolId=self.identity_pool_id)["IdentityId"]
            token = cognito.get_open_id_token(IdentityId=identity)["Token"]
            issued = sts.assume_role_with_web_identity(
                RoleArn=self.role_arn, RoleSessionName=SESSION_NAME, WebIdentityToken=token
            )["Credentials"]
        except (BotoCoreError, ClientError) as error:
            raise FetchError(
                f"guest credentials from identity pool {self.identity_pool_id} and role "
                f"{self.role_arn}: {error}; check counter.identity_pool_id, counter.role_arn "
                "and counter.region in cvgen.yaml (`cvgen infra deploy --cognito` writes them)"
            ) from None
        return Credentials(issued["AccessKeyId"], issued["SecretAccessKey"], issued["SessionToken"])

    def __call__(
        self, method: str, url: str, headers: dict[str, str], body: bytes | None
    ) -> dict[str, str]:
        """`headers` plus Authorization, X-Amz-Date and X-Amz-Security-Token for this request."""
        from botocore.auth import SigV4Auth
        from botocore.awsrequest import AWSRequest

        if self._credentials is None:
            self._credentials = self._guest_credentials()
        request = AWSRequest(method=method, url=url, headers=dict(headers), data=body or b"")
        SigV4Auth(self._credentials, SERVICE, self.region).add_auth(request)
        return dict(request.headers.items())
