"""The Lambda zip holds only counter_lambda/: it may import the standard library, boto3 and
botocore (in the Lambda runtime) and itself, never cvgen or any other package."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

from cvgen.resources import counter_lambda_dir

ALLOWED_ROOTS = {"boto3", "botocore", "counter_lambda"}


def imported_roots(path: Path) -> set[str]:
    roots = set()
    for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
        if isinstance(node, ast.Import):
            roots.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                roots.add("counter_lambda")
            elif node.module:
                roots.add(node.module.split(".")[0])
    return roots


def test_package_imports_only_stdlib_boto3_and_itself() -> None:
    files = sorted(counter_lambda_dir().rglob("*.py"))
    assert {f.name for f in files} >= {"__init__.py", "core.py", "handler.py", "dynamo_store.py"}
    for path in files:
        foreign = imported_roots(path) - ALLOWED_ROOTS - set(sys.stdlib_module_names)
        assert not foreign, f"{path.name} imports {sorted(foreign)}"


# The AWS glue; every other module (the rules, settings, HTTP shapes, store protocol) is
# shared with `cvgen serve` and needs nothing but the standard library.
AWS_MODULES = {"handler.py", "dynamo_store.py"}


def test_every_module_but_the_aws_glue_needs_only_the_standard_library() -> None:
    files = sorted(counter_lambda_dir().rglob("*.py"))
    assert {f.name for f in files} >= {"core.py", "api.py", "settings.py", "store.py", "pages.py"}
    for path in files:
        if path.name in AWS_MODULES:
            continue
        roots = imported_roots(path) - {"counter_lambda"}
        assert roots <= set(sys.stdlib_module_names), f"{path.name} imports {sorted(roots)}"


def test_the_checker_catches_a_cvgen_import(tmp_path: Path) -> None:
    probe = tmp_path / "probe.py"
    probe.write_text("import json\nfrom cvgen.errors import CvgenError\nimport requests\n")
    assert imported_roots(probe) - ALLOWED_ROOTS - set(sys.stdlib_module_names) == {
        "cvgen",
        "requests",
    }
