"""`languages:` in cvgen.yaml as a user might first write it (see also tests/test_languages.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from cvgen.errors import ContentError
from cvgen.settings.config import load_config


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("Deutsch", "expected a BCP 47 language tag like `de` or `pt-BR`; write `de` for Deutsch"),
        ("french", "expected a BCP 47 language tag like `de` or `pt-BR`; write `fr` for french"),
        ("de_AT", "expected a BCP 47 language tag like `de` or `pt-BR`; write `de-AT`"),
        # no advice rather than "write `deutschland`" or "write ``"
        ("deutschland", "expected a BCP 47 language tag like `de` or `pt-BR`"),
        ('""', "expected a BCP 47 language tag like `de` or `pt-BR`"),
        ("12", "expected a BCP 47 language tag like `de` or `pt-BR`"),
    ],
)
def test_a_language_written_as_a_name_gets_its_tag(
    tmp_path: Path, written: str, message: str
) -> None:
    (tmp_path / "cvgen.yaml").write_text(f"languages: [en, {written}]\n")
    with pytest.raises(ContentError) as caught:
        load_config(tmp_path)
    assert [str(issue) for issue in caught.value.issues] == [
        f"cvgen.yaml:1:17: languages[1]: {message}"
    ]
