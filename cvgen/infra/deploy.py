"""Deploying cvgen's stacks through CloudFormation change sets, and tearing them down.

`StackDeployer` (here) does the CloudFormation work for one stack at a time: create a change set,
show it, execute it and wait with progress, and on failure report the failing resource's
reason from the stack events. `deploy_infra`, `plan_infra` and `destroy_infra` are the
orchestrators behind `cvgen infra deploy|plan|destroy`: one readable function each.
Beside it: `changeset` (reading change sets and stack events, pure) and `artifacts` (the
artifact bucket and the counter's zip); `stacks.settle_stacks` gives both deploy and plan
the stacks in order; progress goes through `cvgen.ui.Ui`.
"""

from __future__ import annotations

import logging
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from botocore.exceptions import ClientError

from cvgen.aws import UNVERIFIED_ACCOUNT_ADVICE, Aws, is_unverified_account
from cvgen.errors import CvgenError
from cvgen.infra import stacks
from cvgen.infra.artifacts import empty_bucket, ensure_artifact_bucket, upload_package
from cvgen.infra.changeset import (
    STUCK,
    ChangeSet,
    ResourceChange,
    failure_reason,
    format_change_set,
    format_event,
    is_busy,
    is_failure,
    resource_change,
    stuck_resources,
    way_out,
)
from cvgen.infra.package import build_package
from cvgen.infra.stacks import DeployOptions, StackSpec
from cvgen.ui import Ui

logger = logging.getLogger(__name__)

NO_CHANGES = ("didn't contain changes", "No updates are to be performed")
HEARTBEAT_SECONDS = 60.0


# --- one stack ----------------------------------------------------------------------------


