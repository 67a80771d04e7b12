"""Bad content folders next to the exact messages they must produce.

Each `tests/content/bad/<case>/` is a site root whose `content/` holds broken input;
`expected.txt` lists the issues `load_content` must report, one per line, in file order
(warnings found along with the errors too, marked `warning:`).
After a deliberate change of wording, regenerate them with
`.venv/bin/pytest tests/content/test_bad_content.py --update-golden` and review the diff.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.content.load import load_content
from cvgen.errors import ContentError
from cvgen.settings.config import Config

BAD = Path(__file__).parent / "bad"
CASES = sorted(path.name for path in BAD.iterdir() if (path / "content").is_dir())


def test_every_case_has_expectations(update_golden: bool) -> None:
    assert len(CASES) >= 13
    missing = [case for case in CASES if not (BAD / case / "expected.txt").is_file()]
    assert not missing or update_golden


@pytest.mark.parametrize("case", CASES)
def test_bad_content_reports_exact_issues(case: str, update_golden: bool) -> None:
    root = BAD / case
    with pytest.raises(ContentError) as caught:
        load_content(Config(root=root))
    # Errors, and the warnings found with them (marked `warning:`), as the CLI prints them.
    actual = "".join(f"{line}\n" for line in caught.value.lines())
    expected_file = root / "expected.txt"
    if update_golden:
        expected_file.write_text(actual, encoding="utf-8")
    assert actual == expected_file.read_text(encoding="utf-8")
    # The message Click prints holds every issue too, after a count.
    message = caught.value.format_message().splitlines()
    assert message[0].startswith(f"{len(caught.value.issues)} problem")
    assert message[1:] == actual.splitlines()
