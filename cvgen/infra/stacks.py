"""cvgen's stacks: names, templates, parameters, and how their outputs flow into cvgen.yaml.

Pure: no AWS calls. The deploy order is counter -> identity (Cognito mode) -> site -> counter
again only when the site's origin was not known before (first deploy without a domain) ->
ci (with --github-repo) -> budget (with --budget, in us-east-1). A counter stack this run creates comes round again too: its table is
created unprotected (so a failed create can roll back) and protected right after. Each step takes the outputs of the steps before it: `settle_stacks`
walks that order for both `cvgen infra deploy` and `cvgen infra plan`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from cvgen.errors import CvgenError
from cvgen.hosts import origin_of
from cvgen.site_address import placeholder_reason

Outputs = Mapping[str, str]

COUNTER = "counter"
IDENTITY = "identity"
SITE = "site"
CI = "ci"
BUDGET = "budget"
# Deletion order (the reverse of deploy): nothing is deleted before what depends on it. The
# budget stack lives in BUDGET_REGION whatever the site's region, and is deleted first.
DESTROY_ORDER = (CI, SITE, IDENTITY, COUNTER)
# CloudFront publishes its metrics in us-east-1 only, so the request alarm must live there
BUDGET_REGION = "us-east-1"
DEFAULT_ALARM_REQUESTS_PER_SECOND = 50
API_PATH = "/api/views"
CLOUDFRONT_IP_HEADER = "cloudfront-viewer-address"

# infra/site.yaml's ImageOrigins (AllowedPattern): origins, space-separated
_ORIGIN = r"https?://[a-z0-9.-]+(:[0-9]{1,5})?"
_IMAGE_ORIGINS = re.compile(rf"({_ORIGIN}( {_ORIGIN})*)?\Z")
_PREFIX = re.compile(r"^[a-z][a-z0-9-]{0,23}$")
_REPO = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*/[A-Za-z0-9._-]+$")
_DOMAIN = re.compile(r"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)+$")
_CERT = re.compile(r"^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$")
_ZONE = re.compile(r"^[A-Z0-9]{1,32}$")
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_OIDC = re.compile(
    r"^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\.actions\.githubusercontent\.com$"
)


@dataclass(frozen=True)
class DeployOptions:
    """What to deploy, after flags and cvgen.yaml's `infra` section are merged."""

    stack_prefix: str = "cvgen"
    region: str = "us-east-1"
    domain: str | None = None
    certificate_arn: str | None = None
    hosted_zone_id: str | None = None
    github_repo: str | None = None
    oidc_provider_arn: str | None = None
    cognito: bool = False
    # the CSP's img-src beyond the site itself: an opted-in remote photo's origin, or ""
    image_origins: str = ""
    reserved_concurrency: int = 0  # 0: none reserved (new accounts cannot afford any)
    # CI: execute only change sets that update the counter's code (see cvgen.infra.scope)
    code_only: bool = False
    # the cost guard (infra/budget.yaml): a monthly budget in USD (0: none) with alerts to
    # alert_email, and an alarm on the distribution's request rate
    budget_usd: int = 0
    alert_email: str | None = None
    alarm_requests_per_second: int = DEFAULT_ALARM_REQUESTS_PER_SECOND

    def stack_name(self, key: str) -> str:
        return f"{self.stack_prefix}-{key}"


@dataclass(frozen=True)
class StackSpec:
    """One stack to create or update: its name, template file and parameter values."""

    key: str
    name: str
    template: str
    parameters: Mapping[str, str]
    region: str | None = None  # None: the deploy's region


