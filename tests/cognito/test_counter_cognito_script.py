"""counter-cognito.js stays within its size budget and self-contained."""

from __future__ import annotations

import re
from pathlib import Path

SCRIPT = Path(__file__).resolve().parents[2] / "theme" / "default" / "static" / "counter-cognito.js"

BUDGET = 4096  # bytes, minified


def stripped(source: str) -> str:
    """An upper bound of the minified size: comment lines dropped, indentation removed."""
    lines = (line.strip() for line in source.splitlines())
    return "\n".join(line for line in lines if line and not line.startswith("//"))


def test_script_is_under_four_kilobytes_even_without_a_minifier() -> None:
    size = len(stripped(SCRIPT.read_text(encoding="utf-8")).encode())
    assert size < BUDGET, f"counter-cognito.js is {size} bytes stripped; the budget is {BUDGET}"


def test_script_needs_no_sdk_and_talks_only_to_its_configured_endpoints() -> None:
    source = SCRIPT.read_text(encoding="utf-8")
    assert not re.search(r"\bimport\b|\brequire\(|<script|eval\(|new Function", source)
    assert re.findall(r"https://[^`\"' ]+", source) == ["https://${s}.${region}.amazonaws.com/"]
    assert re.findall(r'aws\("([a-z-]+)"\)', source) == ["cognito-identity", "sts"]
    # Cognito Identity, STS (the basic flow's AssumeRoleWithWebIdentity), the signed counter call
    assert source.count("fetch(") == 3
