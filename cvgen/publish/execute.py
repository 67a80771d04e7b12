"""The S3 and CloudFront calls of a publish, and AWS errors turned into plain advice.

One boto3 session and one S3 client (thread-safe; sessions are not) shared by a bounded
thread pool; botocore retries in `standard` mode. Every failure is collected, not just
the first. Nothing here decides *what* to do: that is the plan's job.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from cvgen.bundle.headers import Headers
from cvgen.errors import CvgenError
from cvgen.publish.local import LEASE_KEY
from cvgen.publish.plan import Upload, object_key, relative_key
from cvgen.publish.release import (
    META_HEADERS,
    META_SHA,
    OBJECTS,
    CopySource,
    Listed,
    Release,
    clean_etag,
    parse_release,
    release_key,
)

if TYPE_CHECKING:
    from mypy_boto3_cloudfront import CloudFrontClient
    from mypy_boto3_s3 import S3Client

log = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")

WORKERS = 8
_THROTTLED = frozenset(
    {
        "TooManyInvalidationsInProgress",
        "Throttling",
        "ThrottlingException",
        "RequestLimitExceeded",
        "TooManyRequestsException",
        "SlowDown",
    }
)


@dataclass(frozen=True)
class Target:
    """Where to publish, after flags and cvgen.yaml were merged."""

    bucket: str
    prefix: str = ""
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    distribution_id: str | None = None

    @property
    def where(self) -> str:
        url = f"s3://{self.bucket}/{self.prefix + '/' if self.prefix else ''}"
        return url + (f" at {self.endpoint_url}" if self.endpoint_url else "")


@dataclass(frozen=True)
class Stored:
    """What S3 answered for a write: recorded in the release manifest."""

    etag: str
    version_id: str | None


def describe_error(exc: BaseException, target: Target, action: str = "") -> str:
    """One sentence saying what went wrong and what to do about it."""
    from botocore.exceptions import ClientError

    from cvgen.aws import (
        explain,
        explain_access_denied,
        iam_action,
        is_access_denied,
        max_attempts,
    )

    doing = f"{action}: " if action else ""
    setup = explain(
        exc, profile=target.profile, endpoint_url=target.endpoint_url, section="publish"
    )
    if setup is not None:
        return doing + setup
    if isinstance(exc, ClientError):
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
        message = error.get("Message") or code
        if code == "NoSuchDistribution":
            return (
                f"{doing}CloudFront distribution `{target.distribution_id}` not found; check "
                "publish.distribution_id in cvgen.yaml or --distribution-id (`cvgen infra "
                "deploy` records it), or pass --no-invalidate"
            )
        if code == "NoSuchBucket" or (code in ("404", "NotFound") and not action):
            return (
                f"{doing}bucket `{target.bucket}` does not exist ({target.where}); check "
                "publish.bucket in cvgen.yaml or --bucket, or create it with `cvgen infra deploy`"
            )
        if is_access_denied(exc):
            who = f"profile `{target.profile}`" if target.profile else "the credentials in use"
            found = iam_action(exc)
            where = (
                f"distribution {target.distribution_id}"
                if found and found[0] == "CloudFront"
                else target.where
            )
            return f"{doing}{explain_access_denied(exc, who)} ({where})"
        if code in _THROTTLED or status == 503:
            return (
                f"{doing}{code or status}: {message} (S3 is throttling or busy and still "
                f"said so after {max_attempts()} attempts; wait a minute)"
            )
        return f"{doing}{code or status}: {message}"
    if isinstance(exc, OSError):
        return f"{doing}{exc}"
    return f"{doing}{type(exc).__name__}: {exc}"


def is_aws_error(exc: BaseException) -> bool:
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, BotoCoreError | ClientError)


def error_code(exc: BaseException) -> str | None:
    """The S3 error code of a ClientError (`PreconditionFailed`, `NoSuchKey`, ...)."""
    from botocore.exceptions import ClientError

    if not isinstance(exc, ClientError):
        return None
    return str(exc.response.get("Error", {}).get("Code", "")) or None


def _server_time(answer: Mapping[str, Any]) -> float | None:
    """S3's clock at the time of an answer (its `Date` header), as a Unix time."""
    from email.utils import parsedate_to_datetime

    date = answer.get("ResponseMetadata", {}).get("HTTPHeaders", {}).get("date")
    try:
        return parsedate_to_datetime(date).timestamp() if date else None
    except (TypeError, ValueError):
        return None