def validate_options(options: DeployOptions) -> DeployOptions:
    """Raise CvgenError naming the flag when a value cannot work; return the options."""
    checks = [
        (
            "--stack-prefix",
            options.stack_prefix,
            _PREFIX,
            "lowercase letters, digits and -, starting with a letter, at most 24 characters",
        ),
        ("--domain", options.domain, _DOMAIN, "a lowercase host name such as cv.example.com"),
        (
            "--certificate-arn",
            options.certificate_arn,
            _CERT,
            "an ACM certificate ARN in us-east-1 (CloudFront only uses certificates there)",
        ),
        ("--hosted-zone-id", options.hosted_zone_id, _ZONE, "a Route 53 zone id like Z0123ABC"),
        ("--github-repo", options.github_repo, _REPO, "OWNER/REPO"),
        ("--alert-email", options.alert_email, _EMAIL, "an email address such as you@example.com"),
        (
            "--oidc-provider-arn",
            options.oidc_provider_arn,
            _OIDC,
            "the ARN of an IAM OIDC provider for token.actions.githubusercontent.com",
        ),
        (
            "basics.image (with photo.remote: true)",
            options.image_origins,
            _IMAGE_ORIGINS,
            "a photo URL on a host name, like https://img.example.com/me.jpg: the site's "
            "Content-Security-Policy allows images from its origin",
        ),
    ]
    for flag, value, pattern, wanted in checks:
        if value is not None and not pattern.match(value):
            raise CvgenError(f"{flag} {value!r}: expected {wanted}")
    if options.domain and not options.certificate_arn:
        raise CvgenError(
            f"--domain {options.domain} needs --certificate-arn: an ACM certificate for it in "
            "us-east-1 (request one with `aws acm request-certificate --region us-east-1`)"
        )
    if options.certificate_arn and not options.domain:
        raise CvgenError("--certificate-arn is only used with --domain; pass both")
    if options.hosted_zone_id and not options.domain:
        raise CvgenError("--hosted-zone-id is only used with --domain; pass both")
    if not 0 <= options.reserved_concurrency <= 1000:
        raise CvgenError(
            f"--reserved-concurrency {options.reserved_concurrency}: expected 0 (none) to 1000"
        )
    if options.budget_usd and not options.alert_email:
        raise CvgenError(
            f"--budget {options.budget_usd} needs --alert-email ADDRESS: where AWS sends the "
            "budget's alerts (and the request alarm's)"
        )
    if options.alert_email and not options.budget_usd:
        raise CvgenError("--alert-email is only used with --budget USD; pass both")
    if not 0 <= options.budget_usd <= 100_000:
        raise CvgenError(f"--budget {options.budget_usd}: expected whole US dollars, 1 to 100000")
    if not 1 <= options.alarm_requests_per_second <= 100_000:
        raise CvgenError(
            f"--alarm-requests-per-second {options.alarm_requests_per_second}: expected 1 to 100000"
        )
    if options.oidc_provider_arn and not options.github_repo:
        raise CvgenError("--oidc-provider-arn is only used with --github-repo; pass both")
    return options


def artifact_bucket_name(prefix: str, account: str, region: str) -> str:
    """`<prefix>-artifacts-<account>-<region>`: unique per account and region, <= 63 chars."""
    return f"{prefix}-artifacts-{account}-{region}".lower()


def site_origin(options: DeployOptions, site_outputs: Outputs | None) -> str:
    """The origins the counter serves, comma-separated: the custom domain, and the
    distribution's own `*.cloudfront.net` address once known (visitors still on it while DNS
    moves to the domain keep their count)."""
    origins = [f"https://{options.domain}"] if options.domain else []
    outputs = site_outputs or {}
    if outputs.get("DistributionDomainName"):
        origins.append(f"https://{outputs['DistributionDomainName']}")
    elif outputs.get("SiteUrl") and not options.domain:
        origins.append(origin_of(outputs["SiteUrl"]))
    return ",".join(dict.fromkeys(origins))


def is_stand_in_url(url: str | None) -> bool:
    """Whether site.url is unset, a local address or an example one (cvgen/site_address.py):
    `cvgen infra deploy` then fills in the address the site is really served at."""
    return placeholder_reason(url) is not None


def counted_pages(options: DeployOptions, current_url: str | None) -> str:
    """The page paths the built site counts (its base path, and the job applications' private
    pages below it: `<base>a/*`, see `counter_lambda.pages.matches_pattern`): what the
    counter may accept."""
    if options.domain or is_stand_in_url(current_url):
        base = "/"  # site.url becomes the domain's or the distribution's root
    else:
        base = urlsplit(current_url or "/").path or "/"
    return f"{base},{base}a/*"


def counter_stack(
    options: DeployOptions,
    code_bucket: str,
    code_key: str,
    origin: str,
    pages: str = "/",
    protect_table: bool = True,
) -> StackSpec:
    return StackSpec(
        key=COUNTER,
        name=options.stack_name(COUNTER),
        template="counter.yaml",
        parameters={
            "CodeBucket": code_bucket,
            "CodeKey": code_key,
            "SiteOrigin": origin,
            "AuthMode": "AWS_IAM" if options.cognito else "NONE",
            "AllowedPages": pages,
            # Behind CloudFront the API sees an edge address; the viewer's is in this header.
            # In Cognito mode the browser calls the API directly, so no header is trusted.
            "ClientIpHeader": "" if options.cognito else CLOUDFRONT_IP_HEADER,
            "ReservedConcurrency": str(options.reserved_concurrency),
            # off only while the stack is first created: see infra/counter.yaml
            "TableDeletionProtection": "true" if protect_table else "false",
        },
    )


def identity_stack(options: DeployOptions, counter: Outputs) -> StackSpec:
    return StackSpec(
        key=IDENTITY,
        name=options.stack_name(IDENTITY),
        template="identity.yaml",
        parameters={
            "ApiId": require(counter, "ApiId", options.stack_name(COUNTER)),
            "StageName": require(counter, "StageName", options.stack_name(COUNTER)),
        },
    )