class StackDeployer:
    """Change sets for one stack at a time, with progress and failure reasons."""

    def __init__(
        self,
        cfn: Any,
        ui: Ui,
        poll_seconds: float = 5.0,
        timeout_seconds: float = 3600.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.cfn = cfn
        self.ui = ui
        self.poll_seconds = poll_seconds
        self.timeout_seconds = timeout_seconds
        self.sleep = sleep

    def status(self, stack: str) -> str | None:
        """The stack's status, or None when it does not exist (or was never executed)."""
        try:
            found = self.cfn.describe_stacks(StackName=stack)["Stacks"]
        except ClientError as exc:
            if "does not exist" in str(exc):
                return None
            raise
        status = str(found[0]["StackStatus"]) if found else None
        return None if status in (None, "DELETE_COMPLETE") else status

    def way_out(self, stack: str, status: str) -> str:
        """What to run to free a stack CloudFormation accepts no change set for."""
        try:
            found = self.cfn.describe_stack_resources(StackName=stack).get("StackResources", [])
        except ClientError:
            found = []  # the advice is still right, only less specific
        advice = way_out(stack, status, self.cfn.meta.region_name or "", stuck_resources(found))
        return advice or f"stack {stack} is {status}; see its events in the console"

    def exists(self, stack: str) -> bool:
        """Whether the stack is deployed (a failed first create that rolled back is not)."""
        return self.status(stack) not in (None, "REVIEW_IN_PROGRESS", "ROLLBACK_COMPLETE")

    def outputs(self, stack: str) -> dict[str, str]:
        if self.status(stack) in (None, "REVIEW_IN_PROGRESS"):
            return {}
        found = self.cfn.describe_stacks(StackName=stack)["Stacks"][0]
        return {o["OutputKey"]: str(o["OutputValue"]) for o in found.get("Outputs") or []}

    def parameters(self, stack: str) -> dict[str, str] | None:
        """The stack's parameter values, or None when it does not exist."""
        if self.status(stack) in (None, "REVIEW_IN_PROGRESS"):
            return None
        found = self.cfn.describe_stacks(StackName=stack)["Stacks"][0]
        return {
            p["ParameterKey"]: str(p.get("ParameterValue", ""))
            for p in found.get("Parameters") or []
        }

    def create_change_set(
        self, spec: StackSpec, template_body: str, cleanup: bool = True
    ) -> ChangeSet:
        """Create the change set and wait until it is ready; `cleanup=False` never deletes."""
        status = self.status(spec.name)
        if status is not None and is_busy(status):
            raise CvgenError(
                f"stack {spec.name} is busy ({status}); wait until it settles and run again"
            )
        if status in STUCK:
            raise CvgenError(self.way_out(spec.name, status))
        if status == "ROLLBACK_COMPLETE":
            # A first deploy that failed leaves an empty stack that can only be deleted.
            if not cleanup:
                raise CvgenError(
                    f"stack {spec.name} is ROLLBACK_COMPLETE after a failed first deploy; "
                    "`cvgen infra deploy` deletes and re-creates it"
                )
            self.ui.echo(
                f"{spec.name} is ROLLBACK_COMPLETE after a failed first deploy; deleting it"
            )
            self.delete_stack(spec.name)
            status = None
        is_new = status in (None, "REVIEW_IN_PROGRESS")
        name = f"cvgen-{uuid.uuid4().hex[:16]}"
        logger.info("creating change set %s for %s (%s)", name, spec.name, spec.parameters)
        try:
            self._create(spec, name, template_body, is_new)
        except ClientError as exc:
            # Some endpoints refuse an unchanged update outright instead of failing the set.
            if any(marker in str(exc) for marker in NO_CHANGES):
                return ChangeSet(spec.name, "", is_new)
            raise
        return self._wait_for_change_set(spec.name, name, is_new)

    def _create(self, spec: StackSpec, name: str, template_body: str, is_new: bool) -> None:
        self.cfn.create_change_set(
            StackName=spec.name,
            ChangeSetName=name,
            ChangeSetType="CREATE" if is_new else "UPDATE",
            TemplateBody=template_body,
            Parameters=[
                {"ParameterKey": key, "ParameterValue": value}
                for key, value in spec.parameters.items()
            ],
            Capabilities=["CAPABILITY_IAM"],
            Tags=[{"Key": "cvgen:stack", "Value": spec.key}],
            Description=f"cvgen infra {spec.key}",
        )

    def _wait_for_change_set(self, stack: str, name: str, is_new: bool) -> ChangeSet:
        deadline = time.monotonic() + self.timeout_seconds
        while True:
            described = self.cfn.describe_change_set(StackName=stack, ChangeSetName=name)
            state = described["Status"]
            if state == "CREATE_COMPLETE":
                break
            if state == "FAILED":
                reason = str(described.get("StatusReason", ""))
                if any(marker in reason for marker in NO_CHANGES):
                    return ChangeSet(stack, name, is_new)
                self.cfn.delete_change_set(StackName=stack, ChangeSetName=name)
                raise CvgenError(f"CloudFormation refused the change set for {stack}: {reason}")
            if time.monotonic() > deadline:
                raise CvgenError(f"timed out waiting for the change set of {stack}")
            self.sleep(min(self.poll_seconds, 2.0))
        changes: list[ResourceChange] = []
        while True:
            changes.extend(resource_change(item) for item in described.get("Changes", []))
            token = described.get("NextToken")
            if not token:
                break
            described = self.cfn.describe_change_set(
                StackName=stack, ChangeSetName=name, NextToken=token
            )
        return ChangeSet(stack, name, is_new, tuple(changes))

    def discard(self, change_set: ChangeSet) -> None:
        """Delete a change set that will not run, and the empty stack a new one created."""
        if not change_set.name:
            return  # CloudFormation refused to create it (nothing to change)
        self.cfn.delete_change_set(StackName=change_set.stack, ChangeSetName=change_set.name)
        if change_set.is_new_stack and self.status(change_set.stack) == "REVIEW_IN_PROGRESS":
            self.cfn.delete_stack(StackName=change_set.stack)

    def execute(self, change_set: ChangeSet) -> None:
        """Run the change set and wait; raise CvgenError with the failing resource's reason."""
        before = self._event_ids(change_set.stack)
        try:
            self.cfn.execute_change_set(StackName=change_set.stack, ChangeSetName=change_set.name)
        except ClientError as exc:
            error = exc.response.get("Error", {})
            reason = failure_reason(self._events_since(change_set.stack, before), change_set.stack)
            raise CvgenError(
                f"deploying {change_set.stack} failed: {reason or ''}"
                f"{'; ' if reason else ''}{error.get('Code')}: {error.get('Message')}"
            ) from exc
        self._wait(change_set.stack, before, action="deploying")

    def delete_stack(self, stack: str) -> None:
        before = self._event_ids(stack)
        stack_id = self.cfn.describe_stacks(StackName=stack)["Stacks"][0]["StackId"]
        self.cfn.delete_stack(StackName=stack)
        # A deleted stack is only found by its id.
        self._wait(stack_id, before, action="deleting", label=stack)

    def _event_ids(self, stack: str) -> set[str]:
        """Ids of the stack's most recent events: where the next operation's events start."""
        try:
            page = self.cfn.describe_stack_events(StackName=stack)
        except ClientError:
            return set()
        return {str(e["EventId"]) for e in page.get("StackEvents", [])}

    def _events_since(self, stack: str, before: set[str]) -> list[dict[str, Any]]:
        """Events newer than `before`, newest first; stops paging at the first old one."""
        events: list[dict[str, Any]] = []
        try:
            for page in self.cfn.get_paginator("describe_stack_events").paginate(StackName=stack):
                for event in page.get("StackEvents", []):
                    if event["EventId"] in before:
                        return events
                    events.append(event)
        except ClientError:
            pass
        return events

    def _wait(self, stack: str, before: set[str], action: str, label: str | None = None) -> None:
        label = label or stack
        started = last_news = time.monotonic()
        deadline = started + self.timeout_seconds
        shown: set[str] = set()
        while True:
            events = self._events_since(stack, before)
            for event in reversed(events):  # oldest first
                if event["EventId"] not in shown:
                    shown.add(event["EventId"])
                    self.ui.echo(format_event(event))
                    last_news = time.monotonic()
            described = self.cfn.describe_stacks(StackName=stack)["Stacks"][0]
            status = str(described["StackStatus"])
            if not is_busy(status):
                break
            if time.monotonic() - last_news >= HEARTBEAT_SECONDS:
                # CloudFront distributions take minutes without a single event: say we wait.
                self.ui.echo(f"  ... {label} {status} ({time.monotonic() - started:.0f} s)")
                last_news = time.monotonic()
            if time.monotonic() > deadline:
                raise CvgenError(
                    f"{action} {label}: still {status} after {self.timeout_seconds:.0f} s; "
                    "it goes on in CloudFormation: watch it in the console"
                )
            self.sleep(self.poll_seconds)
        if is_failure(status):
            reason = failure_reason(self._events_since(stack, before), label) or described.get(
                "StackStatusReason"
            )
            advice = f"; {UNVERIFIED_ACCOUNT_ADVICE}" if is_unverified_account(reason or "") else ""
            if status in STUCK:
                advice += f". {self.way_out(label, status)}"
            raise CvgenError(
                f"{action} {label} failed ({status}): {reason or 'see the stack events'}{advice}"
            )
        self.ui.echo(f"{label}: {status}")


# --- orchestrators ------------------------------------------------------------------------


@dataclass(frozen=True)
class DeployResult:
    outputs: dict[str, stacks.Outputs]
    config_updates: dict[str, dict[str, str | int | None]]
    repository_variables: dict[str, str]


class Declined(CvgenError):
    """The user said no to a change set."""


def _apply(
    deployer: StackDeployer,
    spec: StackSpec,
    templates: Path,
    ui: Ui,
    yes: bool,
    code_only: bool = False,
) -> dict[str, str]:
    """Create, show, confirm and execute one stack's change set; return its outputs."""
    from cvgen.infra.scope import out_of_scope, refusal

    body = (templates / spec.template).read_text(encoding="utf-8")
    # CI's role may not delete a stack, so --code-only never cleans up a failed first create
    change_set = deployer.create_change_set(spec, body, cleanup=not code_only)
    for line in format_change_set(change_set):
        ui.echo(line)
    if change_set.empty:
        deployer.discard(change_set)
        return deployer.outputs(spec.name)
    refused = out_of_scope(spec.key, change_set.changes) if code_only else []
    if refused:
        deployer.discard(change_set)
        raise CvgenError(refusal(change_set, refused))
    if not yes and not ui.confirm(f"Deploy these changes to {spec.name}?"):
        deployer.discard(change_set)
        raise Declined(f"stopped at {spec.name}: nothing was changed in it")
    deployer.execute(change_set)
    return deployer.outputs(spec.name)


class _Deployers:
    """The deploy region's StackDeployer, and the budget region's when a stack lives there."""

    def __init__(self, aws: Aws, ui: Ui, main: StackDeployer) -> None:
        self.aws, self.ui, self.main = aws, ui, main
        self._budget: StackDeployer | None = None

    def budget(self) -> StackDeployer:
        if self.aws.region == stacks.BUDGET_REGION:
            return self.main
        if self._budget is None:
            cfn = self.aws.client("cloudformation", region=stacks.BUDGET_REGION)
            self._budget = StackDeployer(cfn, self.ui)
        return self._budget

    def of(self, spec: StackSpec) -> StackDeployer:
        return self.budget() if spec.region == stacks.BUDGET_REGION else self.main


def _sources(
    deployer: StackDeployer, options: DeployOptions, bucket: str, code_key: str, url: str | None
) -> stacks.Sources:
    """What the stacks' parameters take from before this run (deploy and plan alike)."""
    return stacks.Sources(
        bucket,
        code_key,
        url,
        deployer.outputs(options.stack_name(stacks.SITE)),
        deployer.exists(options.stack_name(stacks.COUNTER)),
    )


def _artifact_bucket(aws: Aws, options: DeployOptions, configured: str | None) -> str:
    """infra.artifact_bucket from cvgen.yaml, else the default name for this account."""
    return configured or stacks.artifact_bucket_name(
        options.stack_prefix, aws.account_id(), options.region
    )


def deploy_infra(
    aws: Aws,
    options: DeployOptions,
    templates: Path,
    lambda_source: Path,
    ui: Ui,
    yes: bool,
    current_url: str | None,
    artifact_bucket: str | None = None,
) -> DeployResult:
    """Package and upload the counter's code, then deploy every stack in order."""
    deployer = StackDeployer(aws.client("cloudformation"), ui)
    bucket = _artifact_bucket(aws, options, artifact_bucket)
    package = build_package(lambda_source)
    ensure_artifact_bucket(aws.client("s3"), bucket, options.region, ui)
    upload_package(aws.client("s3"), bucket, package, ui)
    options = _with_oidc_provider(aws, deployer, options)
    sources = _sources(deployer, options, bucket, package.key, current_url)

    deployers = _Deployers(aws, ui, deployer)

    def deploy(spec: StackSpec) -> dict[str, str]:
        return _apply(deployers.of(spec), spec, templates, ui, yes, options.code_only)

    settled = stacks.settle_stacks(options, sources, deploy, ui.echo)
    outputs: dict[str, stacks.Outputs] = {
        stacks.COUNTER: settled.counter,
        stacks.SITE: settled.site,
    }
    if settled.identity is not None:
        outputs[stacks.IDENTITY] = settled.identity
    if settled.budget is not None:
        outputs[stacks.BUDGET] = settled.budget
    elif not options.code_only and not deployers.budget().exists(options.stack_name(stacks.BUDGET)):
        ui.echo(stacks.budget_advice(options))
    variables: dict[str, str] = {}
    if settled.ci is not None:
        outputs[stacks.CI] = settled.ci
        variables = stacks.repository_variables(options, settled.ci)
    updates = stacks.config_updates(
        options, settled.site, settled.counter, settled.identity, current_url, bucket
    )
    return DeployResult(outputs, updates, variables)


def _with_oidc_provider(aws: Aws, deployer: StackDeployer, options: DeployOptions) -> DeployOptions:
    """Options naming the GitHub OIDC provider the CI stack reuses, if it is in this run and
    one exists (see cvgen.infra.github); deploy and plan both ask, so they agree."""
    if not options.github_repo or options.code_only:
        return options
    from cvgen.infra.github import existing_provider, provider_parameter

    current = deployer.parameters(options.stack_name(stacks.CI))
    found = None
    if not options.oidc_provider_arn and current is None:
        found = existing_provider(aws.client("iam"))
    chosen = provider_parameter(options.oidc_provider_arn, current, found)
    return replace(options, oidc_provider_arn=chosen or None)


def plan_infra(
    aws: Aws,
    options: DeployOptions,
    templates: Path,
    lambda_source: Path,
    ui: Ui,
    current_url: str | None,
    artifact_bucket: str | None = None,
) -> list[ChangeSet]:
    """Create every stack's change set, show it, and delete it again: nothing changes.

    Stacks that do not exist yet give the stacks after them placeholder inputs (shown as
    such), since their real outputs exist only once they are deployed. The zip is hashed,
    not uploaded: the plan shows whether the code changed through the counter's CodeKey.
    """
    deployer = StackDeployer(aws.client("cloudformation"), ui)
    bucket = _artifact_bucket(aws, options, artifact_bucket)
    package = build_package(lambda_source)
    options = _with_oidc_provider(aws, deployer, options)
    sources = _sources(deployer, options, bucket, package.key, current_url)
    # what a stack not deployed yet stands in with, for the stacks planned after it
    needed_later = {stacks.COUNTER: "later stacks are", stacks.SITE: "the CI stack is"}
    if not options.github_repo:
        del needed_later[stacks.SITE]
    planned: list[ChangeSet] = []

    deployers = _Deployers(aws, ui, deployer)

    def plan(spec: StackSpec) -> stacks.Outputs:
        body = (templates / spec.template).read_text(encoding="utf-8")
        here = deployers.of(spec)
        change_set = here.create_change_set(spec, body, cleanup=False)
        for line in format_change_set(change_set):
            ui.echo(line)
        here.discard(change_set)
        planned.append(change_set)
        current = here.outputs(spec.name)
        if current or spec.key not in needed_later:
            return current
        ui.echo(
            f"({spec.name} does not exist yet: {needed_later[spec.key]} planned with "
            "placeholder inputs)"
        )
        return stacks.placeholder_outputs(options, spec.key, aws.account_id())

    stacks.settle_stacks(options, sources, plan, ui.echo)
    return planned


def destroy_infra(
    aws: Aws, options: DeployOptions, ui: Ui, yes: bool, artifact_bucket: str | None = None
) -> list[str]:
    """Empty the buckets and delete every cvgen stack; the counter table is retained."""
    deployer = StackDeployer(aws.client("cloudformation"), ui)
    deployers = _Deployers(aws, ui, deployer)
    budget = options.stack_name(stacks.BUDGET)
    has_budget = deployers.budget().status(budget) is not None
    existing = [budget] if has_budget else []
    existing += [
        options.stack_name(key)
        for key in stacks.DESTROY_ORDER
        if deployer.status(options.stack_name(key)) is not None
    ]
    bucket = _artifact_bucket(aws, options, artifact_bucket)
    if not existing:
        ui.echo(f"no cvgen stacks named {options.stack_prefix}-* in {options.region}")
    else:
        ui.echo("This deletes: " + ", ".join(existing) + f", and the artifact bucket {bucket}.")
    ui.echo(
        "The counter table is kept (DeletionPolicy Retain and deletion protection), so the "
        "view counts survive; to drop them too, turn off its deletion protection and delete "
        "it yourself (`aws dynamodb update-table --no-deletion-protection-enabled` then "
        "`aws dynamodb delete-table`)."
    )
    if not yes and not ui.confirm("Delete these stacks and empty their buckets?"):
        raise Declined("nothing was deleted")
    site_name = options.stack_name(stacks.SITE)
    if site_name in existing:
        site_bucket = deployer.outputs(site_name).get("BucketName")
        if site_bucket:
            empty_bucket(aws.client("s3"), site_bucket, ui)
    for name in existing:
        ui.echo(f"deleting {name}")
        (deployers.budget() if name == budget else deployer).delete_stack(name)
    s3 = aws.client("s3")
    empty_bucket(s3, bucket, ui)
    try:
        s3.delete_bucket(Bucket=bucket)
        ui.echo(f"deleted artifact bucket {bucket}")
    except ClientError as exc:
        if str(exc.response.get("Error", {}).get("Code")) not in ("NoSuchBucket", "404"):
            raise
    return existing
