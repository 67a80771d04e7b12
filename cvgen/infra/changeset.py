"""Change sets as cvgen shows them, and how to read stack statuses and events. Pure."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

BUSY_SUFFIX = "_IN_PROGRESS"
CANCELLED = ("Resource creation cancelled", "Resource update cancelled")


@dataclass(frozen=True)
class ResourceChange:
    action: str  # Add, Modify, Remove, Import, Dynamic
    logical_id: str
    resource_type: str
    replacement: str = ""  # True, False, Conditional; empty for Add/Remove


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
