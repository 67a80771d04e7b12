"""`cvgen infra doctor`: before anything is created, what a real account would refuse.

Each check asks AWS one question and says what to do when the answer means a deploy would
fail half-way: credentials and account, region, the Lambda concurrency quota (new accounts
often cannot reserve any), the GitHub OIDC provider (one per account), the ACM certificate
(us-east-1, issued, covering the domain), the Route 53 zone of the domain, the CloudWatch
Logs resource-policy quota, and cvgen stacks stuck in a failed or busy state. A check the
credentials may not make (CI's narrow role) is skipped, naming the permission, never failed.
`cvgen infra deploy` runs these first. Judgements are pure functions of the answers.
"""

from __future__ import annotations

import fnmatch
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cvgen.aws import Aws, explain, is_access_denied
from cvgen.check_report import CheckResult, failed, passed, skipped
from cvgen.infra import stacks
from cvgen.infra.changeset import STUCK, StuckResource, is_busy, stuck_resources, way_out
from cvgen.infra.stacks import DeployOptions

LOGS_RESOURCE_POLICY_QUOTA = 10  # per account and region; not adjustable
MIN_UNRESERVED_CONCURRENCY = 100  # what Lambda keeps unreserved (all of a smaller quota)
CERTIFICATE_REGION = "us-east-1"  # the only region CloudFront reads certificates from

Check = Callable[[Aws, DeployOptions], CheckResult]


# --- pure judgements ----------------------------------------------------------------------


def judge_concurrency(settings: Mapping[str, Any], wanted: int) -> CheckResult:
    """Whether the account can reserve `wanted` Lambda instances for the counter."""
    name = "Lambda concurrency quota"
    limit = settings.get("AccountLimit", {})
    total = int(limit.get("ConcurrentExecutions", 0))
    unreserved = int(limit.get("UnreservedConcurrentExecutions", total))
    floor = min(MIN_UNRESERVED_CONCURRENCY, total)
    if wanted == 0:
        return passed(name, f"{total} (nothing reserved; the API stage throttling caps cost)")
    if unreserved - wanted < floor:
        can = max(0, unreserved - floor)
        return failed(
            name,
            f"the account's quota is {total} with {unreserved} unreserved, and Lambda keeps "
            f"{floor} unreserved, so it cannot reserve {wanted} (at most {can}); deploy with "
            "--reserved-concurrency 0 (the default), or ask for a higher quota in Service "
            "Quotas (Lambda, Concurrent executions)",
        )
    return passed(name, f"{total}, {unreserved} unreserved: {wanted} can be reserved")


def judge_certificate(certificate: Mapping[str, Any] | None, arn: str, domain: str) -> CheckResult:
    name = "ACM certificate"
    if certificate is None:
        return failed(
            name,
            f"{arn} was not found in {CERTIFICATE_REGION}; CloudFront only uses certificates "
            "there: request one with `aws acm request-certificate --region us-east-1 "
            f"--domain-name {domain} --validation-method DNS`",
        )
    status = str(certificate.get("Status", ""))
    names = {str(certificate.get("DomainName", ""))} | {
        str(n) for n in certificate.get("SubjectAlternativeNames", [])
    }
    if not any(_covers(pattern, domain) for pattern in names if pattern):
        return failed(
            name,
            f"{arn} covers {', '.join(sorted(names))}, not {domain}; request one for {domain}",
        )
    if status != "ISSUED":
        return failed(
            name,
            f"{arn} is {status}, not ISSUED; finish its DNS validation (the CNAME records ACM "
            "lists for it) and wait until it is issued",
        )
    return passed(name, f"ISSUED in {CERTIFICATE_REGION}, covers {domain}")


def _covers(pattern: str, domain: str) -> bool:
    pattern, domain = pattern.lower().rstrip("."), domain.lower().rstrip(".")
    if pattern.startswith("*."):  # a wildcard covers exactly one label
        return domain.count(".") == pattern.count(".") and fnmatch.fnmatch(domain, pattern)
    return pattern == domain


def judge_hosted_zone(zone: Mapping[str, Any] | None, zone_id: str, domain: str) -> CheckResult:
    name = "Route 53 hosted zone"
    if zone is None:
        return failed(name, f"{zone_id} was not found; pass the id of {domain}'s hosted zone")
    zone_name = str(zone.get("Name", "")).rstrip(".").lower()
    if zone.get("Config", {}).get("PrivateZone"):
        return failed(name, f"{zone_id} ({zone_name}) is private; use the public zone")
    if domain != zone_name and not domain.endswith("." + zone_name):
        return failed(name, f"{zone_id} is {zone_name}, which does not hold {domain}")
    return passed(name, f"{zone_id} ({zone_name}) holds {domain}")


def judge_log_policies(count: int) -> CheckResult:
    name = "CloudWatch Logs resource policies"
    if count >= LOGS_RESOURCE_POLICY_QUOTA:
        return failed(
            name,
            f"{count} of {LOGS_RESOURCE_POLICY_QUOTA} per region are used and the API's access "
            "logs may need one; delete unused ones (`aws logs describe-resource-policies`, "
            "`aws logs delete-resource-policy --policy-name NAME`)",
        )
    return passed(name, f"{count} of {LOGS_RESOURCE_POLICY_QUOTA} used")


