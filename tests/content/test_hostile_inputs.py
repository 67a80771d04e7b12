"""Every minimal input of issue 18 that used to crash or hang `cvgen build`, in `cv.yaml` and
the same lines in a Markdown file's front matter: exit 1, the same located message in both
places (`file:line:col: what is wrong; what to do`), no traceback, nothing written."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from cvgen.cli import cli

# Lines that go under `basics:` in cv.yaml and at the top level of front matter.
INPUTS = {
    "control character": 'label: "A\x01B"',
    "NUL": "label: A\x00B",
    "ESC": "label: A\x1b[1mB",
    "DEL": "label: A\x7fB",
    "C1 control": "label: A\x9bB",
    "U+FFFE": "label: A\ufffeB",
    "local tag": "label: !Important note",
    "unknown tag": "label: !foo bar",
    "python tag": "label: !!python/name:os.system ''",
    "!!int on text": "label: !!int abc",
    "!!float on text": "label: !!float abc",
    "!!bool on text": "label: !!bool maybe",
    "!!timestamp on text": "label: !!timestamp nope",
    "!!int on nothing": "label: !!int ''",
    "4,301 digits": "label: " + "1" * 4301,
    "long hex": "label: 0x" + "f" * 5000,
    "long binary": "label: 0b" + "1" * 20000,
    "long octal": "label: 0" + "7" * 6000,
    "nesting 500 deep": "label: " + "[" * 500 + "x" + "]" * 500,
    "self-referencing alias": "label: &a [*a]",
    "merge key on a scalar": "<<: 5",
    "tag on a key": "!!int abc: x",
    "alias bomb": "\n".join(
        ["l0: &l0 [x, x, x, x, x, x, x, x, x]"]
        + [f"l{n}: &l{n} [{', '.join([f'*l{n - 1}'] * 9)}]" for n in range(1, 30)]
    ),
}
LOCATED = re.compile(r"^content/(cv\.yaml|about\.md):(\d+):(\d+): (?:[\w.\[\]]+: )?(.+; .+)$")


def build(root: Path) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["build", "--root", str(root)])
    assert "Traceback" not in result.output
    assert not isinstance(result.exception, Exception) or isinstance(
        result.exception, SystemExit
    ), repr(result.exception)
    return result.exit_code, result.output


def messages(output: str, file: str) -> list[tuple[int, int, str]]:
    """(line, col, message) of each issue `output` reports for `file`; all must be located."""
    found = []
    for line in output.splitlines()[:-1]:
        match = LOCATED.match(line)
        assert match, f"not located, or no advice: {line!r}"
        if match.group(1) == file:
            found.append((int(match.group(2)), int(match.group(3)), match.group(4)))
    assert output.splitlines()[-1].startswith("Error: ")
    return found


@pytest.mark.parametrize("lines", INPUTS.values(), ids=INPUTS.keys())
def test_hostile_input_gets_the_same_located_message_in_cv_yaml_and_front_matter(
    example_site: Path, lines: str
) -> None:
    content = example_site / "content"
    indented = "\n".join("  " + line for line in lines.splitlines())
    (content / "cv.yaml").write_text(f"basics:\n  name: Ada\n{indented}\n", encoding="utf-8")
    code, output = build(example_site)
    assert code == 1
    in_cv = messages(output, "cv.yaml")
    assert in_cv
    assert not (example_site / "output").exists()

    (content / "cv.yaml").write_text("basics:\n  name: Ada\n", encoding="utf-8")
    (content / "about.md").write_text(f"---\ntitle: About\n{lines}\n---\nHi.\n", encoding="utf-8")
    code, output = build(example_site)
    assert code == 1
    in_front_matter = messages(output, "about.md")
    # the same words on the same line (line 3 in both; columns differ by the indentation)
    assert [(line, text) for line, _, text in in_front_matter][:1] == [
        (line, text) for line, _, text in in_cv
    ][:1]
