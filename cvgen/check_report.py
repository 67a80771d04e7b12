"""Check results as `cvgen smoke` and `cvgen infra doctor` report them: one line per check,
then one closing line that counts them (an error when any failed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from cvgen.errors import CvgenError


@dataclass(frozen=True)
class CheckResult:
    """One line of a check report."""

    name: str
    ok: bool
    detail: str = ""  # ok: an optional note; failure: what is wrong and what to do
    skipped: bool = False

    def line(self) -> str:
        if self.skipped:
            return f"skip {self.name}: {self.detail}"
        if self.ok:
            return f"ok   {self.name}" + (f" {self.detail}" if self.detail else "")
        return f"FAIL {self.name}: {self.detail}"


def passed(name: str, note: str = "") -> CheckResult:
    return CheckResult(name, True, note)


def failed(name: str, detail: str) -> CheckResult:
    return CheckResult(name, False, detail)


def skipped(name: str, why: str) -> CheckResult:
    return CheckResult(name, True, why, skipped=True)


def summarize(results: Iterable[CheckResult]) -> tuple[int, int, int]:
    """(passed, failed, skipped) counts."""
    items = list(results)
    bad = sum(1 for r in items if not r.ok)
    skip = sum(1 for r in items if r.skipped)
    return len(items) - bad - skip, bad, skip


def conclude(label: str, results: Iterable[CheckResult], refused: str = "") -> str:
    """`<label>: N checks passed (K skipped)`; raise CvgenError when any check failed
    (`refused`: what the failure stopped, e.g. "; nothing was deployed")."""
    good, bad, skip = summarize(results)
    skipped_note = f" ({skip} skipped)" if skip else ""
    if bad:
        raise CvgenError(
            f"{label}: {bad} of {good + bad + skip} checks failed{skipped_note}; "
            f"see the FAIL lines above{refused}"
        )
    return f"{label}: {good} checks passed{skipped_note}"
