"""`python -m moto.server`, except that stacks deployed through change sets get their Outputs.

moto 5.x builds a stack's outputs when the stack is created and never again, and a stack
made by a CREATE change set is created from an empty template, so after ExecuteChangeSet
DescribeStacks shows no Outputs at all (real CloudFormation does). This launcher rebuilds the
output map after each execution, exactly as moto's own `Stack.update` does, and changes
nothing else. Usage: python tests/infra/moto_changeset_server.py -H 127.0.0.1 -p PORT
"""

from __future__ import annotations

from typing import Any

from moto.cloudformation import models
from moto.server import main

_execute = models.CloudFormationBackend.execute_change_set


def _execute_and_resolve_outputs(
    self: Any, change_set_name: str, stack_name: str | None = None
) -> None:
    _execute(self, change_set_name, stack_name)
    change_set = self.change_sets.get(change_set_name) or next(
        cs for cs in self.change_sets.values() if cs.change_set_name == change_set_name
    )
    stack = self.stacks[change_set.stack_id]
    stack._parse_template()
    stack.output_map = stack._create_output_map()


models.CloudFormationBackend.execute_change_set = _execute_and_resolve_outputs  # type: ignore[method-assign]

if __name__ == "__main__":
    main()
