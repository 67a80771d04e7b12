"""cfn-lint and checkov over every template in infra/: no findings, and only justified skips."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from tests.infra.conftest import INFRA, load_template, template_names

BIN = Path(sys.executable).parent

# Every checkov skip that may appear in infra/, and why it is acceptable. A new skip fails
# test_every_inline_skip_is_allowed until it is argued for here; a skip that is no longer
# needed fails test_every_allowed_skip_is_still_needed.
ALLOWED_SKIPS = {
    "CKV_AWS_18": "site bucket server access logs: would record visitors' IPs; writes are in CloudTrail",
    "CKV_AWS_68": "WAF on CloudFront: costs more than the whole stack; the API is throttled and capped",
    "CKV_AWS_86": "CloudFront standard logs: would store every visitor's IP address",
    "CKV_AWS_174": "TLSv1.2_2021 is set with a custom domain (tested); the default certificate takes no minimum",
    "CKV_AWS_119": "DynamoDB: encrypted with the AWS managed key; a CMK adds cost, not protection, for counts",
    "CKV_AWS_149": "Secrets Manager: AWS managed key for a salt of daily hashes",
    "CKV_AWS_158": "log groups: encrypted by default; lines hold no IPs or user agents",
    "CKV_AWS_116": "Lambda DLQ: invoked synchronously by API Gateway, a DLQ would never receive anything",
    "CKV_AWS_117": "Lambda in a VPC: talks only to public AWS endpoints; a VPC adds NAT cost and no protection",
    "CKV_AWS_173": "Lambda environment: holds no secrets (the salt is in Secrets Manager, only its ARN is passed)",
    "CKV_AWS_26": "alarm topic: CloudWatch alarms cannot publish to the AWS managed SNS key; a CMK costs more than the alerts",
    "CKV_AWS_366": "identity.yaml: guest (unauthenticated) identities are the Cognito mode's purpose",
}


@pytest.mark.parametrize("name", template_names())
def test_cfn_lint_reports_nothing(name: str) -> None:
    # informational checks too (I3011: stateful resources say what a delete does to them)
    result = subprocess.run(
        [str(BIN / "cfn-lint"), "--include-checks", "I", "--", str(INFRA / name)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0 and not result.stdout.strip(), result.stdout + result.stderr


def test_the_templates_are_all_there() -> None:
    assert {"site.yaml", "counter.yaml", "ci.yaml"} <= set(template_names())


@pytest.fixture(scope="session")
def checkov_report() -> dict[str, Any]:
    """One checkov run over infra/ per session (it takes several seconds)."""
    result = subprocess.run(
        [
            str(BIN / "checkov"),
            "--framework",
            "cloudformation",
            "-d",
            str(INFRA),
            "--output",
            "json",
            "--skip-download",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(result.stdout)
    return report[0] if isinstance(report, list) else report


def test_checkov_finds_no_failed_check(checkov_report: dict[str, Any]) -> None:
    summary = checkov_report["summary"]
    failed = [
        f"{c['check_id']} {c['file_path']} {c['resource']}: {c['check_name']}"
        for c in checkov_report["results"]["failed_checks"]
    ]
    assert summary["failed"] == 0, failed
    assert summary["parsing_errors"] == 0
    assert summary["passed"] > 20  # it really scanned the templates


def _inline_skips() -> list[tuple[str, str, str, str]]:
    """(template, resource, check id, comment) for every inline checkov skip."""
    found = []
    for name in template_names():
        for logical_id, resource in load_template(name)["Resources"].items():
            for skip in resource.get("Metadata", {}).get("checkov", {}).get("skip", []):
                found.append((name, logical_id, skip.get("id", ""), skip.get("comment", "")))
    return found


def test_every_inline_skip_is_allowed_and_justified() -> None:
    skips = _inline_skips()
    assert skips, "expected the documented skips"
    for name, logical_id, check_id, comment in skips:
        assert check_id in ALLOWED_SKIPS, f"{name} {logical_id}: {check_id} is not allow-listed"
        assert len(comment.split()) >= 8, f"{name} {logical_id}: {check_id} needs a real reason"


def test_every_allowed_skip_is_still_needed(checkov_report: dict[str, Any]) -> None:
    skipped = {c["check_id"] for c in checkov_report["results"]["skipped_checks"]}
    inline = {check_id for _, _, check_id, _ in _inline_skips()}
    assert skipped == inline  # checkov honoured exactly the inline skips, no others
    assert set(ALLOWED_SKIPS) == inline, "drop allow-list entries no template uses"


def test_the_guest_role_skip_is_the_identity_templates_only_skip() -> None:
    identity = [s for s in _inline_skips() if s[0] == "identity.yaml"]
    assert [s[2] for s in identity] == ["CKV_AWS_366"]