class Bucket:
    """The site's objects under one prefix of one bucket, through one shared client."""

    def __init__(self, target: Target, workers: int = WORKERS) -> None:
        from botocore.exceptions import BotoCoreError

        from cvgen.aws import Aws

        self.target = target
        self.workers = workers
        self.page_size: int | None = None  # ListObjectsV2 MaxKeys; None: S3's 1000
        self.aws = Aws(
            region=target.region,
            profile=target.profile,
            endpoint_url=target.endpoint_url,
            config={
                "max_pool_connections": max(10, workers * 2),
                "connect_timeout": 10,
                "read_timeout": 60,
            },
        )
        try:
            self.s3: S3Client = self.aws.client("s3")
        except BotoCoreError as exc:
            raise CvgenError(describe_error(exc, target)) from exc
        self._cloudfront: CloudFrontClient | None = None
        # called with what is about to be written or deleted, right before each such
        # request goes out (the lease's check: a publish paused mid-upload stops there)
        self.before_change: Callable[[str], None] | None = None
        self.s3.meta.events.register("before-send.s3", self._before_send)

    def _before_send(self, request: Any, **_: Any) -> None:
        from urllib.parse import unquote, urlsplit

        if self.before_change is None or request.method not in ("PUT", "POST", "DELETE"):
            return
        key = unquote(urlsplit(request.url).path).removeprefix(f"/{self.target.bucket}")
        if not key.endswith(LEASE_KEY):
            verb = "writing" if request.method == "PUT" else "deleting"
            self.before_change(f"{verb} {key.lstrip('/')}")

    def key(self, path: str) -> str:
        return object_key(path, self.target.prefix)

    def cloudfront(self) -> CloudFrontClient:
        if self._cloudfront is None:
            self._cloudfront = self.aws.client("cloudfront")
        return self._cloudfront

    def explain(self, exc: BaseException, action: str) -> str:
        return describe_error(exc, self.target, action)

    def call(self, action: str, fn: Callable[[], T], advice: str = "") -> T:
        """Run one request whose failure ends the publish, with a clean message.

        `advice` follows the message: what the failure leaves behind and what to do.
        """
        try:
            return fn()
        except Exception as exc:
            if is_aws_error(exc):
                message = describe_error(exc, self.target, action)
                raise CvgenError(f"{message}; {advice}" if advice else message) from exc
            raise

    def list_objects(
        self, advice: str = "nothing was changed; rerunning `cvgen publish` is safe"
    ) -> dict[str, Listed]:
        """Every object under the prefix (ListObjectsV2, all pages), by site path."""
        prefix = self.key("") if self.target.prefix else ""

        def list_all() -> dict[str, Listed]:
            listed: dict[str, Listed] = {}
            paginator = self.s3.get_paginator("list_objects_v2")
            pages = paginator.paginate(
                Bucket=self.target.bucket,
                Prefix=prefix,
                PaginationConfig={"PageSize": self.page_size} if self.page_size else {},
            )
            for page in pages:
                for item in page.get("Contents", []):
                    path = relative_key(item["Key"], self.target.prefix)
                    if path is not None:
                        modified = item.get("LastModified")
                        listed[path] = Listed(
                            item["Size"],
                            clean_etag(item["ETag"]),
                            modified.timestamp() if modified else None,
                        )
            return listed

        return self.call(f"listing {self.target.where}", list_all, advice)

    def put_lease(
        self, body: bytes, *, if_none_match: bool = False, if_match: str | None = None
    ) -> str:
        """Write the lease object conditionally; its new ETag (as S3 spells it)."""
        condition: dict[str, str] = {}
        if if_none_match:
            condition["IfNoneMatch"] = "*"
        if if_match is not None:
            condition["IfMatch"] = if_match
        answer = self.s3.put_object(
            Bucket=self.target.bucket,
            Key=self.key(LEASE_KEY),
            Body=body,
            ContentType="application/json; charset=utf-8",
            CacheControl="no-store",
            **condition,  # type: ignore[arg-type]
        )
        return str(answer["ETag"])

    def read_lease(self) -> tuple[bytes, str, float] | None:
        """(body, ETag, seconds since its last write on S3's clock), or None: no lease."""
        try:
            answer = self.s3.get_object(Bucket=self.target.bucket, Key=self.key(LEASE_KEY))
        except Exception as exc:
            if error_code(exc) in ("NoSuchKey", "404"):
                return None
            raise
        body = answer["Body"].read()
        now = _server_time(answer) or time.time()
        age = max(0.0, now - answer["LastModified"].timestamp())
        return body, str(answer["ETag"]), age

    def delete_lease(self, etag: str) -> None:
        """Delete the lease object only if it is still the one with `etag`."""
        self.s3.delete_object(Bucket=self.target.bucket, Key=self.key(LEASE_KEY), IfMatch=etag)

    def read_release(self, number: int) -> Release:
        key = self.key(release_key(number))
        body = self.call(
            f"reading {key}",
            lambda: self.s3.get_object(Bucket=self.target.bucket, Key=key)["Body"].read(),
        )
        return parse_release(body, f"s3://{self.target.bucket}/{key}")

    def write_release(self, release: Release) -> None:
        """Record a release; refuses to overwrite one a concurrent publish just wrote."""
        from botocore.exceptions import ClientError

        key = self.key(release_key(release.number))
        args: dict[str, Any] = {
            "Bucket": self.target.bucket,
            "Key": key,
            "Body": release.to_json(),
            "ContentType": "application/json; charset=utf-8",
            "CacheControl": "no-store",
        }
        try:
            self.call(f"writing {key}", lambda: self.s3.put_object(**args, IfNoneMatch="*"))
        except CvgenError as exc:
            cause = exc.__cause__
            code = (
                cause.response.get("Error", {}).get("Code")
                if isinstance(cause, ClientError)
                else None
            )
            if code == "PreconditionFailed":
                raise CvgenError(
                    f"another publish recorded release {release.number} at the same time; "
                    "the files are uploaded, run `cvgen publish` again to record them"
                ) from exc
            if code != "NotImplemented":  # S3 look-alikes without conditional writes
                raise
            self.call(f"writing {key}", lambda: self.s3.put_object(**args))

    def head(self, path: str) -> tuple[str | None, str | None, str | None]:
        """(content sha256, headers sha256, version id) from the object's metadata."""
        answer = self.s3.head_object(Bucket=self.target.bucket, Key=self.key(path))
        meta = answer.get("Metadata", {})
        return meta.get(META_SHA), meta.get(META_HEADERS), answer.get("VersionId")

    def landed(self, upload: Upload) -> Stored | None:
        """What S3 holds at `upload.path` if it is exactly this upload (metadata hashes and
        size), else None: an upload whose answer was lost may well have landed."""
        try:
            answer = self.s3.head_object(Bucket=self.target.bucket, Key=self.key(upload.path))
        except Exception as exc:
            if is_aws_error(exc):
                return None
            raise
        meta = answer.get("Metadata", {})
        if (
            meta.get(META_SHA) == upload.sha256
            and meta.get(META_HEADERS) == upload.headers.digest()
            and answer.get("ContentLength") == upload.size
        ):
            return Stored(clean_etag(answer["ETag"]), answer.get("VersionId"))
        return None

    def version_exists(self, path: str, version_id: str) -> bool:
        """False when a recorded version is gone (e.g. expired by a lifecycle rule)."""
        from botocore.exceptions import ClientError

        try:
            self.s3.head_object(Bucket=self.target.bucket, Key=self.key(path), VersionId=version_id)
        except ClientError as exc:
            status = exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode")
            if status in (400, 404):
                return False
            raise
        return True

    def put(self, upload: Upload, source: Path) -> Stored:
        data = source.read_bytes()
        if hashlib.sha256(data).hexdigest() != upload.sha256:
            raise OSError(f"{source} changed while publishing; run the publish again")
        answer = self.s3.put_object(
            Bucket=self.target.bucket,
            Key=self.key(upload.path),
            Body=data,
            **_header_args(upload.headers),
            Metadata=_metadata(upload.sha256, upload.headers),
        )
        return Stored(clean_etag(answer["ETag"]), answer.get("VersionId"))

    def copy(self, upload: Upload, source: CopySource) -> Stored:
        """Server-side copy into `upload.path`, setting its headers and metadata."""
        copy_source: dict[str, str] = {
            "Bucket": self.target.bucket,
            "Key": self.key(source.key_path),
        }
        if source.version_id:
            copy_source["VersionId"] = source.version_id
        answer = self.s3.copy_object(
            Bucket=self.target.bucket,
            Key=self.key(upload.path),
            CopySource=copy_source,  # type: ignore[arg-type]
            MetadataDirective="REPLACE",
            **_header_args(upload.headers),
            Metadata=_metadata(upload.sha256, upload.headers),
        )
        return Stored(clean_etag(answer["CopyObjectResult"]["ETag"]), answer.get("VersionId"))

    def keep(self, path: str, sha256: str) -> None:
        """Copy the current object to `_cvgen/objects/<sha256>` so a rollback can restore it."""
        self.s3.copy_object(
            Bucket=self.target.bucket,
            Key=self.key(f"{OBJECTS}{sha256}"),
            CopySource={"Bucket": self.target.bucket, "Key": self.key(path)},
        )

    def delete(self, path: str) -> None:
        self.s3.delete_object(Bucket=self.target.bucket, Key=self.key(path))

    def run(
        self,
        items: Iterable[T],
        work: Callable[[T], R],
        name: Callable[[T], str],
        on_done: Callable[[], None] | None = None,
        verb: str = "",
    ) -> tuple[dict[str, R], list[str]]:
        """Run `work` on every item in the pool; (results by name, every failure message,
        each naming the operation (`verb`) and the object)."""
        results: dict[str, R] = {}
        failures: list[str] = []
        pool = ThreadPoolExecutor(max_workers=self.workers)
        try:
            futures = {pool.submit(work, item): name(item) for item in items}
            for future in as_completed(futures):
                label = futures[future]
                try:
                    results[label] = future.result()
                except Exception as exc:
                    if not (is_aws_error(exc) or isinstance(exc, OSError)):
                        raise
                    action = f"{verb} {label}" if verb else label
                    failures.append(describe_error(exc, self.target, action))
                if on_done is not None:
                    on_done()
        except BaseException:
            # Ctrl-C or a bug: start nothing new; requests under way finish on their own
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown()
        return results, sorted(failures)