def cognito_connect_origins(options: DeployOptions, counter: Outputs) -> str:
    """The origins a Cognito-mode page talks to: the identity service, STS (where the basic
    flow exchanges the guest token for the role's credentials) and the API itself."""
    api = origin_of(require(counter, "ApiEndpoint", options.stack_name(COUNTER)))
    region = options.region
    return (
        f"https://cognito-identity.{region}.amazonaws.com https://sts.{region}.amazonaws.com {api}"
    )


def site_stack(options: DeployOptions, counter: Outputs) -> StackSpec:
    parameters = {
        "DomainName": options.domain or "",
        "CertificateArn": options.certificate_arn or "",
        "HostedZoneId": options.hosted_zone_id or "",
        "CounterApiDomain": "",
        "CounterOriginToken": "",
        "ExtraConnectOrigins": "",
        "ImageOrigins": options.image_origins,
    }
    if options.cognito:
        # Signed requests go to the API's own host; CloudFront would rewrite what was signed.
        parameters["ExtraConnectOrigins"] = cognito_connect_origins(options, counter)
    else:
        parameters["CounterApiDomain"] = require(counter, "ApiDomain", options.stack_name(COUNTER))
        # what CloudFront proves itself with, so the counter believes its viewer address
        parameters["CounterOriginToken"] = require(
            counter, "OriginToken", options.stack_name(COUNTER)
        )
    return StackSpec(SITE, options.stack_name(SITE), "site.yaml", parameters)


def ci_stack(
    options: DeployOptions, site: Outputs, counter: Outputs, artifact_bucket: str
) -> StackSpec:
    if not options.github_repo:
        raise CvgenError("the CI stack needs --github-repo OWNER/REPO")
    site_name, counter_name = options.stack_name(SITE), options.stack_name(COUNTER)
    return StackSpec(
        key=CI,
        name=options.stack_name(CI),
        template="ci.yaml",
        parameters={
            "GitHubRepository": options.github_repo,
            "ExistingOidcProviderArn": options.oidc_provider_arn or "",
            "StackPrefix": options.stack_prefix,
            "SiteBucketName": require(site, "BucketName", site_name),
            "DistributionId": require(site, "DistributionId", site_name),
            "ArtifactBucketName": artifact_bucket,
            "CounterFunctionName": require(counter, "FunctionName", counter_name),
            "CounterFunctionRoleArn": require(counter, "FunctionRoleArn", counter_name),
        },
    )


def budget_stack(options: DeployOptions, site: Outputs) -> StackSpec:
    """The cost guard, in us-east-1: the account's monthly budget and the request alarm."""
    return StackSpec(
        key=BUDGET,
        name=options.stack_name(BUDGET),
        template="budget.yaml",
        parameters={
            "MonthlyLimitUsd": str(options.budget_usd),
            "AlertEmail": options.alert_email or "",
            "DistributionId": site.get("DistributionId", ""),
            # CloudWatch sums CloudFront's Requests over 5-minute periods
            "RequestsPerFiveMinutes": str(options.alarm_requests_per_second * 300),
        },
        region=BUDGET_REGION,
    )


def budget_advice(options: DeployOptions) -> str:
    """What `cvgen infra deploy` recommends while no cost guard exists."""
    rate = options.alarm_requests_per_second
    return (
        "recommended: nothing caps what CloudFront bills if traffic runs away (a sustained "
        "1,000 requests/s is about $2,600 a month in request fees); add a cost guard with "
        "`cvgen infra deploy --budget 5 --alert-email you@example.com`: a monthly budget on "
        f"the account with email alerts (actual and forecast) and an alarm above {rate} "
        "requests/s on the site (see Costs in cvgen's documentation)"
    )


def require(outputs: Outputs, key: str, stack: str) -> str:
    value = outputs.get(key)
    if not value:
        raise CvgenError(
            f"stack {stack} has no output {key}; it may predate this cvgen version: "
            "run `cvgen infra deploy` again, or `cvgen infra destroy` and deploy afresh"
        )
    return value


