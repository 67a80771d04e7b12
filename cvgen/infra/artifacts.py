"""The artifact bucket: created once, private and encrypted (not versioned: each zip's key
holds its content hash, so nothing is ever overwritten); the counter's zip uploaded by content
hash; emptied (every version, should versioning ever be turned on) before it is deleted."""

from __future__ import annotations

from typing import Any

from botocore.exceptions import ClientError

from cvgen.errors import CvgenError
from cvgen.infra.package import Package
from cvgen.ui import Ui


def ensure_artifact_bucket(s3: Any, bucket: str, region: str, ui: Ui) -> None:
    """Create the private, encrypted artifact bucket unless it exists."""

    try:
        s3.head_bucket(Bucket=bucket)
        return
    except ClientError as exc:
        code = str(exc.response.get("Error", {}).get("Code", ""))
        if code not in ("404", "NoSuchBucket", "NotFound"):
            raise CvgenError(
                f"artifact bucket {bucket}: {code or exc}; it may belong to another account: "
                "set infra.artifact_bucket in cvgen.yaml to a bucket you own"
            ) from exc
    ui.echo(f"creating artifact bucket {bucket}")
    create: dict[str, Any] = {"Bucket": bucket, "ObjectOwnership": "BucketOwnerEnforced"}
    if region != "us-east-1":
        create["CreateBucketConfiguration"] = {"LocationConstraint": region}
    s3.create_bucket(**create)
    s3.put_public_access_block(
        Bucket=bucket,
        PublicAccessBlockConfiguration={
            "BlockPublicAcls": True,
            "IgnorePublicAcls": True,
            "BlockPublicPolicy": True,
            "RestrictPublicBuckets": True,
        },
    )
    s3.put_bucket_encryption(
        Bucket=bucket,
        ServerSideEncryptionConfiguration={
            "Rules": [
                {
                    "ApplyServerSideEncryptionByDefault": {"SSEAlgorithm": "AES256"},
                    "BucketKeyEnabled": True,
                }
            ]
        },
    )


def upload_package(s3: Any, bucket: str, package: Package, ui: Ui) -> None:
    """Upload the zip under its content-addressed key unless it is there already."""

    try:
        s3.head_object(Bucket=bucket, Key=package.key)
        ui.echo(f"counter code unchanged: s3://{bucket}/{package.key}")
        return
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) not in ("404", "NoSuchKey", "NotFound"):
            raise
    ui.echo(f"uploading counter code: s3://{bucket}/{package.key} ({len(package.data)} bytes)")
    s3.put_object(
        Bucket=bucket,
        Key=package.key,
        Body=package.data,
        ContentType="application/zip",
        ChecksumAlgorithm="SHA256",
    )


def empty_bucket(s3: Any, bucket: str, ui: Ui) -> int:
    """Delete every object version and delete marker; return how many were removed."""

    removed = 0
    try:
        pages = s3.get_paginator("list_object_versions").paginate(Bucket=bucket)
        for page in pages:
            keys = [
                {"Key": item["Key"], "VersionId": item["VersionId"]}
                for kind in ("Versions", "DeleteMarkers")
                for item in page.get(kind, [])
            ]
            for start in range(0, len(keys), 1000):
                batch = keys[start : start + 1000]
                result = s3.delete_objects(Bucket=bucket, Delete={"Objects": batch, "Quiet": True})
                if result.get("Errors"):
                    first = result["Errors"][0]
                    raise CvgenError(
                        f"emptying s3://{bucket}: {first.get('Key')}: {first.get('Message')}"
                    )
                removed += len(batch)
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) in ("NoSuchBucket", "404"):
            return removed
        raise
    ui.echo(f"emptied s3://{bucket}: {removed} object versions removed")
    return removed