def _header_args(headers: Headers) -> dict[str, Any]:
    args: dict[str, Any] = {
        "ContentType": headers.content_type,
        "CacheControl": headers.cache_control,
    }
    if headers.content_encoding:
        args["ContentEncoding"] = headers.content_encoding
    return args


def _metadata(sha256: str, headers: Headers) -> dict[str, str]:
    return {META_SHA: sha256, META_HEADERS: headers.digest()}


def caller_reference(release_number: int, paths: Iterable[str], state: Mapping[str, str]) -> str:
    """Derived from the plan: a retried call is idempotent, a new release is a new request."""
    text = "\n".join(
        [str(release_number), *sorted(paths), *(f"{p} {h}" for p, h in sorted(state.items()))]
    )
    return f"cvgen-{release_number}-{hashlib.sha256(text.encode()).hexdigest()[:32]}"


def invalidate(
    bucket: Bucket,
    paths: Iterable[str],
    reference: str,
    wait: bool = False,
    sleep: Callable[[float], None] = time.sleep,
    attempts: int = 8,
) -> str:
    """Create a CloudFront invalidation (retrying throttling) and return its id."""
    from botocore.exceptions import ClientError

    items = sorted(paths)
    target = bucket.target
    client = bucket.cloudfront()
    for attempt in range(attempts):
        try:
            answer = client.create_invalidation(
                DistributionId=str(target.distribution_id),
                InvalidationBatch={
                    "Paths": {"Quantity": len(items), "Items": items},
                    "CallerReference": reference,
                },
            )
            break
        except ClientError as exc:
            code = exc.response.get("Error", {}).get("Code", "")
            if code not in _THROTTLED or attempt == attempts - 1:
                raise CvgenError(describe_error(exc, target, "invalidating")) from exc
            delay = min(2.0**attempt, 30.0)
            log.info("CloudFront says %s; retrying in %.0f s", code, delay)
            sleep(delay)
        except Exception as exc:
            if is_aws_error(exc):
                raise CvgenError(describe_error(exc, target, "invalidating")) from exc
            raise
    invalidation_id = str(answer["Invalidation"]["Id"])
    if wait:
        wait_for_invalidation(bucket, invalidation_id, sleep)
    return invalidation_id


def wait_for_invalidation(
    bucket: Bucket,
    invalidation_id: str,
    sleep: Callable[[float], None] = time.sleep,
    timeout: float = 1800.0,
) -> None:
    """Poll until the invalidation completes (like botocore's waiter, but case-insensitive
    about the status and with a clear error when it takes too long)."""
    client = bucket.cloudfront()
    distribution = str(bucket.target.distribution_id)
    deadline = time.monotonic() + timeout
    delay = 2.0
    while True:
        answer = bucket.call(
            "waiting for the invalidation",
            lambda: client.get_invalidation(DistributionId=distribution, Id=invalidation_id),
        )
        if str(answer["Invalidation"]["Status"]).lower() == "completed":
            return
        if time.monotonic() > deadline:
            raise CvgenError(
                f"invalidation {invalidation_id} still in progress after {timeout:.0f} s; "
                "the files are published, CloudFront will finish on its own"
            )
        sleep(delay)
        delay = min(delay * 1.5, 20.0)