def judge_stack(
    name: str, status: str | None, region: str = "", stuck: Sequence[StuckResource] = ()
) -> CheckResult:
    check = f"stack {name}"
    if status is None:
        return passed(check, "not deployed yet")
    if is_busy(status):
        return failed(check, f"{status}: another deploy is running; wait until it settles")
    advice = way_out(name, status, region, stuck)
    if advice is not None:
        return failed(check, advice)
    if status == "ROLLBACK_COMPLETE":
        return passed(check, f"{status} (a failed first deploy: deploy deletes and re-creates it)")
    return passed(check, status)


def judge_budgets(budgets: list[Mapping[str, Any]], options: DeployOptions) -> CheckResult:
    """Whether anything tells the owner when the bill grows (DescribeBudgets' `Budgets`)."""
    name = "cost budget"
    costs = [b for b in budgets if b.get("BudgetType") == "COST"]
    if not costs:
        if options.budget_usd:
            return passed(name, f"none yet: this deploy creates one of ${options.budget_usd}")
        return passed(name, f"none: WARNING {stacks.budget_advice(options)}")
    shown = ", ".join(
        f"{b.get('BudgetName')} ({b.get('BudgetLimit', {}).get('Amount', '?')} "
        f"{b.get('BudgetLimit', {}).get('Unit', 'USD')} {str(b.get('TimeUnit', '')).lower()})"
        for b in costs
    )
    return passed(name, shown)


def judge_account_plan(state: Mapping[str, Any]) -> CheckResult:
    """The account's plan (freetier GetAccountPlanState): accounts on the Free plan, opened
    since July 2025, are closed when the plan ends (six months, or when the credits run out)
    unless upgraded, and the site and counter go with them."""
    name = "account plan"
    plan = str(state.get("accountPlanType", ""))
    status = str(state.get("accountPlanStatus", ""))
    if plan != "FREE":
        return passed(name, f"{plan or 'unknown'} {status}".strip())
    ends = state.get("accountPlanExpirationDate")
    until = f" until {ends:%Y-%m-%d}" if hasattr(ends, "strftime") else ""
    credits = state.get("accountPlanRemainingCredits") or {}
    left = (
        f", {credits.get('amount')} {credits.get('unit', 'USD')} of credits left" if credits else ""
    )
    return passed(
        name,
        f"FREE{until}{left}: WARNING the account (and the site with it) is closed when the Free "
        "plan ends unless you upgrade to the Paid plan (Billing and Cost Management console, "
        "Upgrade plan; credits you have left still apply)",
    )


# --- the checks (one AWS question each) -----------------------------------------------------


def check_credentials(aws: Aws, options: DeployOptions) -> CheckResult:
    identity = aws.client("sts").get_caller_identity()
    return passed("credentials", f"account {identity['Account']} as {identity['Arn']}")


def check_region(aws: Aws, options: DeployOptions) -> CheckResult:
    known = aws.session.get_available_regions("cloudformation")
    if known and options.region not in known and not aws.endpoint_url:
        return failed("region", f"{options.region} is not an AWS region; pass --region")
    return passed("region", options.region)


def check_concurrency(aws: Aws, options: DeployOptions) -> CheckResult:
    if options.reserved_concurrency == 0:
        return skipped("Lambda concurrency quota", "nothing to reserve (--reserved-concurrency 0)")
    settings = aws.client("lambda").get_account_settings()
    return judge_concurrency(settings, options.reserved_concurrency)


def check_oidc_provider(aws: Aws, options: DeployOptions) -> CheckResult:
    name = "GitHub OIDC provider"
    if not options.github_repo or options.code_only:
        return skipped(name, "no CI stack in this deploy (--github-repo)")
    from cvgen.infra.github import audience_problem, existing_provider

    iam = aws.client("iam")
    found = options.oidc_provider_arn or existing_provider(iam)
    if not found:
        return passed(name, "none yet: the CI stack creates it")
    provider = iam.get_open_id_connect_provider(OpenIDConnectProviderArn=found)
    problem = audience_problem(found, provider)
    if problem:
        return failed(name, problem)
    how = "(--oidc-provider-arn)" if options.oidc_provider_arn else "exists and will be reused"
    return passed(name, f"{found} {how} (audience sts.amazonaws.com)")


def check_certificate(aws: Aws, options: DeployOptions) -> CheckResult:
    if not (options.certificate_arn and options.domain):
        return skipped("ACM certificate", "no custom domain (--domain)")
    acm = aws.client("acm", region=CERTIFICATE_REGION)
    try:
        found = acm.describe_certificate(CertificateArn=options.certificate_arn)["Certificate"]
    except Exception as exc:
        if _code(exc) not in ("ResourceNotFoundException", "ValidationException"):
            raise
        found = None
    return judge_certificate(found, options.certificate_arn, options.domain)


