"""`cvgen infra deploy|plan|destroy`: the AWS stacks in infra/, through change sets."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import click

from cvgen.commands import WholeHelpGroup, root_option
from cvgen.ui import TerminalUi

_STACK_OPTIONS: list[Callable[[Any], Any]] = [
    click.option(
        "--stack-prefix",
        metavar="PREFIX",
        help="Stack names are PREFIX-counter, PREFIX-site, ... (default: infra.stack_prefix, cvgen).",
    ),
    click.option("--region", help="AWS region (default: infra.region, then AWS_REGION)."),
    click.option("--profile", help="AWS profile from your AWS configuration."),
    click.option(
        "--endpoint-url",
        help="AWS endpoint, e.g. a local emulator (default: AWS_ENDPOINT_URL when set).",
    ),
    root_option,
]

_DEPLOY_OPTIONS: list[Callable[[Any], Any]] = [
    click.option("--domain", help="Custom domain for the site, e.g. cv.example.com."),
    click.option(
        "--certificate-arn", help="ACM certificate for --domain (it must be in us-east-1)."
    ),
    click.option("--hosted-zone-id", help="Route 53 zone of --domain: alias records go there."),
    click.option(
        "--oidc-provider-arn",
        help="Reuse this account's existing GitHub OIDC provider instead of creating one.",
    ),
    click.option(
        "--reserved-concurrency",
        type=click.IntRange(0, 1000),
        metavar="N",
        help="Reserve (and cap at) N Lambda instances for the counter; 0 reserves none "
        "(default: infra.reserved_concurrency, 0). New accounts often cannot afford any: "
        "`cvgen infra doctor` checks.",
    ),
    click.option(
        "--budget",
        type=click.IntRange(1, 100_000),
        metavar="USD",
        help="Opt in to the cost guard (stack PREFIX-budget, us-east-1): a monthly AWS Budget "
        "of USD dollars on the whole account, emailing --alert-email when the actual cost "
        "passes 80% or the forecast passes 100%, and an alarm on the site's request rate. "
        "Recommended; about $0.10 a month.",
    ),
    click.option("--alert-email", metavar="ADDRESS", help="Where --budget's alerts go."),
    click.option(
        "--alarm-requests-per-second",
        type=click.IntRange(1, 100_000),
        metavar="N",
        help="With --budget: alarm when the site serves more than N requests/s for 15 "
        "minutes (default 50).",
    ),
    click.option(
        "--cognito/--public",
        default=None,
        help="Counter mode: Cognito guests sign their requests, or the public throttled API "
        "(default: as counter.mode in cvgen.yaml).",
    ),
]


def _github_repo_option(what: str) -> Callable[[Any], Any]:
    """--github-repo, described for the command that takes it (deploy, doctor, plan)."""
    return click.option(
        "--github-repo",
        metavar="OWNER/REPO",
        is_flag=False,
        flag_value="",
        help=f"{what} Case-sensitive: spell it as GitHub does. Alone: the repository of"
        " `git remote get-url origin`. Default: infra.github_repo in cvgen.yaml.",
    )


def _apply_options(options: list[Callable[[Any], Any]]) -> Callable[[Any], Any]:
    def decorate(function: Any) -> Any:
        for option in reversed(options):
            function = option(function)
        return function

    return decorate


@click.group(cls=WholeHelpGroup)
def infra() -> None:
    """Check, create, preview and delete the AWS stacks (site, counter, identity, ci)."""


@infra.command()
@_apply_options(_STACK_OPTIONS + _DEPLOY_OPTIONS)
@_github_repo_option(
    "Also deploy the CI stack: an OIDC deploy role for this repository's main branch."
    " Kept as infra.github_repo, so later deploys from your machine update it."
)
@click.option("--yes", is_flag=True, help="Execute the change sets without asking.")
@click.option(
    "--code-only",
    is_flag=True,
    help="What CI runs: execute only change sets that update the counter function's code, "
    "refuse (changing nothing) any that does more, and leave the CI stack alone.",
)
def deploy(**flags: Any) -> None:
    """Package the counter, deploy the stacks through change sets, write outputs to cvgen.yaml."""
    from cvgen.infra.run import InfraFlags, run_deploy
    from cvgen.settings.config import site_root

    run_deploy(TerminalUi(), InfraFlags(**{**flags, "root": site_root(flags["root"])}))


@infra.command()
@_apply_options(_STACK_OPTIONS + _DEPLOY_OPTIONS)
@_github_repo_option(
    "Also check what the CI stack for this repository needs (the account's GitHub OIDC"
    " provider, the stack's state); nothing is created."
)
def doctor(**flags: Any) -> None:
    """Check what a real account would refuse before anything is created (deploy runs it).

    Credentials and account, region, Lambda concurrency quota, the GitHub OIDC provider, the
    ACM certificate (us-east-1, issued, covering --domain), the hosted zone of --domain,
    CloudWatch Logs resource policies (10 per region), and stacks in a failed or busy state.
    """
    from cvgen.infra.run import InfraFlags, run_doctor
    from cvgen.settings.config import site_root

    run_doctor(TerminalUi(), InfraFlags(**{**flags, "root": site_root(flags["root"])}))


@infra.command()
@_apply_options(_STACK_OPTIONS + _DEPLOY_OPTIONS)
@_github_repo_option(
    "Also show what deploying the CI stack (an OIDC deploy role for this repository's main"
    " branch) would change; nothing is created."
)
def plan(**flags: Any) -> None:
    """Show what deploy would change (change sets only, deleted again); changes nothing."""
    from cvgen.infra.run import InfraFlags, run_plan
    from cvgen.settings.config import site_root

    run_plan(TerminalUi(), InfraFlags(**{**flags, "root": site_root(flags["root"])}))


@infra.command()
@_apply_options(_STACK_OPTIONS)
@click.option("--yes", is_flag=True, help="Delete without asking.")
def destroy(**flags: Any) -> None:
    """Empty the buckets and delete the stacks (the counter table is kept)."""
    from cvgen.infra.run import InfraFlags, run_destroy
    from cvgen.settings.config import site_root

    run_destroy(TerminalUi(), InfraFlags(**{**flags, "root": site_root(flags["root"])}))
