"""Cognito guest signing for `cvgen smoke` in Cognito mode.

The counter API then takes only requests signed (SigV4, service `execute-api`) with guest
credentials from the identity pool, exactly what the page's script does in a browser:
GetId, GetCredentialsForIdentity (both unsigned calls), then sign each request. boto3's
usual endpoint settings apply, so `AWS_ENDPOINT_URL_COGNITO_IDENTITY` points it at a
stand-in.
"""

from __future__ import annotations

from typing import Any

from cvgen.smoke.client import FetchError

SERVICE = "execute-api"


class GuestSigner:
    """Signs requests with one guest identity's credentials, fetched on first use."""

    def __init__(self, identity_pool_id: str, region: str) -> None:
        self.identity_pool_id = identity_pool_id
        self.region = region
        self._credentials: Any = None

    def _guest_credentials(self) -> Any:
        import boto3
        from botocore import UNSIGNED
        from botocore.config import Config
        from botocore.credentials import Credentials
        from botocore.exceptions import BotoCoreError, ClientError

        cognito = boto3.session.Session().client(
            "cognito-identity",
            region_name=self.region,
            config=Config(signature_version=UNSIGNED, retries={"mode": "standard"}),
        )
        try:
            identity = cognito.get_id(IdentityPoolId=self.identity_pool_id)["IdentityId"]
            issued = cognito.get_credentials_for_identity(IdentityId=identity)["Credentials"]
        except (BotoCoreError, ClientError) as error:
            raise FetchError(
                f"guest credentials from identity pool {self.identity_pool_id}: {error}; "
                "check counter.identity_pool_id and counter.region in cvgen.yaml"
            ) from None
        return Credentials(issued["AccessKeyId"], issued["SecretKey"], issued["SessionToken"])

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
