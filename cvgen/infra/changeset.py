"""Change sets as cvgen shows them, and how to read stack statuses and events. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

BUSY_SUFFIX = "_IN_PROGRESS"
CANCELLED = ("Resource creation cancelled", "Resource update cancelled")


@dataclass(frozen=True)
class ChangeDetail:
    """One of a resource change's `Details[]`: what changes, how sure CloudFormation is, why.

    A Modify that CloudFormation can only guess at (`Evaluation: Dynamic`, e.g. a property
    fed by another resource's `!GetAtt` that *might* change) is listed all the same: these
    are what a reader needs to see when a change set is refused.
    """

    attribute: str  # Target.Attribute: Properties, Metadata, Tags, ...
    name: str = ""  # Target.Name: the property, when the attribute is Properties
    requires_recreation: str = ""  # Target.RequiresRecreation: Never, Conditionally, Always
    evaluation: str = ""  # Static, Dynamic
    change_source: str = ""  # DirectModification, ResourceReference, ParameterReference, ...
    causing_entity: str = ""  # e.g. Function.Arn, CodeKey

    def describe(self) -> str:
        """`Properties.IntegrationUri (Dynamic, from ResourceAttribute Function.Arn)`."""
        target = f"{self.attribute}.{self.name}" if self.name else self.attribute
        why = ", ".join(
            part
            for part in (
                self.evaluation,
                " ".join(p for p in ("from", self.change_source, self.causing_entity) if p)
                if self.change_source
                else "",
                f"recreation {self.requires_recreation}"
                if self.requires_recreation not in ("", "Never")
                else "",
            )
            if part
        )
        return f"{target} ({why})" if why else target


@dataclass(frozen=True)
class ResourceChange:
    action: str  # Add, Modify, Remove, Import, Dynamic
    logical_id: str
    resource_type: str
    replacement: str = ""  # True, False, Conditional; empty for Add/Remove
    scope: tuple[str, ...] = ()  # Properties, Metadata, Tags, ...
    details: tuple[ChangeDetail, ...] = ()

    def describe(self) -> str:
        """One line with everything CloudFormation said about the change."""
        line = f"{self.action} {self.logical_id} ({self.resource_type})"
        if self.action == "Modify":
            line += f", replacement {self.replacement or 'False'}"
        if self.scope:
            line += f", scope {'/'.join(self.scope)}"
        if self.details:
            line += ": " + "; ".join(detail.describe() for detail in self.details)
        return line


def resource_change(item: Mapping[str, Any]) -> ResourceChange:
    """A `Changes[]` entry of DescribeChangeSet as cvgen reads it."""
    rc = item.get("ResourceChange") or {}
    details = []
    for detail in rc.get("Details") or []:
        target = detail.get("Target") or {}
        details.append(
            ChangeDetail(
                attribute=str(target.get("Attribute", "")),
                name=str(target.get("Name", "")),
                requires_recreation=str(target.get("RequiresRecreation", "")),
                evaluation=str(detail.get("Evaluation", "")),
                change_source=str(detail.get("ChangeSource", "")),
                causing_entity=str(detail.get("CausingEntity", "")),
            )
        )
    return ResourceChange(
        action=str(rc.get("Action", "")),
        logical_id=str(rc.get("LogicalResourceId", "")),
        resource_type=str(rc.get("ResourceType", "")),
        replacement=str(rc.get("Replacement", "")),
        scope=tuple(str(s) for s in rc.get("Scope") or []),
        details=tuple(details),
    )


@dataclass(frozen=True)
class ChangeSet:
    stack: str
    name: str  # empty when CloudFormation answered "no changes" without creating one
    is_new_stack: bool
    changes: tuple[ResourceChange, ...] = ()

    @property
    def empty(self) -> bool:
        return not self.changes


def format_change_set(change_set: ChangeSet) -> list[str]:
    """Lines showing what a change set does: one per resource, with replacement."""
    verb = "create" if change_set.is_new_stack else "update"
    if change_set.empty:
        return [f"{change_set.stack}: no changes"]
    count = len(change_set.changes)
    lines = [f"{change_set.stack} ({verb}): {count} change{'s' if count != 1 else ''}"]
    width_id = max(len(c.logical_id) for c in change_set.changes)
    width_type = max(len(c.resource_type) for c in change_set.changes)
    for change in change_set.changes:
        line = f"  {change.action:<7} {change.logical_id:<{width_id}}  {change.resource_type:<{width_type}}"
        if change.action == "Modify":
            line += f"  replacement: {change.replacement or 'False'}"
        lines.append(line.rstrip())
    return lines


@dataclass(frozen=True)
class StuckResource:
    """A resource CloudFormation could not delete (DescribeStackResources: DELETE_FAILED)."""

    logical_id: str
    resource_type: str
    physical_id: str


# Statuses from which CloudFormation accepts no change set: only the commands of `way_out`.
STUCK = ("ROLLBACK_FAILED", "UPDATE_ROLLBACK_FAILED", "DELETE_FAILED")


def way_out(
    stack: str, status: str, region: str, stuck: Sequence[StuckResource] = ()
) -> str | None:
    """The exact commands that free a stack in one of the `STUCK` statuses, or None.

    ROLLBACK_FAILED: a first create failed and its rollback could not delete something (a
    deletion-protected table, typically): make it deletable, delete the stack, deploy again.
    UPDATE_ROLLBACK_FAILED: `continue-update-rollback`. DELETE_FAILED: delete again, keeping
    what could not be deleted (`--retain-resources` is accepted only in that status).
    """
    at = f" --region {region}" if region else ""
    delete = f"`aws cloudformation delete-stack --stack-name {stack}{at}`"
    names = ", ".join(f"{r.logical_id} ({r.resource_type} {r.physical_id})" for r in stuck)
    if status == "UPDATE_ROLLBACK_FAILED":
        return (
            f"stack {stack} is UPDATE_ROLLBACK_FAILED: an update failed and so did its "
            "rollback, and CloudFormation accepts no change until the rollback is finished. "
            f"Run `aws cloudformation continue-update-rollback --stack-name {stack}{at}` (if a "
            "resource still cannot roll back, its reason is in the stack events; add "
            "`--resources-to-skip LOGICAL_ID` to leave it as it is), then `cvgen infra deploy`"
        )
    if status == "ROLLBACK_FAILED":
        steps = [
            f"`aws dynamodb update-table --table-name {r.physical_id} "
            f"--no-deletion-protection-enabled{at}`"
            for r in stuck
            if r.resource_type == "AWS::DynamoDB::Table" and r.physical_id
        ]
        others = [r for r in stuck if r.resource_type != "AWS::DynamoDB::Table"]
        if others:
            steps.append(
                "remove "
                + ", ".join(f"{r.logical_id} ({r.physical_id or r.resource_type})" for r in others)
                + " by hand (the stack events say why it could not be deleted)"
            )
        steps += [delete, "`cvgen infra deploy`"]
        left = f" ({names})" if names else ""
        return (
            f"stack {stack} is ROLLBACK_FAILED: its first create failed and the rollback could "
            f"not delete everything it made{left}; nothing can be deployed to it. The way out: "
            + ", then ".join(steps)
        )
    if status == "DELETE_FAILED":
        keep = " ".join(r.logical_id for r in stuck)
        retain = f" --retain-resources {keep}" if keep else ""
        left = f" could not delete {names}" if names else " failed"
        return (
            f"stack {stack} is DELETE_FAILED: its deletion{left}. Delete it again, keeping "
            f"those: `aws cloudformation delete-stack --stack-name {stack}{at}{retain}` (then "
            "delete them by hand if you do not want them), then `cvgen infra deploy`"
        )
    return None


def stuck_resources(resources: Iterable[Mapping[str, Any]]) -> list[StuckResource]:
    """The DELETE_FAILED ones among DescribeStackResources' `StackResources`."""
    return [
        StuckResource(
            str(r.get("LogicalResourceId", "")),
            str(r.get("ResourceType", "")),
            str(r.get("PhysicalResourceId", "")),
        )
        for r in resources
        if r.get("ResourceStatus") == "DELETE_FAILED"
    ]


def is_busy(status: str) -> bool:
    return status.endswith(BUSY_SUFFIX) and status != "REVIEW_IN_PROGRESS"


def is_failure(status: str) -> bool:
    return "ROLLBACK" in status or status.endswith("_FAILED")


def failure_reason(events: Iterable[Mapping[str, Any]], stack_name: str) -> str | None:
    """The first real failure among stack events (given newest first, as AWS returns them).

    Skips resources that failed only because another one did ("Resource creation cancelled")
    and the stack's own rollback summary, so the reason names the resource that broke.
    """
    failures = [
        event
        for event in events
        if str(event.get("ResourceStatus", "")).endswith("_FAILED")
        and event.get("ResourceStatusReason")
        and not str(event["ResourceStatusReason"]).startswith(CANCELLED)
    ]
    resource_failures = [e for e in failures if e.get("LogicalResourceId") != stack_name]
    chosen = (resource_failures or failures)[-1:] if failures else []
    if not chosen:
        return None
    event = chosen[0]
    return (
        f"{event.get('LogicalResourceId')} ({event.get('ResourceType')}) "
        f"{event.get('ResourceStatus')}: {event.get('ResourceStatusReason')}"
    )


def format_event(event: Mapping[str, Any]) -> str:
    reason = event.get("ResourceStatusReason") or ""
    line = f"  {event.get('ResourceStatus', ''):<20} {event.get('ResourceType', ''):<36} {event.get('LogicalResourceId', '')}"
    return f"{line}  {reason}" if reason and reason != "User Initiated" else line
