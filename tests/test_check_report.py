"""The closing line of `cvgen smoke` and `cvgen infra doctor`, and the lines before it."""

from __future__ import annotations

import pytest

from cvgen.check_report import conclude, failed, passed, skipped
from cvgen.errors import CvgenError


def test_result_lines() -> None:
    assert passed("HSTS", "max-age=31536000").line() == "ok   HSTS max-age=31536000"
    assert passed("region").line() == "ok   region"
    assert failed("CSP", "missing").line() == "FAIL CSP: missing"
    assert skipped("quota", "no permission").line() == "skip quota: no permission"


def test_all_passed_counts_the_skipped_apart() -> None:
    results = [passed("a"), skipped("b", "why"), passed("c")]
    assert conclude("smoke", results) == "smoke: 2 checks passed (1 skipped)"
    assert conclude("smoke", results[:1]) == "smoke: 1 checks passed"


def test_a_failure_raises_naming_what_it_stopped() -> None:
    results = [passed("a"), failed("b", "no"), skipped("c", "why"), failed("d", "no")]
    with pytest.raises(CvgenError) as info:
        conclude("infra doctor", results, "; nothing was deployed")
    assert info.value.format_message() == (
        "infra doctor: 2 of 4 checks failed (1 skipped); see the FAIL lines above; "
        "nothing was deployed"
    )
    with pytest.raises(
        CvgenError, match=r"^smoke: 1 of 2 checks failed; see the FAIL lines above$"
    ):
        conclude("smoke", [passed("a"), failed("b", "no")])