def check_hosted_zone(aws: Aws, options: DeployOptions) -> CheckResult:
    if not (options.hosted_zone_id and options.domain):
        return skipped("Route 53 hosted zone", "no DNS records to make (--hosted-zone-id)")
    try:
        zone = aws.client("route53").get_hosted_zone(Id=options.hosted_zone_id)["HostedZone"]
    except Exception as exc:
        if _code(exc) not in ("NoSuchHostedZone", "InvalidInput"):
            raise
        zone = None
    return judge_hosted_zone(zone, options.hosted_zone_id, options.domain)


def check_log_policies(aws: Aws, options: DeployOptions) -> CheckResult:
    answer = aws.client("logs").describe_resource_policies(limit=50)
    return judge_log_policies(len(answer.get("resourcePolicies", [])))


def check_budget(aws: Aws, options: DeployOptions) -> CheckResult:
    account = aws.client("sts").get_caller_identity()["Account"]
    budgets = aws.client("budgets", region=stacks.BUDGET_REGION)
    found: list[Mapping[str, Any]] = []
    for page in budgets.get_paginator("describe_budgets").paginate(AccountId=account):
        found.extend(page.get("Budgets", []))
    return judge_budgets(found, options)


def check_account_plan(aws: Aws, options: DeployOptions) -> CheckResult:
    """Informational: where AWS cannot say (an older botocore, an account the API does not
    cover, an emulator), the check is skipped, never failed."""
    from botocore.exceptions import ClientError, UnknownServiceError

    name = "account plan"
    try:
        freetier = aws.client("freetier", region=stacks.BUDGET_REGION)
    except UnknownServiceError:
        freetier = None
    if not hasattr(freetier, "get_account_plan_state"):
        return skipped(name, "this botocore cannot ask (GetAccountPlanState); upgrade boto3")
    try:
        state = freetier.get_account_plan_state()
    except ClientError as exc:
        if is_access_denied(exc):
            raise
        return skipped(name, f"AWS did not say ({_code(exc) or exc})")
    return judge_account_plan(state)


def stack_checks(options: DeployOptions) -> list[Check]:
    def check(key: str) -> Check:
        def run(aws: Aws, options: DeployOptions) -> CheckResult:
            name = options.stack_name(key)
            try:
                found = aws.client("cloudformation").describe_stacks(StackName=name)["Stacks"]
            except Exception as exc:
                if "does not exist" not in str(exc):
                    raise
                found = []
            status = str(found[0]["StackStatus"]) if found else None
            stuck: list[StuckResource] = []
            if status in STUCK:
                resources = aws.client("cloudformation").describe_stack_resources(StackName=name)
                stuck = stuck_resources(resources.get("StackResources", []))
            return judge_stack(
                name, None if status == "DELETE_COMPLETE" else status, options.region, stuck
            )

        return run

    return [check(key) for key in stacks.DESTROY_ORDER[::-1]]


CHECKS: list[tuple[str, Check, str]] = [
    # (what the report calls it, the check, the IAM action it needs)
    ("credentials", check_credentials, "sts:GetCallerIdentity"),
    ("region", check_region, ""),
    ("Lambda concurrency quota", check_concurrency, "lambda:GetAccountSettings"),
    (
        "GitHub OIDC provider",
        check_oidc_provider,
        "iam:ListOpenIDConnectProviders, iam:GetOpenIDConnectProvider",
    ),
    ("ACM certificate", check_certificate, "acm:DescribeCertificate"),
    ("Route 53 hosted zone", check_hosted_zone, "route53:GetHostedZone"),
    ("CloudWatch Logs resource policies", check_log_policies, "logs:DescribeResourcePolicies"),
    ("cost budget", check_budget, "budgets:ViewBudget"),
    ("account plan", check_account_plan, "freetier:GetAccountPlanState"),
]


def run_checks(
    aws: Aws, options: DeployOptions, report: Callable[[CheckResult], None]
) -> list[CheckResult]:
    """Every check, reported as it is known; AWS errors become results, never exceptions."""
    results: list[CheckResult] = []
    planned = [
        *CHECKS,
        *(("stack", c, "cloudformation:DescribeStacks") for c in stack_checks(options)),
    ]
    for name, check, action in planned:
        try:
            result = check(aws, options)
        except Exception as exc:
            explained = _from_error(name, action, exc)
            if explained is None:
                raise
            result = explained
        results.append(result)
        report(result)
        if name == "credentials" and not result.ok:
            break  # nothing else can be asked
    return results


def _from_error(name: str, action: str, exc: BaseException) -> CheckResult | None:
    from botocore.exceptions import BotoCoreError, ClientError

    if not isinstance(exc, BotoCoreError | ClientError):
        return None
    if is_access_denied(exc):
        return skipped(name, f"cannot check: these credentials may not call {action}")
    return failed(name, explain(exc, section="infra") or str(exc))


def _code(exc: BaseException) -> str:
    response = getattr(exc, "response", None) or {}
    return str(response.get("Error", {}).get("Code", ""))
