"""One way to count bytes: `cvgen build` and `cvgen publish` both print `human_size`."""

from __future__ import annotations

import pytest

from cvgen.sizes import human_size


@pytest.mark.parametrize(
    ("size", "text"),
    [
        (0, "0 B"),
        (999, "999 B"),
        (1000, "1.0 KB"),
        (18650, "18.6 KB"),
        (999_949, "999.9 KB"),
        (999_950, "1.0 MB"),
        (2_500_000, "2.5 MB"),
        (3 * 10**12, "3.0 TB"),
        (5 * 10**15, "5000.0 TB"),
    ],
)
def test_human_size(size: int, text: str) -> None:
    assert human_size(size) == text