def config_updates(
    options: DeployOptions,
    site: Outputs,
    counter: Outputs,
    identity: Outputs | None,
    current_url: str | None,
    artifact_bucket: str,
) -> dict[str, dict[str, str | int | None]]:
    """cvgen.yaml `{section: {key: value}}` so `cvgen build` and `cvgen publish` just work."""
    site_name = options.stack_name(SITE)
    updates: dict[str, dict[str, str | int | None]] = {
        "publish": {
            "bucket": require(site, "BucketName", site_name),
            "distribution_id": require(site, "DistributionId", site_name),
            "region": options.region,
        },
        "infra": {
            "stack_prefix": options.stack_prefix,
            "region": options.region,
            "artifact_bucket": artifact_bucket,
        },
    }
    for key, value in (
        ("domain", options.domain),
        ("certificate_arn", options.certificate_arn),
        ("hosted_zone_id", options.hosted_zone_id),
        ("github_repo", options.github_repo),
    ):
        if value:
            updates["infra"][key] = value
    if options.reserved_concurrency:
        updates["infra"]["reserved_concurrency"] = options.reserved_concurrency
    if options.domain or is_stand_in_url(current_url):
        updates["site"] = {"url": require(site, "SiteUrl", site_name)}
    if options.cognito:
        if identity is None:
            raise CvgenError("Cognito mode needs the identity stack's outputs")
        api = require(counter, "ApiEndpoint", options.stack_name(COUNTER)).rstrip("/")
        updates["counter"] = {
            "mode": "cognito",
            "identity_pool_id": require(identity, "IdentityPoolId", options.stack_name(IDENTITY)),
            "role_arn": require(identity, "GuestRoleArn", options.stack_name(IDENTITY)),
            "region": options.region,
            "api": api + API_PATH,
        }
    else:
        updates["counter"] = {"mode": "public", "api": API_PATH}
    return updates


def repository_variables(options: DeployOptions, ci: Outputs) -> dict[str, str]:
    """The GitHub repository variables the deploy workflow reads (`vars.NAME`)."""
    return {
        "AWS_ROLE_ARN": require(ci, "DeployRoleArn", options.stack_name(CI)),
        "AWS_REGION": options.region,
    }


# --- the deploy order ---------------------------------------------------------------------

Settle = Callable[[StackSpec], Outputs]


@dataclass(frozen=True)
class Sources:
    """What the stacks' parameters take besides the options and each other's outputs."""

    artifact_bucket: str
    code_key: str  # the counter's zip in the artifact bucket
    current_url: str | None  # site.url in cvgen.yaml
    site_before: Outputs  # the site stack's outputs before this run ({}: not deployed yet)
    counter_exists: bool = True  # False: this run creates the counter stack


@dataclass(frozen=True)
class Settled:
    """Each stack's outputs once settled; None for a stack not in this run."""

    counter: Outputs
    site: Outputs
    identity: Outputs | None = None
    ci: Outputs | None = None
    budget: Outputs | None = None


def settle_stacks(
    options: DeployOptions, sources: Sources, settle: Settle, note: Callable[[str], None]
) -> Settled:
    """Every stack of `cvgen infra deploy` and `cvgen infra plan`, in the order of this module's
    docstring, each handed to `settle` (deploy it, or plan it) with the outputs of the stacks
    before it; `note` tells why the counter comes round again. One computation for both."""
    pages = counted_pages(options, sources.current_url)
    origin = site_origin(options, sources.site_before)
    bucket, key = sources.artifact_bucket, sources.code_key
    created = not sources.counter_exists
    counter = settle(counter_stack(options, bucket, key, origin, pages, protect_table=not created))
    identity = settle(identity_stack(options, counter)) if options.cognito else None
    site = settle(site_stack(options, counter))
    known = site_origin(options, site)
    if known != origin or created:
        if known != origin:
            note(f"the site's origin is now known ({known}); allowing it on the counter API")
        if created:
            note("the counter's table exists now; turning its deletion protection on")
        counter = settle(counter_stack(options, bucket, key, known, pages))
    ci = None
    if options.github_repo and not options.code_only:  # the CI role may not change its own stack
        ci = settle(ci_stack(options, site, counter, bucket))
    budget = None
    if options.budget_usd and not options.code_only:  # opt-in, and never from CI
        budget = settle(budget_stack(options, site))
    return Settled(counter, site, identity, ci, budget)


def placeholder_outputs(options: DeployOptions, key: str, account: str) -> dict[str, str]:
    """Stand-ins for the outputs of a stack not deployed yet, so `cvgen infra plan` can plan
    the stacks after it (their real values exist only once it is deployed)."""
    prefix, region = options.stack_prefix, options.region
    if key == COUNTER:
        api_id = "0000000000"
        return {
            "ApiId": api_id,
            "ApiEndpoint": f"https://{api_id}.execute-api.{region}.amazonaws.com",
            "ApiDomain": f"{api_id}.execute-api.{region}.amazonaws.com",
            "StageName": "$default",
            "OriginToken": "00000000-0000-0000-0000-000000000000",
            "FunctionName": f"{prefix}-counter-function",
            "FunctionRoleArn": f"arn:aws:iam::{account}:role/{prefix}-counter-role",
        }
    if key == SITE:
        return {"BucketName": f"{prefix}-site-bucket", "DistributionId": "EPLACEHOLDER"}
    return {}
