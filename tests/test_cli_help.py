"""`--help` says each thing whole and for the command it belongs to."""

from __future__ import annotations

import click
import pytest
from click.testing import CliRunner

from cvgen.cli import COMMANDS, cli


def first_sentence(command: click.Command) -> str:
    text = " ".join((command.help or "").split("\n\n")[0].split())
    return text.split(". ")[0]


def squeeze(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("group", [[], ["infra"]], ids=["cvgen", "cvgen infra"])
def test_group_help_lists_every_command_with_its_whole_summary(group: list[str]) -> None:
    result = CliRunner().invoke(cli, [*group, "--help"], terminal_width=100)
    assert result.exit_code == 0, result.output
    listed = result.output.split("Commands:", 1)[1]
    assert "..." not in listed
    parent = cli
    for name in group:
        found = parent.get_command(click.Context(parent), name)
        assert isinstance(found, click.Group)
        parent = found
    names = parent.list_commands(click.Context(parent))
    assert names and (group or names == list(COMMANDS))
    for name in names:
        command = parent.get_command(click.Context(parent), name)
        assert command is not None
        assert first_sentence(command) in squeeze(result.output), name


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("deploy", "Also deploy the CI stack"),
        ("doctor", "Also check what the CI stack for this repository needs"),
        ("plan", "Also show what deploying the CI stack"),
    ],
)
def test_github_repo_is_described_for_its_command(command: str, says: str) -> None:
    result = CliRunner().invoke(cli, ["infra", command, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    [line] = [line for line in result.output.splitlines() if "--github-repo" in line]
    help_text = squeeze(result.output.split("--github-repo", 1)[1].split("\n  --", 1)[0])
    assert help_text.startswith(f"OWNER/REPO {says}"), line
    if command != "deploy":
        assert "Also deploy the CI stack" not in result.output
