"""The glue behind `cvgen infra`: settings from flags and cvgen.yaml in, outputs back out."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from cvgen.aws import Aws, aws_errors, resolve_region
from cvgen.infra import stacks
from cvgen.infra.deploy import deploy_infra, destroy_infra, plan_infra
from cvgen.infra.github import origin_repo
from cvgen.infra.stacks import DeployOptions, validate_options
from cvgen.resources import counter_lambda_dir, infra_templates_dir
from cvgen.settings.config import Config, load_config
from cvgen.settings.write import Updates, write_settings
from cvgen.ui import Ui


@dataclass(frozen=True)
class InfraFlags:
    """The `cvgen infra` flags, typed. None: from cvgen.yaml's `infra` section, else the default."""

    root: Path
    stack_prefix: str | None = None
    region: str | None = None
    profile: str | None = None
    endpoint_url: str | None = None
    domain: str | None = None
    certificate_arn: str | None = None
    hosted_zone_id: str | None = None
    github_repo: str | None = None  # "": the repository `git remote get-url origin` names
    oidc_provider_arn: str | None = None
    cognito: bool | None = None
    reserved_concurrency: int | None = None
    budget: int | None = None
    alert_email: str | None = None
    alarm_requests_per_second: int | None = None
    code_only: bool = False
    yes: bool = False


def _context(flags: InfraFlags, ui: Ui) -> tuple[Config, DeployOptions, Aws]:
    from cvgen.content.photo import remote_photo_origin

    root = flags.root
    config = load_config(root)
    saved = config.infra
    cognito = flags.cognito
    profile = flags.profile
    region = resolve_region(
        flags.region, saved.region, config.publish.region, profile=profile, section="infra"
    )
    github_repo = flags.github_repo
    if github_repo == "":  # `--github-repo` alone: the repository this site is pushed to
        github_repo = origin_repo(root)
        ui.echo(
            f"--github-repo: {github_repo} (from `git remote get-url origin`); the deploy role "
            "trusts exactly this spelling (case-sensitive): check it matches GitHub's"
        )
    code_only = flags.code_only
    options = validate_options(
        DeployOptions(
            stack_prefix=flags.stack_prefix or saved.stack_prefix,
            region=region,
            domain=flags.domain or saved.domain,
            certificate_arn=flags.certificate_arn or saved.certificate_arn,
            hosted_zone_id=flags.hosted_zone_id or saved.hosted_zone_id,
            # infra.github_repo (written by the deploy that made the CI stack) keeps the CI
            # stack up to date from your machine; CI's --code-only never touches it.
            github_repo=github_repo or saved.github_repo,
            oidc_provider_arn=flags.oidc_provider_arn,
            cognito=config.counter.mode == "cognito" if cognito is None else cognito,
            image_origins=remote_photo_origin(config),
            reserved_concurrency=_first(flags.reserved_concurrency, saved.reserved_concurrency),
            code_only=code_only,
            budget_usd=flags.budget or 0,
            alert_email=flags.alert_email,
            alarm_requests_per_second=flags.alarm_requests_per_second
            or stacks.DEFAULT_ALARM_REQUESTS_PER_SECOND,
        )
    )
    endpoint = flags.endpoint_url or os.environ.get("AWS_ENDPOINT_URL") or None
    return config, options, Aws(region=region, profile=profile, endpoint_url=endpoint)


def record_settings(ui: Ui, root: Path, updates: Updates) -> None:
    """Write the settings into cvgen.yaml where that is safe; print the rest to paste."""
    result = write_settings(root, updates)
    if result.written:
        ui.echo(f"wrote {', '.join(result.written)} to {root / 'cvgen.yaml'}")
    if result.to_paste:
        ui.echo(
            f"{root / 'cvgen.yaml'} was left as it is for these settings (they could not be "
            "written without reformatting your file); add them yourself:"
        )
        for line in result.paste_lines():
            ui.echo(f"    {line}")


def _first(flag: int | None, saved: int) -> int:
    return saved if flag is None else flag


def preflight(ui: Ui, aws: Aws, options: DeployOptions, refused: str = "") -> None:
    """Run every `cvgen infra doctor` check, one line each; raise when any failed."""
    from cvgen.check_report import conclude
    from cvgen.infra.doctor import run_checks

    results = run_checks(aws, options, lambda result: ui.echo(result.line()))
    ui.echo(conclude("infra doctor", results, refused))


def run_doctor(ui: Ui, flags: InfraFlags) -> None:
    _, options, aws = _context(flags, ui)
    with aws_errors(
        "cvgen infra doctor", section="infra", profile=aws.profile, endpoint_url=aws.endpoint_url
    ):
        preflight(ui, aws, options)


def run_deploy(ui: Ui, flags: InfraFlags) -> None:
    config, options, aws = _context(flags, ui)
    with aws_errors(
        "cvgen infra deploy", section="infra", profile=aws.profile, endpoint_url=aws.endpoint_url
    ):
        preflight(ui, aws, options, "; nothing was deployed")
        result = deploy_infra(
            aws,
            options,
            templates=infra_templates_dir(),
            lambda_source=counter_lambda_dir(),
            ui=ui,
            yes=flags.yes,
            current_url=config.site.url,
            artifact_bucket=config.infra.artifact_bucket,
        )
    for stack_key, outputs in result.outputs.items():
        ui.echo(f"{options.stack_name(stack_key)} outputs:")
        for key, value in sorted(outputs.items()):
            ui.echo(f"  {key}: {value}")
    record_settings(ui, config.root, result.config_updates)
    site_url = result.outputs[stacks.SITE].get("SiteUrl", "")
    if "site" not in result.config_updates and site_url and config.site.url != site_url:
        ui.echo(
            f"note: site.url is {config.site.url} but the site is served at {site_url}; "
            "point your domain there (--domain) or set site.url"
        )
    if result.repository_variables:
        ui.echo(
            "Set these GitHub repository variables (Settings > Secrets and variables > "
            "Actions > Variables), then commit cvgen.yaml:"
        )
        for name, value in result.repository_variables.items():
            ui.echo(f"  {name}={value}")
        ui.echo(
            "  e.g. gh variable set AWS_ROLE_ARN --body '"
            + result.repository_variables["AWS_ROLE_ARN"]
            + "'"
        )
    ui.echo("next: cvgen build && cvgen publish")


def run_plan(ui: Ui, flags: InfraFlags) -> None:
    config, options, aws = _context(flags, ui)
    with aws_errors(
        "cvgen infra plan", section="infra", profile=aws.profile, endpoint_url=aws.endpoint_url
    ):
        planned = plan_infra(
            aws,
            options,
            templates=infra_templates_dir(),
            lambda_source=counter_lambda_dir(),
            ui=ui,
            current_url=config.site.url,
            artifact_bucket=config.infra.artifact_bucket,
        )
    changing = list(dict.fromkeys(c.stack for c in planned if not c.empty))  # each stack once
    ui.echo(
        "plan: "
        + (f"changes in {', '.join(changing)}" if changing else "everything is up to date")
        + "; nothing was changed"
    )


def run_destroy(ui: Ui, flags: InfraFlags) -> None:
    config, options, aws = _context(flags, ui)
    with aws_errors(
        "cvgen infra destroy", section="infra", profile=aws.profile, endpoint_url=aws.endpoint_url
    ):
        deleted = destroy_infra(
            aws,
            options,
            ui,
            yes=flags.yes,
            artifact_bucket=config.infra.artifact_bucket,
        )
    if deleted:
        ui.echo(f"deleted {', '.join(deleted)}")
        record_settings(ui, config.root, {"publish": {"bucket": None, "distribution_id": None}})
