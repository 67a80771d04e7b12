"""What CI may deploy: counter code updates, and nothing else.

The CI role may update the counter function's code and nothing else that CloudFormation
manages (CloudFormation acts with the caller's credentials, so any other change would roll
back half-way with AccessDenied). `cvgen infra deploy --code-only`, which the deploy workflow
runs, checks every change set against this before executing it and refuses, with nothing
changed, any that does more: template changes are deployed from a machine with broader
credentials. Pure: change sets in, refusals out.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from cvgen.infra import stacks

if TYPE_CHECKING:
    from cvgen.infra.changeset import ChangeSet, ResourceChange

# (stack key, logical id, type) of the one resource CI may change, and only in place.
CODE_ONLY = frozenset({(stacks.COUNTER, "Function", "AWS::Lambda::Function")})

# Replacement values that mean "updated in place". A Modify's Replacement is True, False or
# Conditional (it depends on a value known only while updating): Conditional may replace the
# function, which the CI role cannot do, so only a sure False (or no answer) passes.
IN_PLACE = ("", "False")


def out_of_scope(stack_key: str, changes: Iterable[ResourceChange]) -> list[ResourceChange]:
    """The changes the CI role may not make (empty: the change set is only a code update)."""
    return [
        change
        for change in changes
        if not (
            change.action == "Modify"
            and (stack_key, change.logical_id, change.resource_type) in CODE_ONLY
            and change.replacement in IN_PLACE
        )
    ]


def refusal(change_set: ChangeSet, refused: list[ResourceChange]) -> str:
    """Why a change set was not executed, each refused change as CloudFormation described it
    (action, replacement, scope, and per detail the target, evaluation and cause), and what to
    do instead."""
    listed = "".join(f"\n  {change.describe()}" for change in refused)
    return (
        f"{change_set.stack}: this change set does more than CI may change (the counter "
        f"function's code, in place); nothing was executed:{listed}\n"
        "Deploy template changes from your machine with `cvgen infra deploy` (your own "
        "credentials), then let CI publish"
    )
