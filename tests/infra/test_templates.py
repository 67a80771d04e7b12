"""What scanners miss: the template properties this project promises, asserted one by one."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import REPO
from tests.infra.conftest import load_template, template_names

CACHING_DISABLED = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad"
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:{images}; "
    "connect-src 'self'{extra}; base-uri 'self'; form-action 'self'; "
    "frame-ancestors 'none'; object-src 'none'"
)


@pytest.fixture(scope="module")
def site() -> dict[str, Any]:
    return load_template("site.yaml")


@pytest.fixture(scope="module")
def counter() -> dict[str, Any]:
    return load_template("counter.yaml")


@pytest.fixture(scope="module")
def ci() -> dict[str, Any]:
    return load_template("ci.yaml")


def props(template: dict[str, Any], logical_id: str) -> dict[str, Any]:
    return template["Resources"][logical_id]["Properties"]


def of_type(template: dict[str, Any], type_: str) -> dict[str, dict[str, Any]]:
    return {k: r for k, r in template["Resources"].items() if r["Type"] == type_}


def if_branches(node: Any) -> list[Any]:
    """Both branches of an Fn::If (NoValue dropped), or the node itself."""
    if isinstance(node, dict) and "Fn::If" in node:
        _, yes, no = node["Fn::If"]
        return [b for b in (*if_branches(yes), *if_branches(no)) if b != {"Ref": "AWS::NoValue"}]
    return [node]


def evaluate(template: dict[str, Any], node: Any, given: dict[str, str]) -> Any:
    """`node` as CloudFormation resolves it with the parameters `given` (defaults for the
    rest): Ref, Condition, Fn::If / Not / Equals / And and Fn::Sub (with a variable map)."""
    params = {k: given.get(k, p.get("Default", "")) for k, p in template["Parameters"].items()}

    def condition(name: str) -> bool:
        return bool(value(template["Conditions"][name]))

    def value(n: Any) -> Any:
        if isinstance(n, str | bool | int):
            return n
        if isinstance(n, list):
            return [value(x) for x in n]
        ((fn, arg),) = n.items()
        if fn == "Ref":
            return params[arg]
        if fn == "Condition":
            return condition(arg)
        if fn == "Fn::Not":
            return not value(arg[0])
        if fn == "Fn::Equals":
            return value(arg[0]) == value(arg[1])
        if fn == "Fn::And":
            return all(value(a) for a in arg)
        if fn == "Fn::If":
            return value(arg[1] if condition(arg[0]) else arg[2])
        if fn == "Fn::Sub":
            text, names = (arg, {}) if isinstance(arg, str) else (arg[0], arg[1])
            names = {name: value(v) for name, v in names.items()}
            return re.sub(r"\$\{(\w+)\}", lambda m: names.get(m[1], params.get(m[1])), text)
        raise AssertionError(f"not evaluated here: {fn}")

    return value(node)


def as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def policy_statements(template: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """(resource id, statement) for every IAM and bucket policy statement in a template."""
    for logical_id, resource in template["Resources"].items():
        p = resource.get("Properties", {})
        documents = [p.get("AssumeRolePolicyDocument"), p.get("PolicyDocument")]
        documents += [policy.get("PolicyDocument") for policy in p.get("Policies", [])]
        for document in documents:
            for statement in (document or {}).get("Statement", []):
                yield logical_id, statement


# --- every template ------------------------------------------------------------------------


@pytest.mark.parametrize("name", template_names())
def test_no_wildcard_action_or_resource_and_no_full_access(name: str) -> None:
    template = load_template(name)
    for logical_id, statement in policy_statements(template):
        resources = as_list(statement.get("Resource", []))
        assert "*" not in resources, f"{name} {logical_id}: Resource '*'"
        actions = as_list(statement.get("Action", []))
        wildcard = [a for a in actions if isinstance(a, str) and "*" in a]
        if statement["Effect"] == "Allow" or statement.get("Sid") == (
            "CloudFrontNeverReadsCvgenRecords"  # a Deny of one action, asserted below
        ):
            assert not wildcard, f"{name} {logical_id}: wildcard action {wildcard}"
        else:
            # The one place AWS requires a wildcard: a Deny of every S3 action without TLS.
            assert statement.get("Sid") == "DenyInsecureTransport", (name, logical_id, statement)
            assert wildcard == ["s3:*"]
            assert statement["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}
        if statement.get("Principal") == "*":
            assert statement["Effect"] == "Deny", (name, logical_id)
    text = (REPO / "infra" / name).read_text(encoding="utf-8")
    assert "FullAccess" not in text and "ManagedPolicyArns" not in text


def test_the_wildcard_check_sees_the_deny_statements() -> None:
    deny = [s for _, s in policy_statements(load_template("site.yaml")) if s["Effect"] == "Deny"]
    assert [s["Sid"] for s in deny] == ["CloudFrontNeverReadsCvgenRecords", "DenyInsecureTransport"]


# --- site -------------------------------------------------------------------------------------


def test_bucket_is_private_encrypted_versioned(site: dict[str, Any]) -> None:
    bucket = props(site, "Bucket")
    assert bucket["PublicAccessBlockConfiguration"] == {
        "BlockPublicAcls": True,
        "BlockPublicPolicy": True,
        "IgnorePublicAcls": True,
        "RestrictPublicBuckets": True,
    }
    assert bucket["OwnershipControls"]["Rules"] == [{"ObjectOwnership": "BucketOwnerEnforced"}]
    rule = bucket["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
    assert rule["ServerSideEncryptionByDefault"]["SSEAlgorithm"] in ("AES256", "aws:kms")
    assert bucket["VersioningConfiguration"] == {"Status": "Enabled"}
    assert "WebsiteConfiguration" not in bucket
    assert "AccessControl" not in bucket


def test_cloudfront_reads_through_oac_only(site: dict[str, Any]) -> None:
    assert not of_type(site, "AWS::CloudFront::CloudFrontOriginAccessIdentity")
    oac = props(site, "OriginAccessControl")["OriginAccessControlConfig"]
    assert (oac["SigningBehavior"], oac["SigningProtocol"]) == ("always", "sigv4")
    origins = props(site, "Distribution")["DistributionConfig"]["Origins"]
    s3_origin = next(o for o in origins if isinstance(o, dict) and o.get("Id") == "site-bucket")
    assert s3_origin["OriginAccessControlId"] == {"Fn::GetAtt": ["OriginAccessControl", "Id"]}
    assert s3_origin["S3OriginConfig"] == {"OriginAccessIdentity": ""}
    # the REST endpoint of the bucket, never the public website endpoint
    assert s3_origin["DomainName"] == {"Fn::GetAtt": ["Bucket", "RegionalDomainName"]}
    assert "s3-website" not in str(site)


def test_bucket_policy_allows_only_this_distribution(site: dict[str, Any]) -> None:
    statements = props(site, "BucketPolicy")["PolicyDocument"]["Statement"]
    allows = [s for s in statements if s["Effect"] == "Allow"]
    assert allows
    for statement in allows:
        assert statement["Principal"] == {"Service": "cloudfront.amazonaws.com"}
        assert statement["Condition"] == {
            "StringEquals": {
                "AWS:SourceArn": {
                    "Fn::Sub": "arn:${AWS::Partition}:cloudfront::${AWS::AccountId}:distribution/${Distribution}"
                }
            }
        }
        assert set(as_list(statement["Action"])) <= {"s3:GetObject", "s3:ListBucket"}
    deny = next(s for s in statements if s.get("Sid") == "DenyInsecureTransport")
    assert deny["Resource"] == [
        {"Fn::GetAtt": ["Bucket", "Arn"]},
        {"Fn::Sub": "${Bucket.Arn}/*"},
    ]


def _behaviors(site: dict[str, Any]) -> list[dict[str, Any]]:
    config = props(site, "Distribution")["DistributionConfig"]
    behaviors = [config["DefaultCacheBehavior"]]
    for branch in if_branches(config.get("CacheBehaviors", [])):
        behaviors += branch
    return behaviors


def test_security_headers_policy_on_every_behavior(site: dict[str, Any]) -> None:
    behaviors = _behaviors(site)
    assert len(behaviors) == 2  # the default and /api/*
    for behavior in behaviors:
        assert behavior["ResponseHeadersPolicyId"] == {"Ref": "SecurityHeadersPolicy"}
        assert behavior["ViewerProtocolPolicy"] in ("redirect-to-https", "https-only")
        # compressed where cached (the site); /api/* is never cached, so never compressed
        assert behavior["Compress"] is (behavior.get("PathPattern") != "/api/*")
    assert of_type(site, "AWS::CloudFront::ResponseHeadersPolicy").keys() == {
        "SecurityHeadersPolicy"
    }


def test_security_header_values(site: dict[str, Any]) -> None:
    config = props(site, "SecurityHeadersPolicy")["ResponseHeadersPolicyConfig"]
    headers = config["SecurityHeadersConfig"]
    hsts = headers["StrictTransportSecurity"]
    assert hsts["AccessControlMaxAgeSec"] >= 31536000 and hsts["IncludeSubdomains"] is True
    assert headers["ContentTypeOptions"]["Override"] is True
    assert headers["FrameOptions"]["FrameOption"] == "DENY"
    assert headers["ReferrerPolicy"]["ReferrerPolicy"] in (
        "strict-origin-when-cross-origin",
        "strict-origin",
        "same-origin",
        "no-referrer",
    )
    assert all(h["Override"] is True for h in headers.values())
    csp = headers["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert "unsafe" not in str(csp) and "*" not in str(csp)


@pytest.mark.parametrize(
    ("given", "images", "connect"),
    [
        pytest.param({}, "", "", id="the site's own origin only"),
        pytest.param(
            {"ImageOrigins": "https://img.example.com"},
            " https://img.example.com",
            "",
            id="an opted-in remote photo's origin",
        ),
        pytest.param(
            {
                "ImageOrigins": "https://img.example.com:8443",
                "ExtraConnectOrigins": "https://cognito-identity.eu-west-1.amazonaws.com",
            },
            " https://img.example.com:8443",
            " https://cognito-identity.eu-west-1.amazonaws.com",
            id="and Cognito's",
        ),
    ],
)
def test_csp_allows_other_origins_exactly_as_the_parameters_name_them(
    site: dict[str, Any], given: dict[str, str], images: str, connect: str
) -> None:
    """CloudFront is one of the services moto does not run (see conftest.py), so the header
    is checked here, as CloudFormation resolves the template (Fn::If inside Fn::Sub's
    variable map is documented: Fn::Sub's supported functions)."""
    config = props(site, "SecurityHeadersPolicy")["ResponseHeadersPolicyConfig"]
    csp = config["SecurityHeadersConfig"]["ContentSecurityPolicy"]["ContentSecurityPolicy"]
    assert evaluate(site, csp, given) == CSP.format(images=images, extra=connect)


@pytest.mark.parametrize(
    ("value", "allowed"),
    [
        ("", True),
        ("https://img.example.com", True),
        ("https://img.example.com:8443 http://photos.example.org", True),
        ("*", False),
        ("https:", False),
        ("https://*.example.com", False),
        ("https://img.example.com/me.jpg", False),
        ("https://img.example.com 'unsafe-inline'", False),
        ("https://img.example.com; script-src *", False),
    ],
)
def test_image_origins_takes_only_origins(site: dict[str, Any], value: str, allowed: bool) -> None:
    from cvgen.infra.stacks import _IMAGE_ORIGINS

    pattern = site["Parameters"]["ImageOrigins"]["AllowedPattern"]
    assert bool(re.fullmatch(pattern, value)) is allowed
    assert bool(_IMAGE_ORIGINS.match(value)) is allowed  # cvgen refuses it before AWS does


def test_api_behavior_forwards_uncached_to_the_counter(site: dict[str, Any]) -> None:
    config = props(site, "Distribution")["DistributionConfig"]
    (api,) = if_branches(config["CacheBehaviors"])[0]
    assert config["CacheBehaviors"]["Fn::If"][0] == "HasCounterApi"
    assert api["PathPattern"] == "/api/*"
    assert api["CachePolicyId"] == CACHING_DISABLED
    assert api["OriginRequestPolicyId"] == {"Ref": "CounterApiRequestPolicy"}
    assert {"GET", "POST", "OPTIONS"} <= set(api["AllowedMethods"])
    (origin,) = if_branches(config["Origins"][1])
    assert origin["Id"] == api["TargetOriginId"]
    assert origin["DomainName"] == {"Ref": "CounterApiDomain"}
    assert origin["CustomOriginConfig"]["OriginProtocolPolicy"] == "https-only"
    assert site["Parameters"]["CounterApiDomain"]["Default"] == ""
    # CloudFront compresses only what it caches: Compress on an uncached behavior is noise
    assert api["Compress"] is False
    # the token that makes the counter believe CloudFront-Viewer-Address (a direct caller of
    # the API's execute-api address can send that header itself; moto has no CloudFront)
    assert origin["OriginCustomHeaders"] == {
        "Fn::If": [
            "HasCounterOriginToken",
            [
                {
                    "HeaderName": "X-Cvgen-Origin-Token",
                    "HeaderValue": {"Ref": "CounterOriginToken"},
                }
            ],
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert site["Parameters"]["CounterOriginToken"]["NoEcho"] is True


def test_the_counter_believes_the_viewer_address_only_with_cloudfronts_token(
    counter: dict[str, Any], site: dict[str, Any]
) -> None:
    from counter_lambda.settings import ORIGIN_TOKEN_HEADER

    variables = props(counter, "Function")["Environment"]["Variables"]
    public = {"ClientIpHeader": "cloudfront-viewer-address"}
    assert evaluate(counter, variables["CLIENT_IP_HEADER"], public) == "cloudfront-viewer-address"
    # Cognito mode ("" ): browsers call the API directly; no header is read at all
    assert evaluate(counter, variables["CLIENT_IP_HEADER"], {"ClientIpHeader": ""}) == "none"
    token = variables["ORIGIN_TOKEN"]["Fn::If"]
    assert token[0] == "HasIpHeader" and token[2] == {"Ref": "AWS::NoValue"}
    assert token[1] == counter["Outputs"]["OriginToken"]["Value"]
    assert counter["Outputs"]["OriginToken"]["Condition"] == "HasIpHeader"
    config = props(site, "Distribution")["DistributionConfig"]
    (origin,) = if_branches(config["Origins"][1])
    ((sent,),) = if_branches(origin["OriginCustomHeaders"])[:1]
    assert sent["HeaderName"].lower() == ORIGIN_TOKEN_HEADER  # what the counter reads


def run_viewer_request(site: dict[str, Any], uri: str) -> dict[str, Any]:
    """The site's CloudFront Function run by node (a real JavaScript engine) on a request;
    moto has no CloudFront Functions, so nothing else runs this code before AWS does."""
    node = shutil.which("node") or shutil.which("nodejs")
    assert node, "node is needed to run the CloudFront Function (make browser installs it)"
    code = props(site, "IndexRewriteFunction")["FunctionCode"]
    event = {"request": {"method": "GET", "uri": uri, "headers": {}, "querystring": {}}}
    script = f"{code}\nprocess.stdout.write(JSON.stringify(handler({json.dumps(event)})));"
    done = subprocess.run([node, "-e", script], capture_output=True, text=True, check=True)
    result: dict[str, Any] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize(
    ("uri", "status", "rewritten"),
    [
        ("/", None, "/index.html"),
        ("/about/", None, "/about/index.html"),
        ("/about", None, "/about/index.html"),
        ("/assets/site.0123abcd.css", None, "/assets/site.0123abcd.css"),
        ("/cvgen/", None, "/cvgen/index.html"),  # only the reserved name itself is refused
        ("/_cvgen-notes.html", None, "/_cvgen-notes.html"),
        ("/_cvgen/lease.json", 404, None),
        ("/_cvgen/releases/00000001.json", 404, None),
        ("/_cvgen/objects/0f1e2d", 404, None),
        ("/_cvgen", 404, None),
        ("/_cvgen/", 404, None),
        ("/%5Fcvgen/lease.json", 404, None),  # S3 decodes the key: so does the rule
        ("/%5fcvgen%2Flease.json", 404, None),
        ("/en/_cvgen/lease.json", 404, None),  # a site published under a prefix
        ("/%E0%A4%A/_cvgen/lease.json", 404, None),  # malformed escapes: still refused
    ],
)
def test_cloudfront_answers_404_for_cvgens_records(
    site: dict[str, Any], uri: str, status: int | None, rewritten: str | None
) -> None:
    answer = run_viewer_request(site, uri)
    assert answer.get("statusCode") == status
    assert answer.get("uri") == rewritten


def test_the_cost_guard_emails_on_the_budget_and_alarms_on_the_request_rate() -> None:
    # moto deploys neither a budget nor CloudFront metrics: the template is what is checked
    budget_template = load_template("budget.yaml")
    budget = props(budget_template, "MonthlyBudget")
    assert budget["Budget"] == {
        "BudgetName": {"Fn::Sub": "${AWS::StackName}-monthly-cost"},
        "BudgetType": "COST",
        "TimeUnit": "MONTHLY",
        "BudgetLimit": {"Amount": {"Ref": "MonthlyLimitUsd"}, "Unit": "USD"},
    }
    alerts = {
        (n["Notification"]["NotificationType"], n["Notification"]["Threshold"])
        for n in budget["NotificationsWithSubscribers"]
    }
    assert alerts == {("ACTUAL", 80), ("FORECASTED", 100)}
    for notification in budget["NotificationsWithSubscribers"]:
        assert notification["Notification"]["ThresholdType"] == "PERCENTAGE"
        assert notification["Subscribers"] == [
            {"SubscriptionType": "EMAIL", "Address": {"Ref": "AlertEmail"}}
        ]
    alarm = props(budget_template, "RequestAlarm")
    assert (alarm["Namespace"], alarm["MetricName"], alarm["Statistic"]) == (
        "AWS/CloudFront",
        "Requests",
        "Sum",
    )
    # CloudFront's metrics carry Region=Global and are published in us-east-1 only
    assert alarm["Dimensions"] == [
        {"Name": "DistributionId", "Value": {"Ref": "DistributionId"}},
        {"Name": "Region", "Value": "Global"},
    ]
    assert (alarm["Period"], alarm["EvaluationPeriods"]) == (300, 3)
    assert alarm["Threshold"] == {"Ref": "RequestsPerFiveMinutes"}
    assert alarm["TreatMissingData"] == "notBreaching"
    assert alarm["AlarmActions"] == [{"Ref": "AlarmTopic"}]
    topic = props(budget_template, "AlarmTopic")
    assert topic["Subscription"] == [{"Protocol": "email", "Endpoint": {"Ref": "AlertEmail"}}]


def test_the_bucket_refuses_cvgens_records_to_cloudfront(site: dict[str, Any]) -> None:
    statements = props(site, "BucketPolicy")["PolicyDocument"]["Statement"]
    (deny,) = [s for s in statements if s["Sid"] == "CloudFrontNeverReadsCvgenRecords"]
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == {"Service": "cloudfront.amazonaws.com"}
    assert deny["Action"] == "s3:GetObject"
    assert deny["Resource"] == [
        {"Fn::Sub": "${Bucket.Arn}/_cvgen/*"},
        {"Fn::Sub": "${Bucket.Arn}/*/_cvgen/*"},
    ]


def test_distribution_serves_modern_https(site: dict[str, Any]) -> None:
    config = props(site, "Distribution")["DistributionConfig"]
    assert config["HttpVersion"] == "http2and3"
    assert config["DefaultRootObject"] == "index.html"
    assert config["DefaultCacheBehavior"]["ViewerProtocolPolicy"] == "redirect-to-https"
    assert {
        "ErrorCode": 404,
        "ResponseCode": 404,
        "ResponsePagePath": "/404.html",
        "ErrorCachingMinTTL": 60,
    } in config["CustomErrorResponses"]
    condition, with_cert, default = config["ViewerCertificate"]["Fn::If"]
    assert condition == "HasDomain"
    assert with_cert == {
        "AcmCertificateArn": {"Ref": "CertificateArn"},
        "SslSupportMethod": "sni-only",
        "MinimumProtocolVersion": "TLSv1.2_2021",
    }
    assert default == {"CloudFrontDefaultCertificate": True}
    assert config["Aliases"]["Fn::If"][0] == "HasDomain"


def test_site_outputs(site: dict[str, Any]) -> None:
    assert {"BucketName", "DistributionId", "DistributionDomainName", "SiteUrl"} <= set(
        site["Outputs"]
    )


# --- counter ----------------------------------------------------------------------------------


def test_table_is_durable(counter: dict[str, Any]) -> None:
    table = counter["Resources"]["Table"]
    # Retained once created; a first deploy that rolls back takes its empty table with it,
    # or the retained, deletion-protected table would block every later try (moto cannot
    # show a rollback keeping it: it knows neither policy on create failure).
    assert table["DeletionPolicy"] == "RetainExceptOnCreate"
    assert table["UpdateReplacePolicy"] == "Retain"
    p = table["Properties"]
    assert p["BillingMode"] == "PAY_PER_REQUEST"
    assert p["KeySchema"] == [{"AttributeName": "pk", "KeyType": "HASH"}]
    assert p["AttributeDefinitions"] == [{"AttributeName": "pk", "AttributeType": "S"}]
    assert p["PointInTimeRecoverySpecification"] == {"PointInTimeRecoveryEnabled": True}
    # protected once the stack exists; off only while cvgen first creates it, so that a
    # failed create can delete its table (moto deletes even a protected table in a rollback:
    # only the template shows that real CloudFormation could not)
    protection = p["DeletionProtectionEnabled"]
    assert evaluate(counter, protection, {}) is True
    assert evaluate(counter, protection, {"TableDeletionProtection": "false"}) is False
    assert p["TimeToLiveSpecification"] == {"AttributeName": "expires", "Enabled": True}


def test_function_settings(counter: dict[str, Any]) -> None:
    p = props(counter, "Function")
    assert p["Runtime"] == "python3.12"
    assert p["Architectures"] == ["arm64"]
    assert p["Handler"] == "counter_lambda.handler.handler"
    # No reservation unless asked for: new accounts with a concurrency quota of 10 or 50
    # refuse any reservation below the minimum unreserved (moto does not enforce quotas).
    assert p["ReservedConcurrentExecutions"] == {
        "Fn::If": [
            "HasReservedConcurrency",
            {"Ref": "ReservedConcurrency"},
            {"Ref": "AWS::NoValue"},
        ]
    }
    assert counter["Parameters"]["ReservedConcurrency"]["Default"] == 0
    assert counter["Conditions"]["HasReservedConcurrency"] == {
        "Fn::Not": [{"Fn::Equals": [{"Ref": "ReservedConcurrency"}, 0]}]
    }
    assert 1 <= p["Timeout"] <= 10
    assert p["LoggingConfig"]["LogGroup"] == {"Ref": "FunctionLogGroup"}
    for group in of_type(counter, "AWS::Logs::LogGroup").values():
        assert group["Properties"]["RetentionInDays"] == {"Ref": "LogRetentionDays"}
    assert counter["Parameters"]["LogRetentionDays"]["Default"] <= 90


class _ReadRecorder(dict[str, str]):
    """An environment that notes every variable read from it."""

    def __init__(self, values: dict[str, str]) -> None:
        super().__init__(values)
        self.read: set[str] = set()

    def get(self, key: str, default: Any = None) -> Any:  # type: ignore[override]
        self.read.add(key)
        return super().get(key, default)

    def __getitem__(self, key: str) -> str:
        self.read.add(key)
        return super().__getitem__(key)


def test_function_environment_matches_what_the_code_reads(counter: dict[str, Any]) -> None:
    from counter_lambda.handler import handler_from_env

    variables = props(counter, "Function")["Environment"]["Variables"]
    assert variables["TABLE_NAME"] == {"Ref": "Table"}
    assert variables["ALLOWED_ORIGINS"] == {"Ref": "SiteOrigin"}
    assert variables["HMAC_SECRET_ARN"] == {"Ref": "HmacSecret"}
    # the handler built from the environment the template sets reads every variable of it
    environ = _ReadRecorder(
        {
            "AWS_REGION": "us-east-1",  # set by Lambda itself
            "TABLE_NAME": "cvgen-counter-Table",
            "ALLOWED_ORIGINS": "https://cv.example.com",
            "ALLOWED_PAGES": "/",
            "SHARDS": "1",
            "UNIQUE_VISITORS": "true",
            "HMAC_SECRET_ARN": "arn:aws:secretsmanager:us-east-1:123456789012:secret:hmac-AbCdEf",
            "CLIENT_IP_HEADER": "cloudfront-viewer-address",
            "ORIGIN_TOKEN": "1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d",
        }
    )
    assert set(variables) <= set(environ), "a variable this test gives no value"
    handler_from_env(environ)
    unread = set(variables) - environ.read
    assert unread == set(), f"counter_lambda never reads {sorted(unread)}"


def _lambda_sources() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in sorted((REPO / "counter_lambda").glob("*.py"))
    )


def dynamodb_operations_in(source: str) -> set[str]:
    """DynamoDB API operations the code calls, by their botocore method names."""
    import botocore.session
    from botocore import xform_name

    model = botocore.session.get_session().get_service_model("dynamodb")
    return {
        operation
        for operation in model.operation_names
        if re.search(rf"[.\"']{xform_name(operation)}[\"'(]", source)
    }


def test_function_role_is_limited_to_its_table(counter: dict[str, Any]) -> None:
    statements = props(counter, "FunctionRole")["Policies"][0]["PolicyDocument"]["Statement"]
    by_sid = {s["Sid"]: s for s in statements}
    table = by_sid["CountViews"]
    assert table["Resource"] == {"Fn::GetAtt": ["Table", "Arn"]}
    used = dynamodb_operations_in(_lambda_sources())
    assert used >= {"UpdateItem"}  # the atomic increment, at least
    assert {a.removeprefix("dynamodb:") for a in table["Action"]} == used
    assert by_sid["ReadDailySalt"] == {
        "Sid": "ReadDailySalt",
        "Effect": "Allow",
        "Action": "secretsmanager:GetSecretValue",
        "Resource": {"Ref": "HmacSecret"},
    }
    assert by_sid["WriteOwnLogs"]["Resource"] == {
        "Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${FunctionLogGroup}:*"
    }
    assert set(by_sid) == {"CountViews", "ReadDailySalt", "WriteOwnLogs"}


def test_cors_allows_exactly_the_site_origin(counter: dict[str, Any]) -> None:
    cors = props(counter, "HttpApi")["CorsConfiguration"]
    condition, config, absent = cors["Fn::If"]
    assert condition == "HasSiteOrigin" and absent == {"Ref": "AWS::NoValue"}
    assert config["AllowOrigins"] == {"Fn::Split": [",", {"Ref": "SiteOrigin"}]}
    assert set(config["AllowMethods"]) == {"GET", "POST", "OPTIONS"}
    assert "*" not in str(config)
    assert "AllowCredentials" not in config
    pattern = counter["Parameters"]["SiteOrigin"]["AllowedPattern"]
    assert re.match(pattern, "https://cv.example.com") and not re.match(pattern, "*")
    assert re.match(pattern, "https://cv.example.com,https://d1.cloudfront.net")
    assert not re.match(pattern, "https://cv.example.com,*")


def test_stage_is_throttled_and_logs_no_ips(counter: dict[str, Any]) -> None:
    stage = props(counter, "Stage")
    settings = stage["DefaultRouteSettings"]
    assert settings["ThrottlingRateLimit"] == {"Ref": "ThrottleRateLimit"}
    assert settings["ThrottlingBurstLimit"] == {"Ref": "ThrottleBurstLimit"}
    params = counter["Parameters"]
    assert 0 < params["ThrottleRateLimit"]["Default"] <= 100
    assert 0 < params["ThrottleBurstLimit"]["Default"] <= 200
    log_format = stage["AccessLogSettings"]["Format"]
    assert "$context.requestId" in log_format
    assert "sourceIp" not in log_format and "userAgent" not in log_format
    assert stage["StageName"] == "$default"


def test_routes_and_auth_mode(counter: dict[str, Any]) -> None:
    routes = {
        r["Properties"]["RouteKey"]: r["Properties"]
        for r in of_type(counter, "AWS::ApiGatewayV2::Route").values()
    }
    assert set(routes) == {"GET /api/views", "POST /api/views", "OPTIONS /api/views"}
    assert routes["GET /api/views"]["AuthorizationType"] == {"Ref": "AuthMode"}
    assert routes["POST /api/views"]["AuthorizationType"] == {"Ref": "AuthMode"}
    assert routes["OPTIONS /api/views"]["AuthorizationType"] == "NONE"  # preflights are unsigned
    auth = counter["Parameters"]["AuthMode"]
    assert auth["AllowedValues"] == ["NONE", "AWS_IAM"] and auth["Default"] == "NONE"
    permission = props(counter, "InvokePermission")
    assert permission["Principal"] == "apigateway.amazonaws.com"
    assert "${HttpApi}/" in permission["SourceArn"]["Fn::Sub"]


def test_counter_outputs(counter: dict[str, Any]) -> None:
    assert {"ApiId", "ApiEndpoint", "StageName", "TableName", "FunctionName"} <= set(
        counter["Outputs"]
    )
    assert counter["Outputs"]["ApiEndpoint"]["Value"] == {"Fn::GetAtt": ["HttpApi", "ApiEndpoint"]}


# --- ci -----------------------------------------------------------------------------------------


def test_deploy_role_trusts_only_main_of_one_repo(ci: dict[str, Any]) -> None:
    (trust,) = props(ci, "DeployRole")["AssumeRolePolicyDocument"]["Statement"]
    assert trust["Action"] == "sts:AssumeRoleWithWebIdentity"
    assert trust["Condition"] == {
        "StringEquals": {
            "token.actions.githubusercontent.com:aud": "sts.amazonaws.com",
            "token.actions.githubusercontent.com:sub": {
                "Fn::Sub": "repo:${GitHubRepository}:ref:refs/heads/main"
            },
        }
    }
    assert trust["Principal"]["Federated"]["Fn::If"][1:] == [
        {"Ref": "GitHubOidcProvider"},
        {"Ref": "ExistingOidcProviderArn"},
    ]
    provider = ci["Resources"]["GitHubOidcProvider"]
    assert provider["Condition"] == "CreateOidcProvider"
    assert provider["Properties"]["ClientIdList"] == ["sts.amazonaws.com"]
    assert provider["Properties"]["Url"] == "https://token.actions.githubusercontent.com"
    # CloudFormation's handler has refused providers without thumbprints (IAM ignores them
    # for GitHub; moto skips the resource): GitHub's two published intermediate thumbprints.
    assert provider["Properties"]["ThumbprintList"] == [
        "6938fd4d98bab03faadb97b34396831e3780aea1",
        "1c58a3a8518e8759bf075b76b750d4f2df264fcd",
    ]


def test_deploy_role_permissions_are_scoped(ci: dict[str, Any]) -> None:
    statements = [
        s for _, s in policy_statements(ci) if s["Action"] != "sts:AssumeRoleWithWebIdentity"
    ]
    services = {a.split(":")[0] for s in statements for a in as_list(s["Action"])}
    assert services == {"s3", "cloudfront", "lambda", "iam", "cloudformation"}
    iam_actions = {a for s in statements for a in as_list(s["Action"]) if a.startswith("iam:")}
    assert iam_actions == {"iam:PassRole"}
    by_sid = {s["Sid"]: s for s in statements}
    assert by_sid["PassOnlyTheCounterRole"]["Resource"] == {"Ref": "CounterFunctionRoleArn"}
    assert by_sid["PassOnlyTheCounterRole"]["Condition"] == {
        "StringEquals": {"iam:PassedToService": "lambda.amazonaws.com"}
    }
    assert "${DistributionId}" in by_sid["InvalidateDistribution"]["Resource"]["Fn::Sub"]
    assert "${CounterFunctionName}" in by_sid["UpdateCounterFunction"]["Resource"]["Fn::Sub"]
    stacks = [r["Fn::Sub"] for r in by_sid["UpdateCvgenStacks"]["Resource"]]
    assert [s.split(":stack/")[1] for s in stacks] == [
        "${StackPrefix}-site/*",
        "${StackPrefix}-counter/*",
        "${StackPrefix}-identity/*",
    ]  # never its own ci stack
    for statement in statements:
        for resource in as_list(statement["Resource"]):
            text = str(resource)
            assert any(
                ref in text
                for ref in (
                    "SiteBucketName",
                    "ArtifactBucketName",
                    "DistributionId",
                    "CounterFunction",
                    "StackPrefix",
                )
            ), statement


def _lambda_handler_permissions() -> dict[str, set[str]]:
    """The AWS::Lambda::Function resource schema's handler permissions, as cfn-lint bundles
    it: what CloudFormation calls, with the caller's credentials, for each operation."""
    import cfnlint

    folder = Path(cfnlint.__file__).parent / "data" / "schemas" / "resources"
    for name in folder.glob("*.json"):
        text = name.read_text(encoding="utf-8")
        if '"typeName": "AWS::Lambda::Function"' in text:
            handlers = json.loads(text)["handlers"]
            return {op: set(h.get("permissions", [])) for op, h in handlers.items()}
    raise AssertionError("cfn-lint bundles no AWS::Lambda::Function schema")


# Features the counter function does not use, so CloudFormation never calls these for it.
_UNUSED = ("kms:", "ec2:", "elasticfilesystem:", "s3files:", "lambda:PublishVersion")
_UNUSED_LAMBDA = (
    "CodeSigningConfig",  # no code signing (the function's own Get is still read)
    "CapacityProvider",
    "RuntimeAlias",
)


def test_ci_role_has_what_the_lambda_handler_calls_and_nothing_unused(
    ci: dict[str, Any],
) -> None:
    granted = {
        action
        for sid, statement in ((s.get("Sid"), s) for _, s in policy_statements(ci))
        if sid in ("UpdateCounterFunction", "PassOnlyTheCounterRole", "UploadCounterCode")
        for action in as_list(statement["Action"])
    }
    handlers = _lambda_handler_permissions()
    needed = {
        action
        for action in handlers["read"] | handlers["update"]
        if not action.startswith(_UNUSED) and not any(part in action for part in _UNUSED_LAMBDA)
    } | {"lambda:GetFunctionCodeSigningConfig"}
    # moto cannot show this: it never calls the handler's read-side actions
    assert needed - granted == set(), "missing in infra/ci.yaml"
    lambda_granted = {a for a in granted if a.startswith("lambda:")}
    assert lambda_granted - needed == set(), "granted but never called by the handler"


def test_ci_outputs_the_role_for_the_workflow(ci: dict[str, Any]) -> None:
    assert ci["Outputs"]["DeployRoleArn"]["Value"] == {"Fn::GetAtt": ["DeployRole", "Arn"]}


def test_counter_api_gets_the_viewer_address_but_never_host_or_cookies(
    site: dict[str, Any],
) -> None:
    policy = site["Resources"]["CounterApiRequestPolicy"]
    assert policy["Condition"] == "HasCounterApi"
    config = policy["Properties"]["OriginRequestPolicyConfig"]
    headers = config["HeadersConfig"]
    assert headers["HeaderBehavior"] == "whitelist"
    names = {name.lower() for name in headers["Headers"]}
    # what counter_lambda.core reads: origin (CORS), user-agent (bots), purpose (prefetch),
    # and the viewer address for the hashed unique-visitor key
    assert {"origin", "user-agent", "cloudfront-viewer-address", "sec-purpose"} <= names
    assert "host" not in names and "cookie" not in names
    assert config["CookiesConfig"]["CookieBehavior"] == "none"
